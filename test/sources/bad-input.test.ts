import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { RosterBuilder } from '../../src/roster/builder.js';
import { BromcomClient } from '../../src/sources/bromcom/client.js';
import { DataSetReader, parseDataSetXml } from '../../src/sources/bromcom/dataset.js';
import { MAX_XML_TOKEN_CHARS } from '../../src/sources/bromcom/xml-tokens.js';
import { readRoster, type SourceConfig } from '../../src/sources/index.js';
import { MAX_CSV_RECORD_CHARS } from '../../src/sources/table.js';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rollcall-bad-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const STAFF = 'id,first,last\n501,Ada,Okafor\n';
/** Writes files into a fresh export folder and reads it as the given source kind. */
async function csvExport(files: Record<string, string | Buffer>, cfg: Partial<NonNullable<SourceConfig['csv']>> = {}) {
  const dir = `x${++n}`;
  await mkdir(path.join(root, dir));
  for (const [name, body] of Object.entries({ 'staff.csv': STAFF, ...files })) await writeFile(path.join(root, dir, name), body);
  const log = memoryLogger();
  const roster = await readRoster({ csv: { dir, ...cfg } }, { baseDir: root, asOf: '2026-01-12', log, calendar: true });
  return { roster, log };
}

async function error(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('bad input: a clear error or warning naming the file and line', () => {
  it('missing required column', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first\n1,Ann\n' }));
    expect(e.message).toMatch(/^students\.csv:1 lacks required column\(s\) "last"/);
    expect(e.where).toEqual({ file: 'students.csv', line: 1 });
  });

  it('a UTF-8 BOM and CRLF line ends are read as plain text', async () => {
    const { roster } = await csvExport({ 'students.csv': '\uFEFFid,first,last,yearGroup\r\n1,Zoë,Ødegaard,Year 8\r\n' });
    expect(roster.people.find((p) => p.id === 'student:1')).toMatchObject({ legal: { first: 'Zoë', last: 'Ødegaard' }, yearGroup: '8' });
  });

  it('quoted newlines stay in the field and later lines are still numbered from the file', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last,startDate\n1,"Mary\nAnn",Smith,2025-09-01\n2,Bo,Li,someday\n' }));
    expect(e.message).toBe('students.csv:4: startDate "someday" is not a date (expected YYYY-MM-DD)');
  });

  it('a row with too many fields', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n1,A,B\n2,C,D,E\n' }));
    expect(e.message).toBe('students.csv:3 has 4 field(s) where the header has 3');
  });

  it('a stray quote: the line, not the value (it may be a name)', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n1,Ann"e,B\n' }));
    expect(e.message).toMatch(/^students\.csv:2: Invalid Opening Quote: a quote is found on field 1 at line 2$/);
  });

  it('a row with too few fields', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\r\n1,A\r\n' }));
    expect(e.message).toBe('students.csv:2 has 2 field(s) where the header has 3');
  });

  it('a file that is not UTF-8 (Windows-1252 from an old export)', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,first,last\n1,A,B\n2,Zo'), Buffer.from([0xeb]), Buffer.from(',C\n')]);
    const e = await error(csvExport({ 'students.csv': latin1 }));
    expect(e.message).toMatch(/^students\.csv:3 is not UTF-8 text/);
  });

  it('duplicate ids name both places', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n7,A,B\n7,C,D\n' }));
    expect(e.message).toBe('duplicate person id student:7 at students.csv:3 (first seen at students.csv:2)');
  });

  it('a membership naming an unknown person or group is skipped with a warning naming the line', async () => {
    const { roster } = await csvExport({
      'students.csv': 'id,first,last\n1,A,B\n',
      'groups.csv': 'id,name,kind\ng1,7A,registration\n',
      'memberships.csv': 'group,person,role\ng1,1,member\ng1,student:404,member\nnope,1,member\ng1,501,tutor\n',
    });
    expect(roster.memberships.map((m) => `${m.group} ${m.person} ${m.role}`)).toEqual(['group:g1 staff:501 tutor', 'group:g1 student:1 member']);
    const w = roster.warnings.join('\n');
    expect(w).toContain('memberships.csv:3 names unknown person student:404');
    expect(w).toContain('memberships.csv:4 names unknown group group:nope');
  });

  it('empty names: the person is kept (unknown is not absent) and a warning names the record', async () => {
    const { roster } = await csvExport({ 'students.csv': 'id,first,last\n1,,Brown\n' });
    expect(roster.people.some((p) => p.id === 'student:1')).toBe(true);
    expect(roster.warnings).toContain('student:1 at students.csv:2 has an empty first name; it is kept, and an account cannot be named from it');
  });

  it('unparseable dates (including impossible ones)', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last,endDate\n1,A,B,2026-02-30\n' }));
    expect(e.message).toBe('students.csv:2: endDate "2026-02-30" is not a date (expected YYYY-MM-DD)');
  });

  it('an export with nobody in it is an error', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n', 'staff.csv': 'id,first,last\r\n' }));
    expect(e.message).toMatch(/no students and no staff/);
  });

  it('an empty file (no header)', async () => {
    const e = await error(csvExport({ 'students.csv': '' }));
    expect(e.message).toBe('students.csv is empty (not even a header line)');
  });

  it('a missing file named in the config', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n1,A,B\n' }, { files: { groups: 'classes.csv' } }));
    expect(e.message).toMatch(/classes\.csv \(files\.groups in the config\) does not exist/);
  });

  it('maps columns from the config and reads lessons with their offsets', async () => {
    const { roster } = await csvExport(
      {
        'pupils.csv': 'Adno,Forename,Surname,Form\n1,A,B,7X\n',
        'groups.csv': 'id,name,kind,subject\nc1,7X/Ma1,teaching,Maths\n',
        'lessons.csv': 'group,staff,room,period,start,end\nc1,501,M1,P1,2026-01-12T08:50:00Z,2026-01-12T09:50+00:00\n',
      },
      { files: { students: 'pupils.csv' }, columns: { students: { id: 'Adno', first: 'Forename', last: 'Surname', registrationGroup: 'Form' } } },
    );
    expect(roster.people.find((p) => p.id === 'student:1')?.registrationGroup).toBe('7X');
    expect(roster.groups.some((g) => g.kind === 'registration' && g.name === '7X')).toBe(true);
    expect(roster.lessons).toEqual([{ id: 'lesson:c1@2026-01-12T08:50:00+00:00', group: 'group:c1', staff: ['staff:501'], room: 'M1', period: 'P1', start: '2026-01-12T08:50:00+00:00', end: '2026-01-12T09:50:00+00:00' }]);
  });

  it('lessons outside the calendar window are left out when a window is given', async () => {
    const dir = `x${++n}`;
    await mkdir(path.join(root, dir));
    await writeFile(path.join(root, dir, 'students.csv'), 'id,first,last\n1,A,B\n');
    await writeFile(path.join(root, dir, 'staff.csv'), STAFF);
    await writeFile(path.join(root, dir, 'groups.csv'), 'id,name,kind\nc1,7X/Ma1,teaching\n');
    await writeFile(path.join(root, dir, 'lessons.csv'), 'group,start,end\n' + ['2026-01-11', '2026-01-12', '2026-01-18', '2026-01-19'].map((d) => `c1,${d}T09:00:00Z,${d}T10:00:00Z`).join('\n') + '\n');
    const roster = await readRoster({ csv: { dir } }, { baseDir: root, asOf: '2026-01-12', calendar: true, calendarDays: 7, log: memoryLogger() });
    expect(roster.lessons.map((l) => l.start.slice(0, 10))).toEqual(['2026-01-12', '2026-01-18']);
  });
});

describe('bad OneRoster and SDS exports', () => {
  async function folder(files: Record<string, string>) {
    const dir = `o${++n}`;
    await mkdir(path.join(root, dir));
    for (const [name, body] of Object.entries(files)) await writeFile(path.join(root, dir, name), body);
    return dir;
  }
  const read = (cfg: SourceConfig) => readRoster(cfg, { baseDir: root, asOf: '2026-01-12', log: memoryLogger() });
  const manifest = (rows: string) => `propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n${rows}`;

  it('a manifest that names a missing file', async () => {
    const dir = await folder({ 'manifest.csv': manifest('file.users,bulk\nfile.classes,bulk\n'), 'users.csv': 'sourcedId,role,givenName,familyName\n1,student,A,B\n' });
    const e = await error(read({ oneroster: { dir } }));
    expect(e.message).toBe('manifest.csv:5 names classes.csv (bulk), which is not in the export');
  });

  it('a delta export is refused: read as a whole it would make everyone else look gone', async () => {
    const dir = await folder({ 'manifest.csv': manifest('file.users,delta\n'), 'users.csv': 'sourcedId,role,givenName,familyName\n1,student,A,B\n' });
    await expect(read({ oneroster: { dir } })).rejects.toThrow(/users\.csv is a delta export/);
  });

  it('OneRoster 1.1 reads roles from users.csv and skips parents; an unknown role is an error naming the line', async () => {
    const ok = await folder({ 'manifest.csv': manifest('file.users,bulk\n'), 'users.csv': 'sourcedId,role,givenName,familyName,grades\n1,student,A,B,09\n2,parent,C,D,\n3,teacher,E,F,\n' });
    const r = await read({ oneroster: { dir: ok } });
    expect(r.people.map((p) => p.id)).toEqual(['staff:3', 'student:1']);
    expect(r.people[1].yearGroup).toBe('9');
    const bad = await folder({ 'manifest.csv': manifest('file.users,bulk\n'), 'users.csv': 'sourcedId,role,givenName,familyName\n1,wizard,A,B\n' });
    await expect(read({ oneroster: { dir: bad } })).rejects.toThrow('users.csv:2: role "wizard" of user 1 is not a OneRoster role rollcall knows');
  });

  it('a folder without manifest.csv is not a OneRoster export', async () => {
    const dir = await folder({ 'users.csv': 'x\n' });
    await expect(read({ oneroster: { dir } })).rejects.toThrow(/has no manifest\.csv/);
  });

  it('SDS v1 (US headers: SIS ID, Section SIS ID) reads like the UK variant; inactive people are left out with a warning', async () => {
    const dir = await folder({
      'Student.csv': 'SIS ID,School SIS ID,First Name,Last Name,Grade,Status\n1,s,Ann,Lee,07,Active\n2,s,Bo,Ray,08,Inactive\n',
      'Teacher.csv': 'SIS ID,School SIS ID,First Name,Last Name\n9,s,Cy,Day\n',
      'Section.csv': 'SIS ID,School SIS ID,Section Name\n100,s,Maths 7\n',
      'StudentEnrollment.csv': 'Section SIS ID,SIS ID\n100,1\n',
      'TeacherRoster.csv': 'Section SIS ID,SIS ID\n100,9\n',
    });
    const r = await read({ sds: { dir, format: 'v1' } });
    expect(r.people.map((p) => `${p.id} ${p.yearGroup ?? ''}`)).toEqual(['staff:9 ', 'student:1 7']);
    expect(r.memberships.filter((m) => m.group === 'group:100').map((m) => `${m.person} ${m.role}`)).toEqual(['staff:9 teacher', 'student:1 member']);
    expect(r.warnings).toEqual(['left out 1 person(s) whose Status is not Active']);
  });

  it('SDS v2.1 without classes.csv', async () => {
    const dir = await folder({ 'users.csv': 'sourcedId,givenName,familyName\n1,A,B\n', 'roles.csv': 'userSourcedId,role\n1,student\n' });
    await expect(read({ sds: { dir } })).rejects.toThrow('the SDS export has no classes.csv');
  });

  it('a missing export folder is an error, not an empty school', async () => {
    await expect(read({ csv: { dir: 'does-not-exist' } })).rejects.toThrow(/the csv folder does-not-exist does not exist/);
  });
});

// Issue 12.11: hostile and huge input is bounded and named, never a crash. Inputs sit just over the caps.
describe('hostile and huge MIS input', () => {
  it('a CSV record over the cap is refused with its file and line, without reading on', async () => {
    const long = 'x'.repeat(MAX_CSV_RECORD_CHARS + 1);
    const e = await error(csvExport({ 'students.csv': `id,first,last\n1,Ann,Lee\n2,${long},Lee\n3,Bo,Li\n` }));
    expect(e.message).toBe(`students.csv:3: a record longer than ${MAX_CSV_RECORD_CHARS} characters (an unclosed quote, or not a MIS export)`);
    expect(e.where).toEqual({ file: 'students.csv', line: 3 });
    // An unclosed quote swallows the rest of the file into one field: the same cap.
    const q = await error(csvExport({ 'students.csv': `id,first,last\n1,"Ann,Lee\n${'2,Bo,Li\n'.repeat(MAX_CSV_RECORD_CHARS / 8 + 1)}` }));
    expect(q.message).toMatch(/^students\.csv:\d+: a record longer than/);
  });

  it('control characters in names are removed where the data enters, with a warning naming the line', async () => {
    const { roster, log } = await csvExport({
      'students.csv': 'id,first,last,house\n1,Zo\u0000e,Kel\u001b[2J\u001b[31mly,Curie\n2,Ann\tMarie,Lee\u0085,\u202eeiruC\n3,Bo,Li,Curie\n',
    });
    const person = (id: string) => roster.people.find((p) => p.id === id)!;
    expect(person('student:1').legal).toEqual({ first: 'Zoe', last: 'Kelly' });
    expect(person('student:2').legal).toEqual({ first: 'Ann Marie', last: 'Lee' });
    expect(person('student:2').house).toBe('eiruC');
    expect(person('student:3').legal).toEqual({ first: 'Bo', last: 'Li' });
    const warnings = log.lines.filter((l) => /control characters/.test(l));
    expect(warnings).toEqual([
      'warn: student:1 at students.csv:2: control characters (a terminal escape, NUL or similar) removed from its MIS data',
      'warn: student:2 at students.csv:3: control characters (a terminal escape, NUL or similar) removed from its MIS data',
    ]);
    expect(JSON.stringify(roster)).not.toMatch(/\\u00[01]|\\u007f|\\u008|\\u009|\\u202e/i);
  });

  it('lone surrogates (which a Bromcom character reference can carry) are removed; pairs are kept', () => {
    const log = memoryLogger();
    const b = new RosterBuilder('bromcom', '2026-01-12', log);
    b.addPerson({ id: 'student:1', kind: 'student', misId: '1', legal: { first: 'Ann\ud800', last: '\udc00Lee 😀' }, preferred: {} }, { record: 'Students row 1' });
    b.addPerson({ id: 'staff:2', kind: 'staff', misId: '2', legal: { first: 'Ada', last: 'Ok' }, preferred: {} }, { record: 'Staff row 1' });
    b.addGroup({ id: 'group:7\u0000A', kind: 'registration', misId: '7\u0000A', name: 'Tutor\u0000 7A' }, { record: 'Collections row 1' });
    b.addMembership({ group: 'group:7\u0000A', person: 'student:1', role: 'member' }, { record: 'CollectionAssociates row 1' });
    const roster = b.build();
    expect(roster.people.find((p) => p.id === 'student:1')?.legal).toEqual({ first: 'Ann', last: 'Lee 😀' });
    expect(roster.groups.find((g) => g.misId === '7A')?.name).toBe('Tutor 7A');
    // Ids are cleaned the same way on both sides, so the membership still finds its group.
    expect(roster.memberships).toContainEqual(expect.objectContaining({ group: 'group:7A', person: 'student:1' }));
    expect(log.lines.filter((l) => /control characters/.test(l))).toHaveLength(3);
  });

  it('a Bromcom value over the token cap is refused, not retried', () => {
    const xml = `<soap:Envelope><soap:Body><R><Table><FirstName>${'x'.repeat(MAX_XML_TOKEN_CHARS + 1)}</FirstName></Table></R></soap:Body></soap:Envelope>`;
    const e = (() => { try { parseDataSetXml(xml, 'getEntityDataBySchoolID(Students)'); } catch (err) { return err as SourceError; } })();
    expect(e).toBeInstanceOf(SourceError);
    expect(e!.message).toBe(`Bromcom's response to getEntityDataBySchoolID(Students) is refused: a single value, tag or comment is longer than ${MAX_XML_TOKEN_CHARS} characters`);
    expect(e!.retryable).toBe(false);
  });

  it('an unfinished Bromcom token that keeps growing across chunks is refused once it passes the cap', async () => {
    const chunks = ['<a><b>', ...Array.from({ length: 5 }, () => 'y'.repeat(MAX_XML_TOKEN_CHARS / 4))];
    const e = await DataSetReader.fromReadable(Readable.from(chunks), 'getEntityDataBySchoolID(Staff)').then(() => undefined, (err: unknown) => err as SourceError);
    expect(e).toBeInstanceOf(SourceError);
    expect(e!.message).toMatch(/is refused: a single value, tag or comment is longer than/);
  });

  it('a Bromcom response over the body cap is refused after that many bytes, not retried', async () => {
    const body = `<soap:Envelope><soap:Body><R>${'<Table><StudentID>1</StudentID></Table>'.repeat(1000)}</R></soap:Body></soap:Envelope>`;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }); res.end(body); });
    });
    let calls = 0;
    server.on('request', () => { calls++; });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = await connect(server, { maxResponseBytes: 10_000 });
      const e = await client.getEntity('Students', { all: true }).then(() => undefined, (err: unknown) => err as SourceError);
      expect(e).toBeInstanceOf(SourceError);
      expect(e!.message).toBe("Bromcom's response to getEntityDataBySchoolID(Students) is larger than 10000 bytes; refusing it");
      expect(e!.retryable).toBe(false);
      expect(calls).toBe(1);
    } finally {
      server.close();
    }
  });

  describe('SOAP faults are quoted as text, whatever their shape', () => {
    const envelope11 = (fault: string) => `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>${fault}</soap:Fault></soap:Body></soap:Envelope>`;
    const cases: [string, string, RegExp][] = [
      ['nested detail with mixed content', envelope11('<faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; Object reference not set</faultstring><detail><error><code>42</code><message>deep <b>inner</b> text</message></error></detail>'),
        /SOAP fault \(HTTP 500\): Server was unable to process request\. ---> Object reference not set \(detail: 42 deep inner text\)$/],
      ['a faultstring with xml:lang', envelope11('<faultcode>soap:Server</faultcode><faultstring xml:lang="en">School 999 is not available</faultstring><detail><e><f>x</f></e></detail>'),
        /SOAP fault \(HTTP 500\): School 999 is not available \(detail: x\)$/],
      ['SOAP 1.2 Code, Reason and Detail', '<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>x:Busy</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Timeout expired</env:Text></env:Reason><env:Detail><a><b>c</b></a></env:Detail></env:Fault></env:Body></env:Envelope>',
        /SOAP fault \(HTTP 500\): Timeout expired \(detail: c\)$/],
      ['escape sequences in the fault text', envelope11('<faultcode>soap:Server</faultcode><faultstring>bad&#x1b;[2J thing</faultstring>'),
        /SOAP fault \(HTTP 500\): bad thing$/],
    ];
    it.each(cases)('%s', async (_name, body, says) => {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => { res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' }); res.end(body); });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const client = await connect(server, { retries: 0 });
        const e = await client.findEntities().then(() => undefined, (err: unknown) => err as SourceError);
        expect(e).toBeInstanceOf(SourceError);
        expect(e!.message).toMatch(says);
        expect(e!.message).not.toContain('[object Object]');
      } finally {
        server.close();
      }
    });
  });
});

function connect(server: http.Server, extra: { maxResponseBytes?: number; retries?: number } = {}) {
  return BromcomClient.connect({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/TPReadOnlyDataService.asmx`, schoolId: 1, username: 'u', password: 'p',
    secretNames: { username: 'BROMCOM_USERNAME', password: 'BROMCOM_PASSWORD' }, timeoutMs: 10_000, retries: 2, retryDelayMs: 1, log: memoryLogger(), ...extra,
  });
}
