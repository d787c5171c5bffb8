import { describe, expect, it } from 'vitest';
import { compareIds, compareTyped, sortedByTypedId } from './order.js';

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

describe('sortedByTypedId', () => {
  // The definition: a stable sort by compareTyped. Items are objects, so that which of two equal ids comes first shows.
  const definition = (ids: string[]) => ids.map((id, i) => ({ id, i })).sort((a, b) => compareTyped(a.id, b.id));
  const sorted = (ids: string[]) => sortedByTypedId(ids.map((id, i) => ({ id, i })), (x) => x.id);
  // A small seeded generator: the same lists on every run.
  let seed = 12345;
  const random = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };

  it('gives what a stable sort by compareTyped gives, on lists of every shape', () => {
    const shapes: string[][] = [
      [], ['group:1'],
      // The fast way: one kind, plain numbers, in string order (as a roster lists them), repeats among them.
      Array.from({ length: 3000 }, (_, i) => `group:${i + 1}`).sort(),
      Array.from({ length: 2000 }, () => `group:${random(500)}`),
      ['group:0', 'group:10', 'group:9', 'group:999999999', 'group:100000000', 'group:0', 'group:9'],
      ['1', '10', '2', '0'],
      // The slow way: a leading zero, ten digits, two kinds, no number, no colon, a colon in the id, beyond ASCII.
      ['group:10', 'group:7', 'group:007', 'group:2'],
      ['group:10', 'group:1234567890', 'group:2'],
      ['group:10', 'class:2', 'group:2', 'class:10'],
      ['group:10', 'group:A1', 'group:2'],
      ['group:10', 'group:', 'group:2'],
      ['10', 'group:2', '2'],
      ['group:10', 'group:x:2', 'group:2'],
      ['group:10', 'gro\u00fcp:2', 'group:2', 'group:\u0663'],
      ['group:10', 'group:-1', 'group:2', 'group:1.5'],
      Array.from({ length: 500 }, () => ['group:', 'groups:', 'group:x:', ''][random(4)] + ['', '0', '07', '7', '10', 'A', String(random(10 ** 6))][random(7)]),
    ];
    for (const ids of shapes) expect(sorted(ids)).toEqual(definition(ids));
  });

  it('leaves the list it is given as it was', () => {
    const list = [{ id: 'group:10' }, { id: 'group:2' }];
    sortedByTypedId(list, (x) => x.id);
    expect(list.map((x) => x.id)).toEqual(['group:10', 'group:2']);
  });
});

