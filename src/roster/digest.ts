import { createHash } from 'node:crypto';
import { canonicalJson, sortRoster } from './canonical.js';
import type { Roster } from './types.js';

/**
 * sha256 of the roster's content in canonical form. Where the data came from, the as-of date and warnings are
 * left out on purpose: the same school read through any source gives the same digest.
 */
export function rosterDigest(roster: Roster): string {
  const { people, groups, memberships, lessons } = sortRoster(roster);
  const hash = createHash('sha256').update(canonicalJson({ people, groups, memberships, lessons }));
  return `sha256:${hash.digest('hex')}`;
}
