import { describe, expect, it } from 'vitest';
import type { Membership, PersonId } from '../roster/types.js';
import { membersByGroup } from './groups.js';

const asOf = '2026-03-02';
const m = (group: string, person: PersonId, role: Membership['role'], extra: Partial<Membership> = {}): Membership => ({ group: `group:${group}`, person, role, ...extra });

// In the roster's canonical order (group, person, role), as RosterBuilder leaves it.
const sorted: Membership[] = [
  m('455', 'staff:31', 'teacher'),
  m('455', 'staff:31', 'tutor'),
  m('455', 'student:1001', 'member'),
  m('455', 'student:1001', 'member', { startDate: '2025-09-01', endDate: '2026-07-20' }),
  m('455', 'student:1002', 'member', { endDate: '2026-02-27' }),
  m('455', 'student:1003', 'member'),
  m('460', 'staff:31', 'teacher'),
  m('460', 'student:1001', 'member'),
  m('460', 'student:1003', 'member', { startDate: '2026-04-20' }),
];

const plain = (g: ReturnType<typeof membersByGroup>) => Object.fromEntries([...g].map(([k, e]) => [k, { students: [...e.students], staff: [...e.staff] }]));

describe('membersByGroup', () => {
  it('lists each group\'s current students and staff, each person once, in the order of the memberships', () => {
    expect(plain(membersByGroup(sorted, asOf))).toEqual({
      'group:455': { students: ['student:1001', 'student:1003'], staff: ['staff:31'] },
      'group:460': { students: ['student:1001'], staff: ['staff:31'] },
    });
  });

  it('gives the same for memberships whose groups come apart (a roster not in canonical order)', () => {
    const scattered = [sorted[2], sorted[7], sorted[0], sorted[5], sorted[6], sorted[3], sorted[1], sorted[4], sorted[8], sorted[2]];
    expect(plain(membersByGroup(scattered, asOf))).toEqual({
      'group:455': { students: ['student:1001', 'student:1003'], staff: ['staff:31'] },
      'group:460': { students: ['student:1001'], staff: ['staff:31'] },
    });
  });
});
