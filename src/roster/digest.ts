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

/** Bytes encoded once for a key: the few roles there are, or a group's roles (a line's ending and the next's start). */
interface Cached { role: string; bytes: Uint8Array }
function cached(list: Cached[], role: string): Uint8Array | undefined {
  for (let i = 0; i < list.length; i++) if (list[i].role === role) return list[i].bytes;
  return undefined;
}

/**
 * Memberships one a line. Lines of one group differ only in the person (and the role): a plain member's line is
 * written as the line before's ending and its own start in one piece (`,"role":"member"}\n{"group":"group:455",
 * "person":"`, encoded once per group and role) and its person, so a line is one call; the group's last line gets
 * its ending alone. Unless the list is known to be sorted, each is checked against the one before as it is written
 * (byMembership's order, field by field), so the builder's sorted list is read once: false at the first out of
 * order, the rest unwritten.
 */
function membershipLines(out: HashBytes, list: readonly Membership[], sorted: boolean): boolean {
  // The membership before (its fields); `open` is the role of the line before when its ending is not written yet.
  let group: string | undefined;
  let person: string | undefined;
  let role: string | undefined;
  let open: string | undefined;
  // The group's JSON (`"group:455"`) and its ending-and-start pieces by role, made when a second member needs one.
  let groupJson: string | undefined;
  let joins: Cached[] = [];
  // A line's ending by role (a source gives any role as it is, so only the first few are kept).
  const ends: Cached[] = [];
  const end = (r: string): Uint8Array => {
    let bytes = cached(ends, r);
    if (!bytes) {
      bytes = utf8(`,"role":${JSON.stringify(r)}}\n`);
      if (ends.length < 8) ends.push({ role: r, bytes });
    }
    return bytes;
  };
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    const g = m.group, p = m.person, r = m.role;
    const same = i > 0 && g === group;
    if (!sorted && i > 0 && (same ? person! > p || (person === p && role! > r) : group! > g)) return false;
    if (!same) { groupJson = undefined; joins = []; }
    group = g; person = p; role = r;
    if (!isPlainMembership(m)) {
      if (open !== undefined) { out.bytes(end(open)); open = undefined; }
      writeMembership(out, m);
      out.byte(NEWLINE);
      out.mark();
      continue;
    }
    if (open !== undefined && same) {
      let join = cached(joins, open);
      if (!join) joins.push({ role: open, bytes: (join = utf8(`,"role":${JSON.stringify(open)}}\n{"group":${groupJson ??= JSON.stringify(g)},"person":"`)) });
      out.keyString(join, p);
    } else {
      if (open !== undefined) out.bytes(end(open));
      out.text(`{"group":${groupJson ??= JSON.stringify(g)},"person":`);
      out.jsonString(p);
    }
    open = r;
    out.mark();
  }
  if (open !== undefined) out.bytes(end(open));
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
