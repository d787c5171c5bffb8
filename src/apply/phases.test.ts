import { describe, expect, it } from 'vitest';
import { phaseOf } from '../plan/build.js';
import type { Change } from '../plan/types.js';
import { phasesOf } from './phases.js';

const change = (i: number, kind: Change['kind'], action: Change['action']): Change =>
  ({ kind, action, key: `${kind}:${action}:${i}`, reason: '', subject: {}, destructive: false });

/**
 * Counts the array elements walked while `run` works (spread, for…of, Array.from: anything that copies through
 * the iterator), and stops it as soon as that passes `budget`, so a quadratic grouping fails fast instead of slowly.
 */
function walkedWithin<T>(budget: number, run: () => T): { result: T; walked: number } {
  const original = Array.prototype[Symbol.iterator];
  let walked = 0;
  Array.prototype[Symbol.iterator] = function* counted(this: unknown[]) {
    for (let i = 0; i < this.length; i++) {
      if (++walked > budget) throw new Error(`walked more than ${budget} elements`);
      yield this[i];
    }
  } as typeof original;
  try {
    return { result: run(), walked };
  } finally {
    Array.prototype[Symbol.iterator] = original;
  }
}

describe('phasesOf', () => {
  it('groups a first sync in one pass: the work is linear in the number of changes', () => {
    // A trust's first sync in miniature: most changes in three phases.
    const changes: Change[] = [];
    for (let i = 0; i < 20_000; i++) changes.push(change(i, 'user', 'create'));
    for (let i = 0; i < 30_000; i++) changes.push(change(i, 'membership', 'add-member'));
    for (let i = 0; i < 30_000; i++) changes.push(change(i, 'event', 'create'));
    for (let i = 0; i < 100; i++) changes.push(change(i, 'group', 'create'));
    const n = changes.length;
    // Copying a phase per change walks ~n²/2 elements per phase (over 10⁹ here); one pass walks n, and a few more.
    const { result, walked } = walkedWithin(4 * n, () => phasesOf(changes));
    expect(walked).toBeLessThanOrEqual(4 * n);
    expect(result.map((p) => p.length)).toEqual([100, 20_000, 30_000, 30_000]);
    expect(result.map((p) => phaseOf(p[0]))).toEqual([...result.map((p) => phaseOf(p[0]))].sort((a, b) => a - b));
    // Each phase keeps the plan's order.
    expect(result[1].slice(0, 3).map((c) => c.key)).toEqual(['user:create:0', 'user:create:1', 'user:create:2']);
  });
});

/** The grouping apply used before it was made linear (183eb2f): a copy per change, phases sorted, plan order kept. */
function phasesAsBefore(changes: Change[]): Change[][] {
  const phases = new Map<number, Change[]>();
  for (const c of changes) phases.set(phaseOf(c), [...(phases.get(phaseOf(c)) ?? []), c]);
  return [...phases.keys()].sort((a, b) => a - b).map((p) => phases.get(p)!);
}

describe('phasesOf on a mixed plan', () => {
  it('gives the same phases, in the same order, as the grouping it replaced', () => {
    const kinds: [Change['kind'], Change['action']][] = [
      ['group', 'create'], ['class', 'create'], ['user', 'create'], ['user', 'restore'], ['user', 'update'], ['group', 'update'],
      ['class', 'update'], ['educationUser', 'set'], ['educationUser', 'update'], ['membership', 'add-member'], ['membership', 'add-owner'],
      ['team', 'create'], ['team', 'unarchive'], ['event', 'create'], ['event', 'update'], ['membership', 'remove-member'],
      ['membership', 'remove-owner'], ['team', 'archive'], ['event', 'delete'], ['group', 'archive'], ['user', 'suspend'],
      ['user', 'delete'], ['group', 'delete'],
    ];
    // Interleaved as no planner would sort them (a seeded shuffle), with phases left empty in between.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const changes: Change[] = [];
    for (let i = 0; i < 3000; i++) {
      const [kind, action] = kinds[Math.floor(rnd() * kinds.length)];
      changes.push(change(i, kind, action));
    }
    const before = phasesAsBefore(changes);
    const now = phasesOf(changes);
    expect(now.map((p) => p.map((c) => c.key))).toEqual(before.map((p) => p.map((c) => c.key)));
    // Every change once, and the same objects (apply records results against them).
    expect(now.flat()).toHaveLength(changes.length);
    expect(new Set(now.flat())).toEqual(new Set(changes));
    expect(now.length).toBeGreaterThan(8);
  });

  it('gives no phase for an empty plan, and one phase for a plan of one kind', () => {
    expect(phasesOf([])).toEqual([]);
    const only = [change(2, 'user', 'update'), change(1, 'group', 'update')];
    expect(phasesOf(only)).toEqual([only]);
  });
});
