import { createHash } from 'node:crypto';
import { byContact, byGroup, byPerson, canonicalJson, sortLessons, sortMemberships } from './canonical.js';
import { HashBytes } from './hash-text.js';
import { checkPrototype, isPlainMembership, writeGroup, writeMembership, writePerson } from './record-json.js';
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

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const NEWLINE = 0x0a;

/**
 * Memberships one a line; a group's members share the bytes of its part (`{"group":"group:455","person":`), and
 * each role's ending is encoded once. Unless the list is known to be sorted, each is checked against the one before
 * as it is written (byMembership's order, field by field), so the builder's sorted list is read once: false at the
 * first out of order, the rest unwritten.
 */
function membershipLines(out: HashBytes, list: readonly Membership[], sorted: boolean): boolean {
  // The membership before (its fields), and the bytes of its group's part once a plain member has asked for them.
  let group: string | undefined;
  let person: string | undefined;
  let role: string | undefined;
  let head: Uint8Array | undefined;
  const tails: { role: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    const g = m.group, p = m.person, r = m.role;
    if (i > 0 && g === group) {
      if (!sorted && (person! > p || (person === p && role! > r))) return false;
    } else {
      if (!sorted && i > 0 && group! > g) return false;
      head = undefined;
    }
    group = g; person = p; role = r;
    if (!isPlainMembership(m)) { writeMembership(out, m); out.byte(NEWLINE); out.mark(); continue; }
    out.bytes(head ??= utf8(`{"group":${JSON.stringify(g)},"person":`));
    out.jsonString(p);
    let tail: Uint8Array | undefined;
    for (const t of tails) if (t.role === r) { tail = t.bytes; break; }
    if (!tail) {
      tail = utf8(`,"role":${JSON.stringify(r)}}\n`);
      // The few roles there are (a source gives any other as it is, so the list stays short whatever comes).
      if (tails.length < 8) tails.push({ role: r, bytes: tail });
    }
    out.bytes(tail);
    out.mark();
  }
  return true;
}

/**
 * sha256 of the roster's content in canonical form (sorted records, sorted keys, no undefined values). Where the
 * data came from, the as-of date and warnings are left out on purpose: the same school read through any source
 * gives the same digest. Each list is written as its name, then its records one a line; a list already in canonical
 * order (the builder's) is not copied to be sorted. The text is exactly what canonicalJson gives (digest.test.ts
 * holds it to a plain reference and to values pinned before tuning): changing it would invalidate saved plans.
 */
export function rosterDigest(roster: Roster): string {
  checkPrototype();
  let hash = createHash('sha256');
  let out = new HashBytes(hash);
  out.text('people\n');
  for (const p of inOrder(roster.people, byPerson, peopleInOrder)) { writePerson(out, p); out.byte(NEWLINE); out.mark(); }
  out.text('groups\n');
  for (const g of inOrder(roster.groups, byGroup, groupsInOrder)) { writeGroup(out, g); out.byte(NEWLINE); out.mark(); }
  out.text('memberships\n');
  // The hash so far, kept in case the memberships turn out not to be in order and are written again, sorted.
  out.end();
  const before = hash.copy();
  if (!membershipLines(out, roster.memberships, false)) {
    hash = before;
    out = new HashBytes(hash);
    membershipLines(out, sortMemberships(roster.memberships), true);
  }
  out.text('lessons\n');
  for (const l of sortLessons(roster.lessons)) { out.text(canonicalJson(l)); out.byte(NEWLINE); out.mark(); }
  // Contacts only when read, so a roster read without guardians keeps the digest it always had.
  if (roster.contacts) {
    out.text('contacts\n');
    for (const c of inOrder(roster.contacts, byContact)) { out.text(canonicalJson(c)); out.byte(NEWLINE); out.mark(); }
  }
  out.end();
  return `sha256:${hash.digest('hex')}`;
}
