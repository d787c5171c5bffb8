import type { Contact, Group, Lesson, Membership, Person, Roster } from './types.js';

// Code-unit order, not locale order: the same roster must sort the same way on every machine.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const byPerson = (a: Person, b: Person) => cmp(a.id, b.id);
export const byGroup = (a: Group, b: Group) => cmp(a.id, b.id);
export const byMembership = (a: Membership, b: Membership) => cmp(a.group, b.group) || cmp(a.person, b.person) || cmp(a.role, b.role);
export const byLesson = (a: Lesson, b: Lesson) => cmp(a.start, b.start) || cmp(a.id, b.id);
export const byContact = (a: Contact, b: Contact) => cmp(a.student, b.student) || (a.priority ?? Infinity) - (b.priority ?? Infinity) || cmp(a.misId, b.misId);

/** A copy of the roster in its one canonical order (sources differ in the order rows arrive). */
export function sortRoster(roster: Roster): Roster {
  return {
    ...roster,
    people: [...roster.people].sort(byPerson),
    groups: [...roster.groups].sort(byGroup),
    memberships: [...roster.memberships].sort(byMembership),
    lessons: [...roster.lessons].map((l) => ({ ...l, staff: [...l.staff].sort(cmp) })).sort(byLesson),
    ...(roster.contacts ? { contacts: [...roster.contacts].sort(byContact) } : {}),
  };
}

const keyJson = new Map<string, string>();

function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return keys.sort(cmp);
  return keys;
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
