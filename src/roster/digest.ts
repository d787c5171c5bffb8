import { createHash } from 'node:crypto';
import { canonicalJson, sortRoster } from './canonical.js';
import type { Roster } from './types.js';

/**
 * sha256 of the roster's content in canonical form (sorted records, sorted keys, no undefined values). Where the
 * data came from, the as-of date and warnings are left out on purpose: the same school read through any source
 * gives the same digest. Records are hashed one a line, so a trust's roster never becomes one huge string
 * (measured: faster than building chunks, and far faster than JSON.stringify with a key list).
 */
export function rosterDigest(roster: Roster): string {
  const { people, groups, memberships, lessons, contacts } = sortRoster(roster);
  const hash = createHash('sha256');
  // Contacts only when read, so a roster read without guardians keeps the digest it always had.
  const lists: [string, readonly unknown[]][] = [['people', people], ['groups', groups], ['memberships', memberships], ['lessons', lessons]];
  if (contacts) lists.push(['contacts', contacts]);
  for (const [name, list] of lists) {
    hash.update(`${name}\n`);
    for (const item of list) hash.update(`${canonicalJson(item)}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}
