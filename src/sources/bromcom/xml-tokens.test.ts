import { describe, expect, it } from 'vitest';
import { renderDataSet } from '../../../test/support/synth/dataset-xml.js';
import { DataSetReader, parseDataSetXml } from './dataset.js';
import { XmlSyntaxError, XmlTokenizer } from './xml-tokens.js';

const events = (chunks: string[]) => {
  const out: string[] = [];
  const t = new XmlTokenizer({ open: (tag) => out.push(`<${tag.name} ${JSON.stringify(tag.attributes)}`), close: (n) => out.push(`</${n}`), text: (x) => out.push(`"${x}`) });
  for (const c of chunks) t.write(c);
  t.end();
  // Adjacent text events are one text whichever way the chunks fell.
  return out.reduce<string[]>((acc, e) => (e.startsWith('"') && acc.at(-1)?.startsWith('"') ? [...acc.slice(0, -1), acc.at(-1)! + e.slice(1)] : [...acc, e]), []);
};

describe('XML tokenizer', () => {
  const doc = `<?xml version="1.0"?><!-- c --><a x="1 > 2" y='&amp;'><b>Zo&#235; &lt;3 &#x1F600;</b><c/><![CDATA[<raw>&]]></a>`;

  it('gives the same events however the text is split into chunks', () => {
    const whole = events([doc]);
    expect(whole).toEqual(['<a {"x":"1 > 2","y":"&"}', '<b {}', '"Zoë <3 😀', '</b', '<c {}', '</c', '"<raw>&', '</a']);
    expect(events([...doc])).toEqual(whole);
    expect(events([doc.slice(0, 17), doc.slice(17, 40), doc.slice(40)])).toEqual(whole);
  });

  it('rejects what is not well-formed', () => {
    for (const bad of ['<a><b></a>', '<a>', '<a>&nbsp;</a>', '<a>x & y</a>', '<a/><b/>', '<!DOCTYPE a><a/>', '']) {
      expect(() => events([bad]), bad).toThrow(XmlSyntaxError);
    }
  });

  it('a DataSet streamed a byte at a time reads the same as whole', async () => {
    const table = { columns: [['StudentID', 'xs:int'], ['FirstName', 'xs:string']] as [string, 'xs:int' | 'xs:string'][], rows: [] };
    const xml = `<soap:Envelope xmlns:soap="s"><soap:Body><R><RResult>${renderDataSet(table, [{ StudentID: 1, FirstName: 'Łukasz' }, { StudentID: 2 }])}</RResult></R></soap:Body></soap:Envelope>`;
    const { Readable } = await import('node:stream');
    const bytes = Buffer.from(xml);
    const stream = Readable.from((function* () { for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1); })());
    const streamed = await DataSetReader.fromReadable(stream, 'Students');
    expect(streamed.rows).toEqual(parseDataSetXml(xml, 'Students').rows);
    expect(streamed.rows).toEqual([{ studentid: 1, firstname: 'Łukasz' }, { studentid: 2 }]);
  });
});
