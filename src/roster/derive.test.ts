import { describe, expect, it } from 'vitest';
import { deriveAttributeGroups } from './derive.js';
import type { Group, Membership, Person } from './types.js';

const student = (misId: string, extra: Partial<Person> = {}): Person => ({
  id: `student:${misId}`, kind: 'student', misId, legal: { first: 'A', last: 'B' }, preferred: {}, ...extra,
});

describe('deriveAttributeGroups', () => {
  it('reuses a group read by name, makes each missing one once, and adds only memberships not already there', () => {
    const people = [
      student('1', { yearGroup: '7', house: 'Curie' }),
      student('2', { yearGroup: '7', house: 'Curie' }),
      student('3', { yearGroup: '8' }),
      { ...student('9'), id: 'staff:9', kind: 'staff', yearGroup: '7' } as Person,
    ];
    // Year 7 was read as a group, with pupil 1 already in it (as a member) and pupil 2 in it as something else.
    const groups: Group[] = [
      { id: 'group:Y7', kind: 'year', misId: 'Y7', name: 'Year 7' },
      { id: 'group:ma', kind: 'teaching', misId: 'ma', name: 'Curie' },
    ];
    const memberships: Membership[] = [
      { group: 'group:ma', person: 'student:1', role: 'member' },
      { group: 'group:Y7', person: 'student:1', role: 'member' },
      { group: 'group:ma', person: 'student:2', role: 'member' },
      { group: 'group:Y7', person: 'student:2', role: 'tutor' },
    ];
    const out = deriveAttributeGroups(people, groups, memberships);
    // The members by group, as RosterBuilder already has them, give the same.
    const membersOf = new Map<string, Map<string, number>>();
    for (const m of memberships) membersOf.set(m.group, (membersOf.get(m.group) ?? new Map()).set(m.person, 1));
    expect(deriveAttributeGroups(people, groups, memberships, membersOf)).toEqual(out);
    // A teaching group's name is no house: Curie the house is a group of its own; Year 8 is new; Year 7 is reused.
    expect(out.groups.slice(2).map((g) => [g.id, g.kind, g.name])).toEqual([
      ['group:house:Curie', 'house', 'Curie'],
      ['group:year:8', 'year', 'Year 8'],
    ]);
    expect(out.memberships.slice(4)).toEqual([
      { group: 'group:house:Curie', person: 'student:1', role: 'member' },
      { group: 'group:house:Curie', person: 'student:2', role: 'member' },
      { group: 'group:year:8', person: 'student:3', role: 'member' },
    ]);
  });

  it('a pupil in exactly one registration group read as a group gets it as their registration group', () => {
    const people = [student('1'), student('2'), student('3', { registrationGroup: '7C' })];
    const groups: Group[] = [
      { id: 'group:a', kind: 'registration', misId: 'a', name: '7A' },
      { id: 'group:b', kind: 'registration', misId: 'b', name: '7B' },
    ];
    const memberships: Membership[] = [
      { group: 'group:a', person: 'student:1', role: 'member' },
      { group: 'group:a', person: 'student:2', role: 'member' },
      { group: 'group:b', person: 'student:2', role: 'member' },
      { group: 'group:b', person: 'student:3', role: 'member' },
    ];
    const out = deriveAttributeGroups(people, groups, memberships);
    expect(people.map((p) => p.registrationGroup)).toEqual(['7A', undefined, '7C']);
    // Pupil 1 is already in 7A; pupil 3's 7C is made and joined.
    expect(out.memberships.slice(4)).toEqual([{ group: 'group:reg:7C', person: 'student:3', role: 'member' }]);
  });
});
