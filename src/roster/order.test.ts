import { describe, expect, it } from 'vitest';
import { compareIds, compareTyped } from './order.js';

// compareTyped as it was defined first, with substrings: the reference the in-place reading must agree with.
function reference(a: string, b: string): number {
  const i = a.lastIndexOf(':');
  const j = b.lastIndexOf(':');
  const pa = a.slice(0, i + 1);
  const pb = b.slice(0, j + 1);
  return pa < pb ? -1 : pa > pb ? 1 : compareIds(a.slice(i + 1), b.slice(j + 1));
}

describe('compareTyped', () => {
  it('orders by kind, then numbers by value, then by code unit', () => {
    const ids = ['student:10', 'group:455', 'student:2', 'staff:7', 'student:007', 'student:A1', 'group:', 'group', 'student:0', 'student:00', 'x:y:3', 'x:y:12', 'x:3'];
    expect([...ids].sort(compareTyped)).toEqual([
      'group', 'group:', 'group:455', 'staff:7', 'student:0', 'student:00', 'student:007', 'student:2', 'student:10', 'student:A1', 'x:3', 'x:y:3', 'x:y:12',
    ]);
  });

  it('gives what the definition with substrings gives, sign and size, for ids of every shape', () => {
    // Kinds that are prefixes of one another, ids with leading zeros, empty ids, non-digits, characters beyond ASCII.
    const kinds = ['', 'group:', 'group:x:', 'groups:', 'g:', 'student:', 'stud\u00e9nt:', '\u{1F600}:'];
    const misIds = ['', '0', '00', '007', '7', '10', '010', '0011', '011', '9', '99', '100', 'A12', 'a', '1a', 'a1', '12345678901234567890', '12345678901234567891', '-1', '\u00e9', '\u{1F600}'];
    const all = kinds.flatMap((k) => misIds.map((m) => k + m));
    for (const a of all) for (const b of all) expect([a, b, compareTyped(a, b)]).toEqual([a, b, reference(a, b)]);
  });
});
