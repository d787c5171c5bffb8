import { createHash } from 'node:crypto';
import { sortRoster } from './canonical.js';
import type { Roster } from './types.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every property name used at any depth of these records, sorted by code unit. */
function keyUnion(lists: readonly (readonly object[])[]): string[] {
  const keys = new Set<string>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { for (const x of v) visit(x); return; }
    for (const k in v as Record<string, unknown>) { keys.add(k); visit((v as Record<string, unknown>)[k]); }
  };
  for (const list of lists) for (const item of list) visit(item);
  return [...keys].sort(cmp);
}

/**
 * sha256 of the roster's content in canonical form (sorted records, sorted keys, no undefined values). Where the
 * data came from, the as-of date and warnings are left out on purpose: the same school read through any source
 * gives the same digest. JSON.stringify with a sorted list of every key writes each level's keys in that order,
 * which is canonicalJson's output at native speed: this runs on every plan of a 100,000-pupil trust.
 */
export function rosterDigest(roster: Roster): string {
  const { people, groups, memberships, lessons } = sortRoster(roster);
  const lists = [['people', people], ['groups', groups], ['memberships', memberships], ['lessons', lessons]] as const;
  const keys = keyUnion(lists.map(([, l]) => l));
  const hash = createHash('sha256');
  for (const [name, list] of lists) {
    hash.update(`${name}\n`);
    for (const item of list) hash.update(`${JSON.stringify(item, keys)}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}
