// Which MIS groups become groups and classes, who belongs to each today, and the values their name templates
// see: the desired side of groups and classes, computed from the roster and the configuration alone.
import { academicYearLabel, academicYearOf } from './academic-year.js';
import { globMatch } from './glob.js';
import { compareTyped } from '../roster/order.js';
import type { Group, GroupKind, Membership, PersonId, Roster } from '../roster/types.js';

const KIND_OF_SOURCE: Record<string, GroupKind> = {
  yearGroups: 'year',
  registrationGroups: 'registration',
  houses: 'house',
  teachingGroups: 'teaching',
};

export function groupTokens(g: Group, schoolKey: string, asOf: string, yearStart: string): Record<string, string | undefined> {
  const year = academicYearOf(g.startDate && g.startDate > asOf ? g.startDate : asOf, yearStart);
  return { academicYear: academicYearLabel(year), name: g.name, kind: g.kind, misId: g.misId, subject: g.subject, schoolKey };
}

/** The MIS group kinds that groups.from / classes.from name. */
export function groupKindsOf(from: string[]): Set<GroupKind> {
  return new Set(from.map((f) => KIND_OF_SOURCE[f]));
}

/** Groups of the MIS that are current on `asOf` and of the kinds asked for, minus the excluded names. */
export function currentGroups(roster: Roster, from: string[], exclude: string[], asOf: string): Group[] {
  const kinds = groupKindsOf(from);
  return roster.groups
    .filter((g) => kinds.has(g.kind) && !(g.endDate && g.endDate < asOf) && !exclude.some((p) => globMatch(p, g.name)))
    .sort((a, b) => compareTyped(a.id, b.id));
}

/** Who belongs to each group today: members (students) and staff (teachers and tutors). */
export function membersByGroup(memberships: Membership[], asOf: string): Map<string, { students: Set<PersonId>; staff: Set<PersonId> }> {
  const out = new Map<string, { students: Set<PersonId>; staff: Set<PersonId> }>();
  for (const m of memberships) {
    if ((m.endDate && m.endDate < asOf) || (m.startDate && m.startDate > asOf)) continue;
    let e = out.get(m.group);
    if (!e) out.set(m.group, (e = { students: new Set(), staff: new Set() }));
    (m.role === 'member' ? e.students : e.staff).add(m.person);
  }
  return out;
}

