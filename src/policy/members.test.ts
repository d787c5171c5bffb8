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

// What the lists are, by their definition: each group's current students and staff, each person once, in the order
// they first come in the list given.
function reference(list: Membership[]): Record<string, { students: string[]; staff: string[] }> {
  const out: Record<string, { students: string[]; staff: string[] }> = {};
  for (const x of list) {
    if ((x.endDate && x.endDate < asOf) || (x.startDate && x.startDate > asOf)) continue;
    const e = (out[x.group] ??= { students: [], staff: [] });
    const into = x.role === 'member' ? e.students : e.staff;
    if (!into.includes(x.person)) into.push(x.person);
  }
  return out;
}

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

  it('memberships in order but for one pair, even a late one or one of memberships not current, give what sets give', () => {
    // The last pair swapped: the lists made up to it are dropped.
    const lastSwapped = [...sorted.slice(0, -2), sorted[8], sorted[7]];
    expect(plain(membersByGroup(lastSwapped, asOf))).toEqual(reference(lastSwapped));
    // Two memberships that have ended, out of order between themselves.
    const ended = [m('455', 'student:1009', 'member', { endDate: '2026-01-01' }), m('455', 'student:1008', 'member', { endDate: '2026-01-01' })];
    const withEnded = [...sorted.slice(0, 6), ...ended, ...sorted.slice(6)];
    expect(plain(membersByGroup(withEnded, asOf))).toEqual(reference(withEnded));
    // A group name that sorts before the one before it; a person before the one before them.
    const groupBack = [...sorted.slice(6), ...sorted.slice(0, 6)];
    expect(plain(membersByGroup(groupBack, asOf))).toEqual(reference(groupBack));
    const personBack = [sorted[0], sorted[5], ...sorted.slice(1, 5), ...sorted.slice(6)];
    expect(plain(membersByGroup(personBack, asOf))).toEqual(reference(personBack));
    // A group that comes back after another, at the very end.
    const comesBack = [...sorted, sorted[5]];
    expect(plain(membersByGroup(comesBack, asOf))).toEqual(reference(comesBack));
    expect(reference(personBack)['group:455'].students).toEqual(['student:1003', 'student:1001']);
  });

  it('a group whose memberships all lie outside today is not listed; the group after it starts its own lists', () => {
    const list = [m('450', 'student:1', 'member', { endDate: '2026-01-01' }), ...sorted];
    expect(Object.keys(plain(membersByGroup(list, asOf)))).toEqual(['group:455', 'group:460']);
    // Ended memberships between two groups' current ones.
    const between = [...sorted.slice(0, 6), m('457', 'student:1', 'member', { endDate: '2026-01-01' }), ...sorted.slice(6)];
    expect(plain(membersByGroup(between, asOf))).toEqual(plain(membersByGroup(sorted, asOf)));
  });
});
