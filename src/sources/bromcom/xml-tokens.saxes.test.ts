// Differential test: rollcall's tokenizer against saxes (a conforming XML parser) on seeded random documents with
// entities, character references, CDATA, comments, processing instructions and attributes, fed to rollcall's
// tokenizer split at random chunk boundaries. Both must give the same elements, attributes and text.
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/synth/random.js';
import { XmlSyntaxError, XmlTokenizer } from './xml-tokens.js';

type Rnd = () => number;
const int = (r: Rnd, n: number) => Math.floor(r() * n);
const pickOf = <T>(r: Rnd, xs: readonly T[]): T => xs[int(r, xs.length)];

const NAMES = ['a', 'row', 'xs:element', 'diffgr:diffgram', 'Students', 'first_name', 'x-y.z', 'é'];
// Pieces of character data that are the same in text and (with `"` or `'` as the other quote) in attributes.
const PIECES = ['plain', ' ', 'Zoë', '😀', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#233;', '&#x1F600;', '&#9;', '&#xA;', '&#13;', '&#xFFFD;', '&#x10FFFF;', '>', '-', ']', '?', '/', '='];

function chars(r: Rnd, max: number, extra: string[] = []): string {
  let s = '';
  for (let i = int(r, max + 1); i > 0; i--) s += pickOf(r, [...PIECES, ...extra]);
  // "]]>" may not appear in text; a split that would make one is broken up.
  return s.replace(/]]>/g, ']] >');
}

function attributes(r: Rnd): string {
  const names = new Set<string>();
  for (let i = int(r, 4); i > 0; i--) names.add(pickOf(r, ['id', 'b', 'msdata:rowOrder', 'xmlns:x', 'c-d']));
  return [...names].map((n) => {
    const q = r() < 0.5 ? '"' : "'";
    const other = q === '"' ? "'" : '"';
    return `${pickOf(r, [' ', '  ', '\n'])}${n}${pickOf(r, ['=', ' = '])}${q}${chars(r, 4, [other])}${q}`;
  }).join('');
}

function misc(r: Rnd): string {
  switch (int(r, 4)) {
    case 0: return `<!--${chars(r, 3, ['<', '&', '<tag>']).replace(/-(?=-|$)/g, '- ')}-->`;
    case 1: return `<?pi${r() < 0.5 ? '' : ` ${chars(r, 3, ['<', '&'])}`.replace(/\?>/g, '? >')}?>`;
    case 2: return '\n';
    default: return ' ';
  }
}

function element(r: Rnd, depth: number): string {
  const name = pickOf(r, NAMES);
  if (r() < 0.2) return `<${name}${attributes(r)}${r() < 0.5 ? '/' : ' /'}>`;
  let body = '';
  for (let i = int(r, depth > 3 ? 3 : 6); i > 0; i--) {
    const k = int(r, 10);
    if (k < 4 && depth < 6) body += element(r, depth + 1);
    else if (k < 7) body += chars(r, 5);
    else if (k < 8) body += `<![CDATA[${chars(r, 4, ['<', '&', '<x>', ']]']).replace(/]]>/g, ']] >').replace(/]]$/, '] ]')}]]>`;
    else body += misc(r);
  }
  return `<${name}${attributes(r)}${pickOf(r, ['', ' '])}>${body}</${name}${pickOf(r, ['', ' ', '\n'])}>`;
}

function documentOf(r: Rnd): string {
  let doc = r() < 0.5 ? '<?xml version="1.0" encoding="utf-8"?>' : '';
  for (let i = int(r, 3); i > 0; i--) doc += misc(r);
  doc += element(r, 0);
  for (let i = int(r, 3); i > 0; i--) doc += misc(r);
  return doc;
}

/** Open, close and text events, adjacent text (and CDATA) merged: how it was split says nothing about the data. */
class Events {
  readonly list: string[] = [];
  open(name: string, attrs: Record<string, string>) { this.list.push(`<${name} ${JSON.stringify(Object.entries(attrs).sort())}`); }
  close(name: string) { this.list.push(`</${name}`); }
  text(t: string) {
    if (!t) return;
    const last = this.list.length - 1;
    if (this.list[last]?.startsWith('"')) this.list[last] += t;
    else this.list.push(`"${t}`);
  }
}

function bySaxes(doc: string): string[] {
  const ev = new Events();
  const p = new SaxesParser({ position: false });
  let depth = 0;
  p.on('opentag', (t) => { depth++; ev.open(t.name, t.attributes as Record<string, string>); });
  p.on('closetag', (t) => { depth--; ev.close(t.name); });
  // Whitespace outside the root element is not data; rollcall's tokenizer does not report it either.
  p.on('text', (t) => { if (depth) ev.text(t); });
  p.on('cdata', (t) => ev.text(t));
  p.write(doc).close();
  return ev.list;
}

function byRollcall(doc: string, r: Rnd): string[] {
  const ev = new Events();
  const t = new XmlTokenizer({ open: (tag) => ev.open(tag.name, tag.attributes), close: (n) => ev.close(n), text: (x) => ev.text(x) });
  for (let i = 0; i < doc.length;) {
    const size = pickOf(r, [1, 2, 3, 7, 16, 64, 1000]);
    t.write(doc.slice(i, i + size));
    i += size;
  }
  t.end();
  return ev.list;
}

describe('XML tokenizer against saxes, on seeded random documents split at random chunk boundaries', () => {
  const r = seededRandom(0x5a7e5);
  const docs = Array.from({ length: 400 }, () => documentOf(r));

  it('gives the same elements, attributes and text', () => {
    let events = 0;
    for (const doc of docs) {
      const want = bySaxes(doc);
      expect(byRollcall(doc, r), doc).toEqual(want);
      events += want.length;
    }
    // The generator makes real documents, not empty ones.
    expect(events).toBeGreaterThan(docs.length * 5);
    expect(docs.some((d) => d.includes('<![CDATA[')) && docs.some((d) => d.includes('<!--')) && docs.some((d) => d.includes('&#x'))).toBe(true);
  });

  it('refuses what saxes refuses: forbidden character references, unknown entities, a bare &, mismatched tags', () => {
    const defects: [string, (d: string) => string][] = [
      ['NUL reference', (d) => d.replace(/<\/([^>]+)>$/, '&#0;</$1>')],
      ['surrogate reference', (d) => d.replace(/<\/([^>]+)>$/, '&#xD800;</$1>')],
      ['U+FFFE reference', (d) => d.replace(/<\/([^>]+)>$/, '&#xFFFE;</$1>')],
      ['control reference in an attribute', (d) => d.replace(/^(<[^\s/>]+)/, '$1 bad="&#x1B;"')],
      ['unknown entity', (d) => d.replace(/<\/([^>]+)>$/, '&nbsp;</$1>')],
      ['bare &', (d) => d.replace(/<\/([^>]+)>$/, 'a & b</$1>')],
      ['mismatched close', (d) => d.replace(/<\/([^>]+)>$/, '<q></$1></q>')],
    ];
    // Root elements alone, ending in a close tag, so each defect lands inside the document.
    const roots = Array.from({ length: 200 }, () => element(r, 0)).filter((d) => /<\/[^>]+>$/.test(d)).slice(0, 40);
    expect(roots.length).toBe(40);
    for (const doc of roots) {
      for (const [what, spoil] of defects) {
        const bad = spoil(doc);
        expect(() => bySaxes(bad), `saxes, ${what}: ${bad}`).toThrow();
        expect(() => byRollcall(bad, r), `${what}: ${bad}`).toThrow(XmlSyntaxError);
      }
      // Stricter than XML on purpose: a DOCTYPE is well-formed (saxes reads it) but could declare entities, and a
      // SOAP response never carries one.
      const withDoctype = `<!DOCTYPE a>${doc}`;
      expect(bySaxes(withDoctype)).toEqual(bySaxes(doc));
      expect(() => byRollcall(withDoctype, r)).toThrow(/DOCTYPE/);
    }
  });
});
