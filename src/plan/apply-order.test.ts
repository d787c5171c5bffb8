// buildPlan orders the changes by apply phase, then key. It buckets them by phase instead of comparing phases at
// every step of a sort: the order must be exactly what one stable sort by (phase, key) gave.
import { describe, expect, it } from 'vitest';
import { inApplyOrder, phaseOf } from './build.js';
import type { Change } from './types.js';

const PAIRS: [Change['kind'], Change['action']][] = [
  ['user', 'create'], ['user', 'update'], ['user', 'suspend'], ['user', 'delete'], ['user', 'restore'], ['group', 'create'], ['group', 'delete'],
  ['membership', 'add-member'], ['membership', 'remove-owner'], ['licence', 'assign'], ['licence', 'unassign'], ['team', 'create'], ['event', 'delete'],
] as [Change['kind'], Change['action']][];

describe('inApplyOrder', () => {
  it('gives what a stable sort by phase, then key, gives: equal keys in the order they came', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const changes = Array.from({ length: 3000 }, (_, i) => {
      const [kind, action] = PAIRS[next() % PAIRS.length];
      // Few distinct keys, so many changes share a phase and a key.
      return { kind, action, key: `${kind}:${next() % 40}`, reason: `r${i}` } as Change;
    });
    const stable = [...changes].sort((a, b) => phaseOf(a) - phaseOf(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    expect(inApplyOrder(changes).map((c) => c.reason)).toEqual(stable.map((c) => c.reason));
  });

  it('refuses a change with no apply phase, as phaseOf does', () => {
    expect(() => inApplyOrder([{ kind: 'user', action: 'explode', key: 'x' } as unknown as Change])).toThrow(/no apply phase for explode user/);
  });
});
