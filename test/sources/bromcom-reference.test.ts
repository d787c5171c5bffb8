// rollcall's Bromcom client held against what a real school's server published (../shared/reference/bromcom/,
// public reference data, never committed): the WSDL its bundled description must stay compatible with, and a
// real findEntitiesBySchoolID answer its DataSet reader must read as it stands.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import soap from 'soap';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDataSetXml } from '../../src/sources/bromcom/dataset.js';
import { describeShared, sharedPath } from '../support/shared.js';

const BUNDLED = fileURLToPath(new URL('../../src/sources/bromcom/TPReadOnlyDataService.wsdl', import.meta.url));
const REAL_WSDL = 'reference/bromcom/TPReadOnlyDataService.real.wsdl';
const REAL_ANSWER = 'reference/bromcom/findEntitiesBySchoolID.real.xml';

/**
 * An XML document as a list of lines independent of how it was written: expanded names ({namespace}local),
 * attributes sorted (namespace declarations left out, they are spelling), whitespace-only text between elements
 * dropped, other text kept exactly.
 */
function canonical(xml: string): string[] {
  const out: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  let text = '';
  const flush = () => {
    if (text.trim() !== '') out.push(`text ${JSON.stringify(text)}`);
    text = '';
  };
  parser.on('opentag', (t) => {
    flush();
    const attrs = Object.values(t.attributes)
      .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
      .map((a) => `{${a.uri}}${a.local}=${JSON.stringify(a.value)}`)
      .sort();
    out.push(`open {${t.uri}}${t.local} ${attrs.join(' ')}`.trimEnd());
  });
  parser.on('text', (t) => (text += t));
  parser.on('closetag', (t) => {
    flush();
    out.push(`close {${t.uri}}${t.local}`);
  });
  parser.write(xml).close();
  return out;
}

interface Sent { soapAction: string | undefined; contentType: string | undefined; envelope: string[] }

// The five operations rollcall's client may call, with values that need escaping where a value can carry text.
// Arguments are given in the description's order, as the client gives them: soap writes them in the order of the
// object's keys, not the sequence's, so the order is the client's to keep (ASMX binds by the sequence).
const CALLS: [operation: string, args: Record<string, unknown>][] = [
  ['findEntities', { username: 'rollcall-test', password: 'p&ss<word>' }],
  ['findEntitiesBySchoolID', { schoolID: 12345, username: 'rollcall-test', password: 'p&ss<word>' }],
  ['getEntityData', { entityName: 'Emails', entityFilter: '1=0', username: 'rollcall-test', password: 'p&ss<word>' }],
  ['getEntityDataBySchoolID', { schoolID: 12345, entityName: 'Students', entityFilter: "EndDate IS NULL OR EndDate >= '2025-01-12'", username: 'rollcall-test', password: 'p&ss<word>' }],
  ['getEntityDataBySchoolIDAsXml', { schoolID: 12345, entityName: 'Staff', entityFilter: '', username: 'rollcall-test', password: 'p&ss<word>' }],
];

describeShared('Bromcom: the bundled WSDL against the one a real school published', REAL_WSDL, () => {
  // A plain HTTP listener that keeps what each client sent and answers with a fault: only the request matters here.
  let server: http.Server;
  let url: string;
  const received: Sent[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push({ soapAction: req.headers.soapaction as string | undefined, contentType: req.headers['content-type'], envelope: canonical(body) });
        res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.end('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>recorded</faultstring></soap:Fault></soap:Body></soap:Envelope>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Nucleus/WebServices/ThirdParty/TPReadOnlyDataService.asmx`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function send(wsdl: string, binding: 'TPReadOnlyDataServiceSoap' | 'TPReadOnlyDataServiceSoap12'): Promise<Sent[]> {
    // Built as rollcall builds its client: from the description on disk, posting to the configured url.
    const client = await soap.createClientAsync(wsdl, { endpoint: url });
    const port = (client as unknown as Record<string, Record<string, Record<string, (a: unknown, cb: (e: unknown) => void) => void>>>).TPReadOnlyDataService[binding];
    const from = received.length;
    for (const [operation, args] of CALLS) {
      expect(port[operation], `${binding}.${operation} in ${wsdl}`).toBeTypeOf('function');
      await new Promise<void>((resolve) => port[operation](args, () => resolve()));
    }
    return received.slice(from);
  }

  for (const binding of ['TPReadOnlyDataServiceSoap', 'TPReadOnlyDataServiceSoap12'] as const) {
    it(`a client built from either description sends the same envelopes for the five operations (${binding})`, async () => {
      const bundled = await send(BUNDLED, binding);
      const real = await send(sharedPath(REAL_WSDL), binding);
      expect(bundled).toHaveLength(CALLS.length);
      expect(bundled).toEqual(real);
      // The comparison is of something: document/literal in tempuri, parameters in the reference order.
      if (binding === 'TPReadOnlyDataServiceSoap') {
        expect(bundled.map((s) => s.soapAction)).toEqual(CALLS.map(([op]) => `"http://tempuri.org/${op}"`));
        const body = bundled[3].envelope.filter((l) => l.startsWith('open {http://tempuri.org/}')).map((l) => l.slice('open {http://tempuri.org/}'.length));
        expect(body).toEqual(['getEntityDataBySchoolID', 'schoolID', 'entityName', 'entityFilter', 'username', 'password']);
        expect(bundled[3].envelope).toContain(`text ${JSON.stringify("EndDate IS NULL OR EndDate >= '2025-01-12'")}`);
      }
    });
  }

  it('every operation and parameter of the bundled description is in the real one, with the same type and order', () => {
    const params = (xml: string) => {
      // The request elements of the SOAP operations: name → [parameter, type, minOccurs][] (nested result types are not requests).
      const out = new Map<string, string[]>();
      for (const m of xml.matchAll(/<s:element name="(\w+)">\s*<s:complexType>\s*<s:sequence>([\s\S]*?)<\/s:sequence>/g)) {
        if (m[1].endsWith('Response')) continue;
        out.set(m[1], [...m[2].matchAll(/<s:element minOccurs="(\d)" maxOccurs="1" name="(\w+)" type="s:(\w+)" \/>/g)].map((p) => `${p[2]}:${p[3]}:${p[1]}`));
      }
      return out;
    };
    const bundled = params(readFileSync(BUNDLED, 'utf8'));
    const real = params(readFileSync(sharedPath(REAL_WSDL), 'utf8'));
    expect([...bundled.keys()].sort()).toEqual(['findEntities', 'findEntitiesBySchoolID', 'getEntityData', 'getEntityDataBySchoolID', 'getEntityDataBySchoolIDAsXml']);
    for (const [operation, list] of bundled) expect(list, operation).toEqual(real.get(operation));
  });
});

describeShared('Bromcom: the DataSet reader on a real findEntitiesBySchoolID answer', REAL_ANSWER, () => {
  const xml = () => readFileSync(sharedPath(REAL_ANSWER), 'utf8');
  // What the file holds, counted from its text rather than written down here: every row's EntityName in order.
  const expected = () => [...xml().matchAll(/<Table diffgr:id="Table(\d+)" msdata:rowOrder="(\d+)">\s*<EntityName>([^<]*)<\/EntityName>\s*<\/Table>/g)]
    .map((m) => ({ id: Number(m[1]), order: Number(m[2]), name: m[3] }));

  it('reads the answer as it stands (the HTTP binding: a DataSet root): its one column, typed, and every row in order', () => {
    const rows = expected();
    expect(rows.length).toBe((xml().match(/<Table /g) ?? []).length);
    expect(rows.map((r) => r.order)).toEqual(rows.map((_, i) => i));
    const ds = parseDataSetXml(xml(), 'findEntitiesBySchoolID');
    expect([...ds.columns.values()]).toEqual([{ name: 'EntityName', type: 'string' }]);
    expect(ds.rows).toEqual(rows.map((r) => ({ entityname: r.name })));
    // The entities rollcall reads, the e-mails among them, are in a real school's list.
    const names = new Set(ds.rows.map((r) => r.entityname));
    for (const e of ['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses', 'TimeTable', 'Emails']) expect(names.has(e), e).toBe(true);
  });

  it('reads the same content inside a SOAP 1.1 response, where the service puts it in findEntitiesBySchoolIDResult', () => {
    const inner = xml().replace(/^<\?xml[^>]*\?>\s*<DataSet xmlns="http:\/\/tempuri.org\/">/, '').replace(/<\/DataSet>\s*$/, '');
    expect(inner.length).toBeLessThan(xml().length);
    const envelope = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><findEntitiesBySchoolIDResponse xmlns="http://tempuri.org/"><findEntitiesBySchoolIDResult>${inner}</findEntitiesBySchoolIDResult></findEntitiesBySchoolIDResponse></soap:Body></soap:Envelope>`;
    const ds = parseDataSetXml(envelope, 'findEntitiesBySchoolID');
    expect(ds.rows).toEqual(expected().map((r) => ({ entityname: r.name })));
  });
});
