import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../log.js';
import { RosterBuilder } from './builder.js';
import { countRoster } from './counts.js';
import { personStatus } from './dates.js';
import { rosterDigest } from './digest.js';
import type { Person, Roster } from './types.js';

const person = (kind: 'student' | 'staff', misId: string, extra: Partial<Person> = {}): Person => ({
  id: `${kind}:${misId}`, kind, misId, legal: { first: 'A', last: 'B' }, preferred: {}, ...extra,
});

function build(order: 'forward' | 'reverse'): Roster {
  const b = new RosterBuilder('csv', '2026-01-12', memoryLogger());
  const people = [person('student', '2', { yearGroup: '7', house: 'Curie' }), person('student', '10', { yearGroup: '7' }), person('staff', '2')];
  for (const p of order === 'forward' ? people : [...people].reverse()) b.addPerson(structuredClone(p), {});
  b.addGroup({ id: 'group:g', kind: 'teaching', misId: 'g', name: '7/Ma1' }, {});
  const ms = [{ group: 'group:g', person: 'student:2', role: 'member' }, { group: 'group:g', person: 'staff:2', role: 'teacher' }] as const;
  for (const m of order === 'forward' ? ms : [...ms].reverse()) b.addMembership({ ...m }, {});
  return b.build();
}

describe('roster', () => {
  it('counts per kind, including derived year and house groups', () => {
    expect(countRoster(build('forward'))).toEqual({ students: 2, staff: 1, groups: 3, memberships: 5, lessons: 0 });
  });

  it('the digest does not depend on the order rows arrived in, and changes when the content does', () => {
    const a = build('forward'), b = build('reverse');
    expect(rosterDigest(a)).toBe(rosterDigest(b));
    expect(rosterDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    b.people[0].legal.first = 'Changed';
    expect(rosterDigest(a)).not.toBe(rosterDigest(b));
  });

  it('a preferred name equal to the legal one is no preference', () => {
    const b = new RosterBuilder('bromcom', '2026-01-12', memoryLogger());
    b.addPerson(person('student', '1', { preferred: { first: 'A', last: 'Z' } }), {});
    expect(b.build().people[0].preferred).toEqual({ last: 'Z' });
  });

  it('a membership that ended before the as-of date is left out', () => {
    const b = new RosterBuilder('csv', '2026-01-12', memoryLogger());
    b.addPerson(person('student', '1'), {});
    b.addGroup({ id: 'group:g', kind: 'teaching', misId: 'g', name: 'g' }, {});
    b.addMembership({ group: 'group:g', person: 'student:1', role: 'member', endDate: '2026-01-11' }, {});
    expect(b.build().memberships).toEqual([]);
  });

  it('status as of a date: the end date is the last day on roll', () => {
    expect(personStatus({ startDate: '2026-02-01' }, '2026-01-12')).toBe('future');
    expect(personStatus({ endDate: '2026-01-12' }, '2026-01-12')).toBe('current');
    expect(personStatus({ endDate: '2026-01-11' }, '2026-01-12')).toBe('left');
  });

  it('contacts: not read stays undefined, read-but-none is [], duplicates are one, orphans and staff are skipped', () => {
    const notRead = build('forward');
    expect(notRead.contacts).toBeUndefined();
    const empty = new RosterBuilder('csv', '2026-01-12', memoryLogger());
    empty.addPerson(person('student', '1'), {});
    empty.readContacts();
    expect(empty.build().contacts).toEqual([]);

    const log = memoryLogger();
    const b = new RosterBuilder('csv', '2026-01-12', log);
    b.addPerson(person('student', '1'), {});
    b.addPerson(person('staff', '9'), {});
    const mum = { student: 'student:1', misId: 'c1', displayName: 'Parent One', relationship: 'parent', priority: 2 } as const;
    b.addContact({ ...mum }, { file: 'contacts.csv', line: 2 });
    b.addContact({ ...mum }, { file: 'contacts.csv', line: 3 });
    b.addContact({ student: 'student:1', misId: 'c0', displayName: 'Carer\u0007', relationship: 'guardian', priority: 1 }, {});
    b.addContact({ student: 'student:404', misId: 'c2', displayName: 'X', relationship: 'parent' }, {});
    b.addContact({ student: 'staff:9', misId: 'c3', displayName: 'Y', relationship: 'parent' }, {});
    const r = b.build();
    expect(r.contacts!.map((c) => [c.misId, c.displayName])).toEqual([['c0', 'Carer'], ['c1', 'Parent One']]);
    expect(r.warnings.join('\n')).toMatch(/skipped 2 contact\(s\)/);
    // Contacts count in the digest only when read: a roster read without them keeps its old digest.
    expect(rosterDigest({ ...r, contacts: undefined })).not.toBe(rosterDigest(r));
  });
});
