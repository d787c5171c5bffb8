import { createHash } from 'node:crypto';
import { byContact, byGroup, byPerson, canonicalJson, membershipsInOrder, sortLessons, sortMemberships } from './canonical.js';
import { HashText } from './hash-text.js';
import { groupJson, isPlainMembership, jsonString, membershipJson, personJson } from './record-json.js';
import type { Group, Membership, Person, Roster } from './types.js';

// Whether a list is already in canonical order (as the roster builder leaves it): compared inline, field by field,
// as the comparators in canonical.ts order them (a pair is out of order when the comparator would say > 0).
function peopleInOrder(list: readonly Person[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].id > list[i].id) return false;
  return true;
}
function groupsInOrder(list: readonly Group[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].id > list[i].id) return false;
  return true;
}
function inOrder<T>(list: readonly T[], order: (a: T, b: T) => number, ordered = (l: readonly T[]) => l.every((x, i) => i === 0 || order(l[i - 1], x) <= 0)): readonly T[] {
  return ordered(list) ? list : [...list].sort(order);
}

/** Memberships one a line; a group's members share the text of its part (`{"group":"group:455","person":`). */
function membershipLines(out: HashText, list: readonly Membership[]): void {
  let group: string | undefined;
  let head = '';
  let role: string | undefined;
  let tail = '';
  for (const m of list) {
    if (!isPlainMembership(m)) { out.add(`${membershipJson(m)}\n`); continue; }
    if (m.group !== group) { group = m.group; head = `{"group":${jsonString(group)},"person":`; }
    if (m.role !== role) { role = m.role; tail = `,"role":${jsonString(role)}}\n`; }
    out.add(`${head}${jsonString(m.person)}${tail}`);
  }
}

/**
 * sha256 of the roster's content in canonical form (sorted records, sorted keys, no undefined values). Where the
 * data came from, the as-of date and warnings are left out on purpose: the same school read through any source
 * gives the same digest. Each list is written as its name, then its records one a line; a list already in canonical
 * order (the builder's) is not copied to be sorted. The text is exactly what canonicalJson gives (digest.test.ts
 * holds it to a plain reference and to values pinned before tuning): changing it would invalidate saved plans.
 */
export function rosterDigest(roster: Roster): string {
  const hash = createHash('sha256');
  const out = new HashText(hash);
  out.add('people\n');
  for (const p of inOrder(roster.people, byPerson, peopleInOrder)) out.add(`${personJson(p)}\n`);
  out.add('groups\n');
  for (const g of inOrder(roster.groups, byGroup, groupsInOrder)) out.add(`${groupJson(g)}\n`);
  out.add('memberships\n');
  membershipLines(out, membershipsInOrder(roster.memberships) ? roster.memberships : sortMemberships(roster.memberships));
  out.add('lessons\n');
  for (const l of sortLessons(roster.lessons)) out.add(`${canonicalJson(l)}\n`);
  // Contacts only when read, so a roster read without guardians keeps the digest it always had.
  if (roster.contacts) {
    out.add('contacts\n');
    for (const c of inOrder(roster.contacts, byContact)) out.add(`${canonicalJson(c)}\n`);
  }
  out.end();
  return `sha256:${hash.digest('hex')}`;
}
