// Accounts by anchor and people by id: whatever the keys look like, the index answers as a Map of them would (the last account
// listed for an anchor held twice), whether an anchor is kept in an array by its number or in the Map.
import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.js';

function mapOf(anchors: readonly (string | undefined)[]): Map<string, number> {
  const m = new Map<string, number>();
  anchors.forEach((a, i) => { if (a !== undefined) m.set(a, i); });
  return m;
}

describe('KeyIndex', () => {
  it('finds what a Map finds, for dense numbers, sparse ones, leading zeros, other heads and odd anchors', () => {
    const anchors: (string | undefined)[] = [];
    for (let i = 0; i < 3000; i++) anchors.push(`bt:s${10000 + i}`);
    for (let i = 0; i < 300; i++) anchors.push(`bt:t${i}`);
    anchors.push(
      undefined, 'bt:s007', 'bt:s7', 'bt:s0', 'bt:s', 's123', '123', '', 'bt:sx12', 'bt:s1234567890', 'bt:s13999',
      // A head with sparse numbers (no array), five more heads than arrays, and an anchor listed twice.
      'far:s1', 'far:s900000000', 'a:s1', 'b:s1', 'c:s1', 'd:s1', 'e:s1', 'bt:s10005', 'bt:t7', 'BT:s10001',
    );
    const index = new KeyIndex(anchors);
    const expected = mapOf(anchors);
    const asked = [...anchors.filter((a): a is string => a !== undefined), 'bt:s99999', 'bt:s5', 'bt:t300', 'bt:s00', 'far:s2', 'zz:s1', 'bt:s1000000000', 'bt:s-1'];
    for (const a of asked) expect(index.get(a), a).toBe(expected.get(a));
  });

  it('finds people by id as a Map does: student and staff numbers in their arrays, any other id in the Map', () => {
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) ids.push(`student:${5000 + i}`);
    for (let i = 0; i < 150; i++) ids.push(`staff:${i}`);
    ids.push('staff:T-1', 'student:0', 'student:00', 'contact:9', 'student:6000');
    const index = new KeyIndex(ids);
    const expected = mapOf(ids);
    for (const id of [...ids, 'student:7000', 'staff:150', 'staff:T-2', 'student:', 'teacher:1']) expect(index.get(id), id).toBe(expected.get(id));
  });

  it('keeps the last account of an anchor listed twice, as Map.set does', () => {
    const index = new KeyIndex(['bt:s5', 'bt:s6', 'bt:s5', 'x', 'x']);
    expect([index.get('bt:s5'), index.get('bt:s6'), index.get('x'), index.get('bt:s4')]).toEqual([2, 1, 4, undefined]);
  });
});
