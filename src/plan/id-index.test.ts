import { describe, expect, it } from 'vitest';
import { IdIndex } from './id-index.js';

describe('IdIndex', () => {
  it('gives each id its position, the first for an id listed twice, and -1 for an id it was not made from', () => {
    const ids = ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'u1', 'u12', 'u1', 'Zoë', '', 'u2'];
    const index = new IdIndex(ids);
    expect(ids.map((id) => index.get(id))).toEqual([0, 1, 2, 1, 4, 5, 6]);
    // Prefixes, extensions and near misses of ids it holds are not those ids.
    for (const id of ['u', 'u123', 'U1', 'Zoe', '3f2504e0-4f89-11d3-9a0c-0305e82c330', 'x']) expect(index.get(id)).toBe(-1);
  });

  it('finds every id of a large list exactly, among ids that share long prefixes and suffixes', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `tenant-${String(i).padStart(6, '0')}-user`);
    const index = new IdIndex(ids);
    for (let i = 0; i < ids.length; i += 7) expect(index.get(ids[i])).toBe(i);
    expect(index.get('tenant-050000-user')).toBe(-1);
    expect(index.get('tenant-000001-use')).toBe(-1);
  });

  it('first: by position, the position get gives for the id there, so a caller holding a position needs no lookup', () => {
    const ids = ['b', 'a', 'b', 'c', 'a', 'b'];
    const index = new IdIndex(ids);
    expect([...index.first]).toEqual([0, 1, 0, 3, 1, 0]);
    expect([...index.first]).toEqual(ids.map((id) => index.get(id)));
  });

  it('ids that differ only inside, or only in a character beyond Latin-1, are told apart', () => {
    const ids = ['ab-cd', 'ab-ce', 'ab\u{1F600}', 'ab\u{1F601}', 'a\u0100', 'a\u0101'];
    const index = new IdIndex(ids);
    expect(ids.map((id) => index.get(id))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(index.get('ab-cf')).toBe(-1);
    expect(index.get('ab\u{1F602}')).toBe(-1);
  });

  it('answers as a Map of the ids would, for GUIDs, short ids and every shape between (packed in the table or not)', () => {
    const guid = 'd4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a';
    const ids = [
      guid, guid.toUpperCase(), guid.replace('d4c3', 'd4c2'), guid.slice(0, 35) + 'b', `${guid.slice(0, 8)}x${guid.slice(9)}`,
      `${guid.slice(0, 8)}${guid.slice(9)}-`, // 36 characters, hyphen in the wrong place
      '', 'a', 'a\0', 'a\0\0', '\0', '\0\0', 'ÿ', 'ÿÿ', '\u0100', 'a\u0100', '0123456789abcdef', '0123456789abcdeg', '0123456789abcdef0',
      guid, 'a', '\u0100', '0123456789abcdef0', // repeats of each kind
    ];
    const index = new IdIndex(ids);
    const reference = new Map<string, number>();
    ids.forEach((id, i) => { if (!reference.has(id)) reference.set(id, i); });
    for (const id of ids) expect([id, index.get(id)]).toEqual([id, reference.get(id)]);
    expect([...index.first]).toEqual(ids.map((id) => reference.get(id)));
    for (const id of ['D4C3B2A1-0f9e-4d8c-b7a6-5f4e3d2c1b0a', guid.slice(0, 35), `${guid}0`, 'b', 'a\0\0\0', '\0\0\0', 'ÿÿÿ', '\u0101', '0123456789abcdeF']) {
      expect([id, index.get(id)]).toEqual([id, -1]);
    }
  });

  it('a large list of GUIDs and short ids, each found at its place; ids one digit off are not', () => {
    const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
    const ids: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const h = Math.imul(i + 1, 2654435761);
      ids.push(i % 3 === 0 ? `u${i}` : `${hex(h, 8)}-${hex(i, 4)}-4${hex(h >>> 4, 3)}-a${hex(i >>> 3, 3)}-${hex(h ^ i, 8)}${hex(i, 4)}`);
    }
    const index = new IdIndex(ids);
    for (let i = 0; i < ids.length; i++) expect(index.get(ids[i])).toBe(i);
    for (let i = 0; i < ids.length; i += 101) {
      const id = ids[i];
      const last = id.charCodeAt(id.length - 1);
      const off = id.slice(0, -1) + String.fromCharCode(last === 48 ? 49 : 48);
      expect(index.get(off)).toBe(ids.indexOf(off));
    }
  });
});
