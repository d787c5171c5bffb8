import { describe, expect, it } from 'vitest';
import { renderDataSet } from '../../../test/support/synth/dataset-xml.js';
import { DataSetReader, parseDataSetXml } from './dataset.js';
import { MAX_XML_TOKEN_CHARS, XmlLimitError, XmlSyntaxError, XmlTokenizer } from './xml-tokens.js';

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

  it('plain tags and the general way agree, split anywhere: white space before >, attributes, self-closing, non-ASCII names', () => {
    const mixed = `<r><Name>a</Name ><Name\n>b</Name><T k="v"><Ünï>c</Ünï></T><e/><e /><N>d</N></r>`;
    const whole = events([mixed]);
    expect(whole).toEqual(['<r {}', '<Name {}', '"a', '</Name', '<Name {}', '"b', '</Name', '<T {"k":"v"}', '<Ünï {}', '"c', '</Ünï', '</T', '<e {}', '</e', '<e {}', '</e', '<N {}', '"d', '</N', '</r']);
    for (let size = 1; size < mixed.length; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < mixed.length; i += size) chunks.push(mixed.slice(i, i + size));
      expect(events(chunks), `${size}-character chunks`).toEqual(whole);
    }
  });

  it('attributes read the plain way and the general way agree', () => {
    const attrs = (tag: string) => events([`<r>${tag}${tag.endsWith('/>') ? '' : '</T>'}</r>`])[1];
    const cases: [string, Record<string, string>][] = [
      ['<T diffgr:id="Table1" msdata:rowOrder="0">', { 'diffgr:id': 'Table1', 'msdata:rowOrder': '0' }],
      ['<T a="x &amp; y" b="">', { a: 'x & y', b: '' }],
      ['<T a="1" a="2">', { a: '2' }],
      ['<T  a="1"\n b=\'2\' c = "3" >', { a: '1', b: '2', c: '3' }],
      ['<T a="1"b="2">', { a: '1', b: '2' }],
      ['<T a="1" junk b="2">', { a: '1', b: '2' }],
      ['<T ä="1" x="é">', { ä: '1', x: 'é' }],
      ['<T a="1"/>', { a: '1' }],
      ['<T >', {}],
    ];
    for (const [tag, want] of cases) expect(attrs(tag), tag).toBe(`<T ${JSON.stringify(want)}`);
    expect(() => events(['<r><T a="&bogus;"/></r>'])).toThrow(XmlSyntaxError);
    expect(() => events(['<r><T a="&#x1B;"/></r>'])).toThrow(XmlSyntaxError);
  });

  it('names guessed from the order of the last row are never taken for a longer or different name', () => {
    const rows = ['<A>1</A><AB>2</AB>', '<A>3</A><AB>4</AB>', '<AB>5</AB><A>6</A>', '<A>7</A><ABC>8</ABC>', '<A>9</A><AB x="1">10</AB>', '<A>11</A><AB>12</AB>'];
    const doc = `<r>${rows.map((r) => `<T>${r}</T>`).join('')}</r>`;
    const want = ['<r {}', ...rows.flatMap((r) => ['<T {}', ...[...r.matchAll(/<(\w+)( x="1")?>(\d+)<\/\w+>/g)].flatMap((m) => [`<${m[1]} ${m[2] ? '{"x":"1"}' : '{}'}`, `"${m[3]}`, `</${m[1]}`]), '</T']), '</r'];
    for (const size of [1, 2, 3, 5, 7, doc.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < doc.length; i += size) chunks.push(doc.slice(i, i + size));
      expect(events(chunks), `${size}-character chunks`).toEqual(want);
    }
  });

  it('a close tag must close the innermost element, however it is written; a quote is never part of a name', () => {
    expect(() => events(['<a><b>x</a></b>'])).toThrow('</a> closes <b>');
    expect(() => events(['<a><b>x</bb></a>'])).toThrow('</bb> closes <b>');
    expect(() => events(['<a><b>x</ b></a>'])).not.toThrow(); // leading white space was always trimmed
    expect(() => events(['<a"b"c>x</a"b"c>'])).toThrow('a quote in a tag name');
    expect(() => events(['<é"b"c>x</é"b"c>'])).toThrow('a quote in a tag name');
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

  // A long token arriving in many chunks used to be searched again from its start on every chunk (quadratic: a
  // 4 MB value in 16 KB chunks meant half a gigabyte of scanning). Each character is now looked at a bounded number
  // of times, whatever the chunking: counted, not timed.
  describe('scans each character a bounded number of times, however a long token is chunked', () => {
    const n = 200_000;
    const long = 'x'.repeat(n);
    const tokens: [string, string][] = [
      ['text', `<a>${'ab&amp;'.repeat(n / 7)}</a>`],
      ['comment', `<a><!--${long.replace(/x{7}/g, 'x->x--x')}--></a>`],
      ['CDATA', `<a><![CDATA[${long.replace(/x{5}/g, 'x]]x>')}]]></a>`],
      ['processing instruction', `<a><?pi ${long.replace(/x{4}/g, 'x?x>')}?></a>`],
      ['tag with a long attribute value', `<a b="${long.replace(/x{4}/g, "x>'x")}" c='${long.replace(/x{4}/g, 'x>"x')}'/>`],
    ];
    for (const [what, doc] of tokens) {
      it(what, () => {
        const whole = new XmlTokenizer({ open: () => {}, close: () => {}, text: () => {} });
        whole.write(doc);
        whole.end();
        for (const size of [1000, 97]) {
          let texts = '';
          const t = new XmlTokenizer({ open: () => {}, close: () => {}, text: (x) => { texts += x; } });
          for (let i = 0; i < doc.length; i += size) t.write(doc.slice(i, i + size));
          t.end();
          expect(t.scanned, `${size}-character chunks`).toBeLessThanOrEqual(3 * doc.length);
          if (what === 'text') expect(texts).toBe('ab&'.repeat(n / 7));
        }
      });
    }
  });

  it('refuses a token over the cap even when it comes in small chunks', () => {
    const t = new XmlTokenizer({ open: () => {}, close: () => {}, text: () => {} });
    t.write('<a><!--');
    const chunk = 'y'.repeat(64 * 1024);
    expect(() => { for (let i = 0; i <= MAX_XML_TOKEN_CHARS / chunk.length; i++) t.write(chunk); }).toThrow(XmlLimitError);
  });

  it("rejects character references to what XML 1.0's Char production excludes, in text and in attributes", () => {
    const forbidden = ['&#0;', '&#x0;', '&#1;', '&#x8;', '&#xB;', '&#xC;', '&#x1F;', '&#xD800;', '&#xDFFF;', '&#55296;', '&#xFFFE;', '&#xFFFF;', '&#x110000;', '&#99999999999;'];
    for (const ref of forbidden) {
      expect(() => events([`<a>${ref}</a>`]), ref).toThrow(XmlSyntaxError);
      expect(() => events([`<a b="${ref}"/>`]), ref).toThrow(XmlSyntaxError);
    }
    const allowed: [string, string][] = [['&#9;', '\t'], ['&#xA;', '\n'], ['&#13;', '\r'], ['&#x20;', ' '], ['&#xD7FF;', '\ud7ff'], ['&#xE000;', '\ue000'], ['&#xFFFD;', '\ufffd'], ['&#x10000;', '\u{10000}'], ['&#x10FFFF;', '\u{10ffff}']];
    for (const [ref, char] of allowed) expect(events([`<a>${ref}</a>`]), ref).toEqual(['<a {}', `"${char}`, '</a']);
  });

  it('a bad reference in an attribute refuses the document whether or not the handler reads the attributes', () => {
    const blind = () => new XmlTokenizer({ open: () => {}, close: () => {}, text: () => {} });
    for (const attr of ['&bogus;', 'a & b', '&#0;']) {
      for (const split of [0, 3, 9]) {
        const doc = `<r><Table diffgr:id="${attr}" n="1"></Table></r>`;
        const t = blind();
        expect(() => { t.write(doc.slice(0, split)); t.write(doc.slice(split)); t.end(); }, `${attr} @${split}`).toThrow(XmlSyntaxError);
      }
    }
  });

  it('attributes read on demand are the ones read at once, and a handler that never asks still sees the tag', () => {
    const doc = `<r><Table diffgr:id="Table1" msdata:rowOrder="0"><v a='x' b = "y"/></Table><Table  c="&amp;"></Table></r>`;
    const seen: string[] = [];
    const t = new XmlTokenizer({ open: (tag) => seen.push(tag.name === 'Table' && seen.length === 1 ? tag.name : `${tag.name} ${JSON.stringify(tag.attributes)} ${JSON.stringify(tag.attributes)}`), close: () => {}, text: () => {} });
    t.write(doc);
    t.end();
    expect(seen).toEqual(['r {} {}', 'Table', 'v {"a":"x","b":"y"} {"a":"x","b":"y"}', 'Table {"c":"&"} {"c":"&"}']);
    expect(events([doc])).toEqual(['<r {}', '<Table {"diffgr:id":"Table1","msdata:rowOrder":"0"}', '<v {"a":"x","b":"y"}', '</v', '</Table', '<Table {"c":"&"}', '</Table', '</r']);
  });
});
