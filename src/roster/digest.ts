import { createHash } from 'node:crypto';
import { byContact, byGroup, byMembership, byPerson, canonicalJson, sortLessons } from './canonical.js';
import type { Roster } from './types.js';

/** The list as it is when already in `order` (as the roster builder leaves it), else a sorted copy. */
function inOrder<T>(list: readonly T[], order: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) if (order(list[i - 1], list[i]) > 0) return [...list].sort(order);
  return list;
}

/** Text handed to the hash at once: one update per record cost a trust's digest more than the records' JSON. */
const CHUNK = 1 << 16;

/**
 * sha256 of the roster's content in canonical form (sorted records, sorted keys, no undefined values). Where the
 * data came from, the as-of date and warnings are left out on purpose: the same school read through any source
 * gives the same digest. Records are written one a line and hashed in chunks of about 64 KB, so a trust's roster
 * never becomes one huge string; a roster already in canonical order (the builder's) is not copied to be sorted.
 */
export function rosterDigest(roster: Roster): string {
  const hash = createHash('sha256');
  // Contacts only when read, so a roster read without guardians keeps the digest it always had.
  const lists: [string, readonly unknown[]][] = [
    ['people', inOrder(roster.people, byPerson)],
    ['groups', inOrder(roster.groups, byGroup)],
    ['memberships', inOrder(roster.memberships, byMembership)],
    ['lessons', sortLessons(roster.lessons)],
  ];
  if (roster.contacts) lists.push(['contacts', inOrder(roster.contacts, byContact)]);
  for (const [name, list] of lists) {
    let chunk = `${name}\n`;
    for (const item of list) {
      chunk += `${canonicalJson(item)}\n`;
      if (chunk.length >= CHUNK) { hash.update(chunk); chunk = ''; }
    }
    hash.update(chunk);
  }
  return `sha256:${hash.digest('hex')}`;
}
