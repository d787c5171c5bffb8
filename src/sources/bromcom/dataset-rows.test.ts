// Rows read whole (DataSetReader.readRows) against the general path (a tokenizer event per tag): the same
// documents, fed in every chunking, must give the same rows and columns, or the same error.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/synth/random.js';
import { DataSetReader, parseDataSetXml } from './dataset.js';
import { MAX_XML_TOKEN_CHARS } from './xml-tokens.js';

const COLUMNS: [string, string][] = [['ID', 'int'], ['Name', 'string'], ['Flag', 'boolean'], ['Score', 'decimal'], ['When', 'dateTime']];

function schema(table = 'Table', columns = COLUMNS): string {
  const cols = columns.map(([n, t]) => `<xs:element name="${n}" type="xs:${t}" minOccurs="0"/>`).join('');
  return '<xs:schema id="NewDataSet" xmlns="" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:msdata="urn:schemas-microsoft-com:xml-msdata">'
    + `<xs:element name="NewDataSet" msdata:IsDataSet="true"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded"><xs:element name="${table}"><xs:complexType><xs:sequence>${cols}</xs:sequence></xs:complexType></xs:element></xs:choice></xs:complexType></xs:element></xs:schema>`;
}

/** A SOAP answer whose data element holds `rows` (written as they are: some of them are meant to be broken). */
function soap(rows: string, opts: { table?: string; columns?: [string, string][]; after?: string } = {}): string {
  return '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getEntityDataResponse xmlns="http://tempuri.org/"><getEntityDataResult>'
    + schema(opts.table, opts.columns)
    + `<diffgr:diffgram xmlns:msdata="urn:schemas-microsoft-com:xml-msdata" xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"><NewDataSet xmlns="">${rows}</NewDataSet>${opts.after ?? ''}</diffgr:diffgram>`
    + '</getEntityDataResult></getEntityDataResponse></soap:Body></soap:Envelope>';
}

const row = (i: number, values: string, tag = 'Table') => `<${tag} diffgr:id="${tag}${i}" msdata:rowOrder="${i - 1}">${values}</${tag}>`;
const PLAIN = [
  row(1, '<ID>1</ID><Name>Ada</Name><Flag>true</Flag><Score>1.5</Score><When>2026-01-12T00:00:00+00:00</When>'),
  row(2, '<ID>2</ID><Flag>0</Flag>'),
  row(3, '<ID> 3 </ID><Name></Name><Score xsi:nil="true"/><Flag/>'),
  row(4, '<Name>Zoë &amp; Co &lt;x&gt; &#233;&#x1F600;</Name><ID>4</ID>'),
  row(5, '<ID>5</ID><Name>a>b "q" \'s\'</Name><Name>again</Name>'),
  row(6, '<Name xsi:nil="true"/><Name>ignored, the value is NULL</Name><ID>6</ID>'),
  '<Table>' + '<ID>7</ID></Table>',
  '<Table diffgr:id="a>b" msdata:rowOrder=\'6 "x"\'><ID>8</ID></Table>',
].join('');

type Outcome = { rows: unknown[]; columns: unknown[]; whole: number } | { error: string };

function read(parts: string[], wholeRows: boolean): Outcome {
  const reader = new DataSetReader('Things', { wholeRows });
  const tokens = reader.tokenizer();
  try {
    for (const p of parts) tokens.write(p);
    tokens.end();
    const ds = reader.finish();
    return { rows: ds.rows, columns: [...ds.columns], whole: reader.wholeRows };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

const inSizes = (doc: string, size: number) => {
  const parts: string[] = [];
  for (let i = 0; i < doc.length; i += size) parts.push(doc.slice(i, i + size));
  return parts;
};

/** The general path's outcome, and the fast path's (which must be the same) for every chunking asked. */
function compare(doc: string, sizes: number[] = [1, 2, 3, 7, 13, 64, 1000]): Outcome {
  const general = read([doc], false);
  const strip = (o: Outcome) => ('error' in o ? o : { rows: o.rows, columns: o.columns });
  expect(strip(read([doc], true)), 'whole').toEqual(strip(general));
  for (const size of sizes) expect(strip(read(inSizes(doc, size), true)), `${size}-character chunks`).toEqual(strip(general));
  return read([doc], true);
}

describe('rows read whole', () => {
  it('give the rows the general path gives, in every chunking, and are read whole when they can be', () => {
    const out = compare(soap(PLAIN));
    expect(out).toMatchObject({ whole: 8 });
    if ('error' in out) return;
    expect(out.rows).toEqual([
      { id: 1, name: 'Ada', flag: true, score: 1.5, when: '2026-01-12T00:00:00+00:00' },
      { id: 2, flag: false },
      { id: 3, name: '', score: null, flag: false },
      { name: 'Zoë & Co <x> é😀', id: 4 },
      { id: 5, name: 'again' },
      { name: null, id: 6 },
      { id: 7 },
      { id: 8 },
    ]);
  });

  it('a document split in two at every position reads the same', () => {
    const doc = soap(PLAIN);
    const whole = read([doc], false);
    for (let at = 0; at <= doc.length; at++) expect(read([doc.slice(0, at), doc.slice(at)], true), `split at ${at}`).toEqual({ ...whole, whole: expect.any(Number) });
  });

  it('rows of other shapes are left to the general path, with the same result', () => {
    const others = [
      row(1, ' <ID>1</ID> '), // white space in a row
      row(1, '<ID>1</ID><!-- c --><Name>x</Name>'),
      row(1, '<ID>1</ID><Name><![CDATA[<b>&]]></Name>'),
      row(1, '<ID a="1">1</ID>'),
      row(1, '<ID>1</ID><Extra>e</Extra>'),
      row(1, '<Name>a<b/>c</Name>'),
      row(1, '<id>1</id>'),
      row(1, '<Name >x</Name >'),
      row(1, '<ID>1</ID>', 'Other'),
      '<Table/>',
      '<Table diffgr:id="Table1" />',
      '<Table diffgr:id="x&amp;y"><ID>1</ID></Table>',
      '<Table\tdiffgr:id="1"><ID>1</ID></Table>',
      `${row(1, '<ID>1</ID>')}\n${row(2, '<ID>2</ID>')}`,
    ];
    for (const r of others) compare(soap(r + row(9, '<ID>9</ID>')));
  });

  it('refuses what the general path refuses, with its error', () => {
    const bad: [string, string][] = [
      [row(1, '<Name>&#0;</Name>'), 'names no character XML allows'],
      [row(1, '<Name>&bogus;</Name>'), 'unknown entity &bogus;'],
      [row(1, '<Name>a & b</Name>'), 'a bare "&" in text'],
      [row(1, '<Name>ab&</Name>'), 'a bare "&" in text'],
      ['<Table diffgr:id="1"/></Table>', '</Table> closes <NewDataSet>'],
      [row(1, '<Name>open</Table>'), '</Table> closes <Name>'],
      [row(1, '<Name>x</Nam>'), '</Nam> closes <Name>'],
      [row(1, '<Name>x</Name></Tab>'), '</Tab> closes <Table>'],
      [row(1, '<ID>abc</ID>'), 'Things row 1 column ID: "abc" is not a number'],
      [row(1, '<ID>1</ID>') + row(2, '<ID/>'), 'Things row 2 column ID: "" is not a number'],
      ['<Table diffgr:id="&bad;"><ID>1</ID></Table>', 'unknown entity &bad;'],
      ['<Table diffgr:id="x><ID>1</ID></Table>', 'ends inside a tag'],
    ];
    for (const [r, message] of bad) {
      const out = compare(soap(r));
      expect(out, r).toEqual({ error: expect.stringContaining(message) });
    }
  });

  it('a document cut inside a row fails', () => {
    const doc = soap(PLAIN);
    const cut = doc.slice(0, doc.indexOf('<Name>Ada') + 7);
    expect(compare(cut)).toEqual({ error: expect.stringMatching(/ends with <Name> still open|ends inside/) });
  });

  it('rows under diffgr:before are skipped, rows after it read', () => {
    const out = compare(soap(row(1, '<ID>1</ID>'), { after: `<diffgr:before>${row(1, '<ID>99</ID>')}</diffgr:before><NewDataSet>${row(2, '<ID>2</ID>')}</NewDataSet>` }));
    expect(out).toMatchObject({ rows: [{ id: 1 }, { id: 2 }], whole: 2 });
  });

  it('a value over the token cap is refused, as it always was', () => {
    const doc = soap(row(1, `<Name>${'x'.repeat(MAX_XML_TOKEN_CHARS + 1)}</Name>`));
    expect(compare(doc, [65536])).toEqual({ error: expect.stringContaining(`longer than ${MAX_XML_TOKEN_CHARS} characters`) });
  });

  it('tables and columns named like the reader\'s own elements keep the general path', () => {
    compare(soap(row(1, '<diffgram>1</diffgram><ID>1</ID>'), { columns: [['diffgram', 'string'], ['ID', 'int']] }));
    compare(soap(row(1, '<Fault>1</Fault>', 'Body'), { table: 'Body', columns: [['Fault', 'string']] }));
    // The HTTP GET binding's <DataSet> root puts rows at depth 3, where a *Result element marks a SOAP result.
    const get = (table: string) => `<DataSet>${schema(table)}<diffgr:diffgram xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"><NewDataSet>${row(1, '<ID>1</ID>', table)}</NewDataSet></diffgr:diffgram></DataSet>`;
    expect(compare(get('Table'))).toMatchObject({ rows: [{ id: 1 }], whole: 1 });
    expect(compare(get('GetResult'))).toMatchObject({ rows: [{ id: 1 }], whole: 0 });
  });

  it('random rows, some broken, in random chunkings, read as the general path reads them', () => {
    const r = seededRandom(17);
    const int = (n: number) => Math.floor(r() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
    const texts = ['x', 'Zoë', '&amp;', '&lt;', '&#233;', '&#0;', '&nope;', '>', '"', ' 12 ', '3.5', 'true', '', '😀'];
    const values = (): string => {
      let s = '';
      for (let n = int(5); n > 0; n--) {
        const [name] = pick(COLUMNS);
        const k = int(20);
        if (k === 0) s += `<${name} xsi:nil="true"/>`;
        else if (k === 1) s += `<${name}/>`;
        else if (k === 2) s += `<${name}>${pick(texts)}</${pick(COLUMNS)[0]}>`;
        else if (k === 3) s += pick([' ', '<!--c-->', '<Other/>', `<${name} a="1">1</${name}>`]);
        else s += `<${name}>${name === 'ID' || name === 'Score' ? pick(['1', '2', ' 3', 'x', '']) : pick(texts)}</${name}>`;
      }
      return s;
    };
    for (let d = 0; d < 150; d++) {
      let rows = '';
      for (let i = 1, n = 1 + int(6); i <= n; i++) rows += int(12) === 0 ? pick(['<Table', '<Table a=">">', '</Table>', ' ']) + values() : row(i, values());
      const doc = soap(rows);
      compare(doc, [1 + int(5), 1 + int(40), 1 + int(400)]);
    }
  });

  it('a response read from a stream in byte pieces of any size (UTF-8 sequences split) gives the rows of the whole text', async () => {
    const text = soap(Array.from({ length: 3000 }, (_, i) => row(i + 1, `<ID>${i}</ID><Name>Zoë 😀 ${'é'.repeat(i % 50)}</Name>`)).join(''));
    const bytes = Buffer.from(text);
    const expected = parseDataSetXml(text, 'Things').rows;
    for (const size of [1, 5, 4099, 65536, 700_000]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
      const ds = await DataSetReader.fromReadable(Readable.from(pieces), 'Things');
      expect(ds.rows, `${size}-byte pieces`).toEqual(expected);
    }
  });
});
