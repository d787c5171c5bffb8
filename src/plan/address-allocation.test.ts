// A trust of 100,000 pupils has dozens with the same first name and surname initial: each new account's address
// is numbered (2, 3, …) past the ones already given, and finding that number must not retry every lower one.
import { describe, expect, it } from 'vitest';
import { buildPlan } from './build.js';
import { config, roster, snapshot, student } from '../../test/support/plan-kit.js';

/** Counts Set lookups while `run` works: each address tried is looked up among those already given. */
function setLookups<T>(run: () => T): { result: T; lookups: number } {
  const has = Set.prototype.has;
  let lookups = 0;
  Set.prototype.has = function counted(this: Set<unknown>, v: unknown) { lookups++; return has.call(this, v); };
  try {
    return { result: run(), lookups };
  } finally {
    Set.prototype.has = has;
  }
}

describe('numbered addresses', () => {
  it('gives 1,500 namesakes base, base2 … base1500 with a few tries each, not one per lower number', () => {
    const n = 1500;
    const people = Array.from({ length: n }, (_, i) => student(String(10_000 + i), 'Amy', 'Poe', { yearGroup: '8' }));
    const { result: plan, lookups } = setLookups(() => buildPlan({ config: config(), roster: roster(people), snapshot: snapshot(), manualMatches: [], asOf: '2026-03-02', now: '' }));
    const creates = plan.changes.filter((c) => c.kind === 'user' && c.action === 'create');
    expect(creates).toHaveLength(n);
    // Lowest MIS id first, numbers in order, every one different.
    const byMisId = [...creates].sort((a, b) => (a.key < b.key ? -1 : 1)).map((c) => String(c.after?.userPrincipalName));
    expect(byMisId).toEqual(['amyp@students.t.example', ...Array.from({ length: n - 1 }, (_, i) => `amyp${i + 2}@students.t.example`)]);
    // Trying 1, 2, … for each namesake is n²/2 tries (over 1,100,000 here); starting where the last one stopped is
    // about one each (the rest of planning looks up a few dozen per person).
    expect(lookups).toBeLessThanOrEqual(100 * n);
  });
});
