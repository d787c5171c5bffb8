import type { Roster, RosterCounts } from './types.js';

export function countRoster(roster: Pick<Roster, 'people' | 'groups' | 'memberships' | 'lessons'>): RosterCounts {
  let students = 0;
  let staff = 0;
  for (const p of roster.people) {
    if (p.kind === 'student') students++;
    else staff++;
  }
  return { students, staff, groups: roster.groups.length, memberships: roster.memberships.length, lessons: roster.lessons.length };
}
