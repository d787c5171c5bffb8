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
});
