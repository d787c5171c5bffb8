// New accounts take their addresses lowest MIS id first, by kind: the order must be exactly that of one key string
// per person (idSortKey), however the ids look, while a trust's numeric ids are ordered without those strings.
import { describe, expect, it } from 'vitest';
import type { DesiredUser } from '../policy/users.js';
import { idSortKey } from '../roster/order.js';
import { createOrder } from './users.js';

function inCreateOrder(list: readonly DesiredUser[]): readonly DesiredUser[] {
  const order = createOrder(list);
  return order ? Array.from(order, (i) => list[i]) : list;
}

const user = (kind: 'student' | 'staff', misId: string, tag: number) => ({ person: { id: `${kind}:${misId}`, kind, misId }, tag }) as unknown as DesiredUser & { tag: number };

/** The definition: a stable sort by kind, then idSortKey. */
function reference(list: readonly DesiredUser[]): DesiredUser[] {
  const key = (p: DesiredUser) => `${p.person.kind}\0${idSortKey(p.person.misId)}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Deterministic pseudo-random ids: numbers of 1 to 15 digits, some with leading zeros, some repeated. */
function ids(seed: number, n: number, extra: (i: number) => string | undefined = () => undefined): DesiredUser[] {
  const out: DesiredUser[] = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const digits = 1 + (seed % 15);
    let id = String(seed).repeat(3).slice(0, digits);
    if (seed % 7 === 0) id = `00${id}`;
    if (seed % 11 === 0 && out.length) id = out[seed % out.length].person.misId;
    out.push(user(seed % 3 === 0 ? 'staff' : 'student', extra(i) ?? id, i));
  }
  return out;
}

describe('createOrder', () => {
  it('orders numeric ids as the key strings do: by kind, by value, leading zeros ignored, ties as they came', () => {
    for (const seed of [1, 2, 3]) {
      const list = ids(seed, 3000);
      expect(inCreateOrder(list)).toEqual(reference(list));
    }
  });

  it('orders ids below 2^31 (sorted packed as numbers) as the key strings do', () => {
    for (const seed of [6, 7]) {
      const list = ids(seed, 5000).map((p, i) => user(p.person.kind, String(Number(p.person.misId.slice(-9)) % 2 ** 31), i));
      // Leading zeros and ids listed twice, in a list not in order.
      list.push(user('student', '0042', 9001), user('student', '42', 9002), user('staff', '0', 9003), user('staff', '2147483647', 9004));
      expect(inCreateOrder(list)).toEqual(reference(list));
    }
  });

  it('orders any other id (letters, more than 15 digits, empty) by the key strings', () => {
    const odd = ['A12', '', '1234567890123456789', '12345678901234567', '9a', 'Ω1'];
    const list = ids(4, 2000, (i) => (i % 97 === 5 ? odd[i % odd.length] : undefined));
    expect(inCreateOrder(list)).toEqual(reference(list));
  });

  it('says so when the list is in order already, without a copy of it', () => {
    const list = reference(ids(5, 1000).filter((p) => p.person.misId.length <= 15));
    expect(inCreateOrder(list)).toBe(list);
    // The roster's own order (by id text) is not this one when ids differ in length: 10 after 9.
    const text = [user('staff', '10', 0), user('staff', '9', 1), user('student', '100', 2), user('student', '99', 3)];
    expect(inCreateOrder(text).map((p) => p.person.misId)).toEqual(['9', '10', '99', '100']);
  });
});
