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
});
