import type { Contact, Group, Lesson, Membership, Person, Roster } from './types.js';

// Code-unit order, not locale order: the same roster must sort the same way on every machine.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const byPerson = (a: Person, b: Person) => cmp(a.id, b.id);
export const byGroup = (a: Group, b: Group) => cmp(a.id, b.id);
export const byMembership = (a: Membership, b: Membership) => cmp(a.group, b.group) || cmp(a.person, b.person) || cmp(a.role, b.role);
export const byLesson = (a: Lesson, b: Lesson) => cmp(a.start, b.start) || cmp(a.id, b.id);
export const byContact = (a: Contact, b: Contact) => cmp(a.student, b.student) || (a.priority ?? Infinity) - (b.priority ?? Infinity) || cmp(a.misId, b.misId);

/** Lessons in canonical order, each with its staff sorted (copies). */
export function sortLessons(lessons: readonly Lesson[]): Lesson[] {
  return lessons.map((l) => ({ ...l, staff: [...l.staff].sort(cmp) })).sort(byLesson);
}

const byPersonThenRole = (a: Membership, b: Membership) => cmp(a.person, b.person) || cmp(a.role, b.role);

/**
 * The memberships sorted by byMembership (a copy), as a stable sort gives them: bucketed by group, the group ids
 * sorted, then each group's few members. A trust's 680,000 memberships then take a fraction of the comparisons
 * one sort of them all would.
 */
export function sortMemberships(list: readonly Membership[]): Membership[] {
  const byGroupId = new Map<string, Membership[]>();
  let last: string | undefined;
  let bucket: Membership[] = [];
  for (const m of list) {
    if (m.group !== last || bucket.length === 0) {
      last = m.group;
      let b = byGroupId.get(m.group);
      if (!b) byGroupId.set(m.group, (b = []));
      bucket = b;
    }
    bucket.push(m);
  }
  const out: Membership[] = [];
  for (const group of [...byGroupId.keys()].sort(cmp)) {
    const members = byGroupId.get(group)!;
    if (members.length > 1) members.sort(byPersonThenRole);
    for (const m of members) out.push(m);
  }
  return out;
}

/**
 * Whether membership `b` may not follow `a` in canonical order: byMembership(a, b) > 0, compared inline field by
 * field (no -1/0/1 made). The one definition of the check, for whole lists and for a pass that checks as it goes.
 */
export function membershipOutOfOrder(a: Membership, b: Membership): boolean {
  return a.group === b.group ? a.person > b.person || (a.person === b.person && a.role > b.role) : a.group > b.group;
}

/** Whether memberships are already in canonical order (as the roster builder leaves them). */
export function membershipsInOrder(list: readonly Membership[]): boolean {
  for (let i = 1; i < list.length; i++) if (membershipOutOfOrder(list[i - 1], list[i])) return false;
  return true;
}

/** A copy of the roster in its one canonical order (sources differ in the order rows arrive). */
export function sortRoster(roster: Roster): Roster {
  return {
    ...roster,
    people: [...roster.people].sort(byPerson),
    groups: [...roster.groups].sort(byGroup),
    memberships: sortMemberships(roster.memberships),
    lessons: sortLessons(roster.lessons),
    ...(roster.contacts ? { contacts: [...roster.contacts].sort(byContact) } : {}),
  };
}

const keyJson = new Map<string, string>();

// The last unordered key list seen and its sorted copy: records of one source share a shape (a person's keys in
// the order its source wrote them), so a trust's 100,000 people are sorted once, not once each.
let lastKeys: string[] = [];
let lastSorted: string[] = [];

function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  let i = 1;
  while (i < keys.length && keys[i - 1] <= keys[i]) i++;
  if (i >= keys.length) return keys;
  if (keys.length === lastKeys.length) {
    let j = 0;
    while (j < keys.length && keys[j] === lastKeys[j]) j++;
    if (j === keys.length) return lastSorted;
  }
  lastKeys = keys;
  lastSorted = [...keys].sort(cmp);
  return lastSorted;
}

/** JSON with sorted keys and no undefined values: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${out}]`;
  }
  // Plain loops and cached key text: this runs for every record of a trust's roster (800,000 of them).
  const obj = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const k of sortedKeys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    let kj = keyJson.get(k);
    if (kj === undefined) keyJson.set(k, (kj = `${JSON.stringify(k)}:`));
    out += first ? kj : `,${kj}`;
    out += canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}
