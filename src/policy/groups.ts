// Which MIS groups become groups and classes, who belongs to each today, and the values their name templates
// see: the desired side of groups and classes, computed from the roster and the configuration alone.
import type { Config } from '../config/load.js';
import { membershipOutOfOrder } from '../roster/canonical.js';
import { addDays } from '../roster/dates.js';
import { sortedByTypedId } from '../roster/order.js';
import type { Group, GroupKind, Membership, PersonId, Roster } from '../roster/types.js';
import { academicYearLabel, academicYearOf } from './academic-year.js';
import type { DesiredGroup, DesiredGroups, DesiredSecurityGroups, MailSettings } from './desired.js';
import { globMatch } from './glob.js';
import { markedDescription } from './marks.js';
import { nickname } from './nickname.js';
import { renderText } from './template.js';
import type { DesiredUser } from './users.js';

const KIND_OF_SOURCE: Record<string, GroupKind> = {
  yearGroups: 'year',
  registrationGroups: 'registration',
  houses: 'house',
  teachingGroups: 'teaching',
};

export function groupTokens(g: Group, schoolKey: string, asOf: string, yearStart: string): Record<string, string | undefined> {
  return { academicYear: yearLabel(g.startDate && g.startDate > asOf ? g.startDate : asOf, yearStart), name: g.name, kind: g.kind, misId: g.misId, subject: g.subject, schoolKey };
}

// Nearly every group of a run takes the run's own year: its label is worked out once, not once per group.
let lastYear = { date: '', yearStart: '', label: '' };
function yearLabel(date: string, yearStart: string): string {
  if (date !== lastYear.date || yearStart !== lastYear.yearStart) lastYear = { date, yearStart, label: academicYearLabel(academicYearOf(date, yearStart)) };
  return lastYear.label;
}

// A rendered nickname made only of lower-case ASCII letters and digits in hyphen-separated runs, at most 64
// characters, is what nickname() would make of it: returned as it is, without the Unicode split and fold a trust's
// 21,000 groups would otherwise each go through. Anything else goes to nickname().
const PLAIN_NICKNAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export function groupNickname(rendered: string): string {
  return rendered.length <= 64 && PLAIN_NICKNAME.test(rendered) ? rendered : nickname(rendered);
}

/** The MIS group kinds that groups.from / classes.from name. */
export function groupKindsOf(from: string[]): Set<GroupKind> {
  return new Set(from.map((f) => KIND_OF_SOURCE[f]));
}

/** Groups of the MIS that are current on `asOf` and of the kinds asked for, minus the excluded names. */
export function currentGroups(roster: Roster, from: string[], exclude: string[], asOf: string): Group[] {
  const kinds = groupKindsOf(from);
  const current = roster.groups.filter((g) => kinds.has(g.kind) && !(g.endDate && g.endDate < asOf) && !exclude.some((p) => globMatch(p, g.name)));
  return sortedByTypedId(current, (g) => g.id);
}

/**
 * Who belongs to each group: its students and its staff, each person once, in the order of the memberships. Only
 * read: the lists are shared by groups, classes and calendar (a user that changes one copies it first).
 */
export type GroupMembers = ReadonlyMap<string, { students: readonly PersonId[]; staff: readonly PersonId[] }>;

/**
 * Who belongs to each group today: members (students) and staff (teachers and tutors). The plan builder asks once,
 * when the first of groups, classes and calendar needs it, and hands the answer to all three (a trust has 680,000
 * memberships); each takes it as `membersOf`, which by default asks itself.
 */
export function membersByGroup(memberships: readonly Membership[], asOf: string): GroupMembers {
  // In the roster's canonical order (the builder's: by group, then person, then role) a person listed twice in a
  // group (two roles, two spells) is listed twice in a row: kept once by comparing with the list's last entry, so
  // one pass makes the lists with no set, and no lookup but one per group. Any other order is counted with sets:
  // the order is checked in the same pass, pair by pair (membershipOutOfOrder), and at the first pair out of order
  // the lists made so far are dropped.
  // Each group's people are gathered in two scratch lists and copied out at its end at their exact length: the
  // lists live as long as the plan, and grown by push they would carry a third more room and leave the smaller
  // copies they grew from as garbage.
  const out = new Map<string, { students: PersonId[]; staff: PersonId[] }>();
  const students: PersonId[] = [];
  const staff: PersonId[] = [];
  let ns = 0;
  let nt = 0;
  let last: string | undefined;
  const flush = () => {
    if (last !== undefined) out.set(last, { students: students.slice(0, ns), staff: staff.slice(0, nt) });
    ns = 0;
    nt = 0;
  };
  let prev: Membership | undefined;
  // Whether `last` is the group of `prev` (the membership before was kept): then whether the group changed is known
  // from the order check, with no second comparison of the two names.
  let lastIsPrev = false;
  for (let k = 0; k < memberships.length; k++) {
    const m = memberships[k];
    let sameAsPrev = false;
    if (prev !== undefined) {
      if (membershipOutOfOrder(prev, m)) return membersBySet(memberships, asOf);
      sameAsPrev = m.group === prev.group;
    }
    prev = m;
    if ((m.endDate && m.endDate < asOf) || (m.startDate && m.startDate > asOf)) {
      lastIsPrev = false;
      continue;
    }
    if (lastIsPrev ? !sameAsPrev : m.group !== last) {
      flush();
      last = m.group;
    }
    lastIsPrev = true;
    if (m.role === 'member') {
      if (ns === 0 || students[ns - 1] !== m.person) students[ns++] = m.person;
    } else if (nt === 0 || staff[nt - 1] !== m.person) staff[nt++] = m.person;
  }
  flush();
  return out;
}

/** membersByGroup for memberships in any order. */
function membersBySet(memberships: readonly Membership[], asOf: string): GroupMembers {
  const sets = new Map<string, { students: Set<PersonId>; staff: Set<PersonId> }>();
  for (const m of memberships) {
    if ((m.endDate && m.endDate < asOf) || (m.startDate && m.startDate > asOf)) continue;
    let e = sets.get(m.group);
    if (!e) sets.set(m.group, (e = { students: new Set(), staff: new Set() }));
    (m.role === 'member' ? e.students : e.staff).add(m.person);
  }
  return new Map([...sets].map(([g, e]) => [g, { students: [...e.students], staff: [...e.staff] }]));
}

const MAIL: Record<Config['groups']['type'], MailSettings> = {
  microsoft365: { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false },
  security: { groupTypes: [], mailEnabled: false, securityEnabled: true },
};

/** A group with no `groups.extraMembers` entry. */
const NO_EXTRAS = { include: [], exclude: [] } as const;

/**
 * Year, registration, house (and teaching) groups as they should be ("Groups Provisioning"): rollcall's own, named
 * by the templates and marked as rollcall's, or the school's groups that groups.map feeds. Members and owners as
 * groups.staffAs says.
 */
export function desiredGroups(config: Config, roster: Roster, asOf: string, membersOf: () => GroupMembers = () => membersByGroup(roster.memberships, asOf)): DesiredGroups {
  const gc = config.groups;
  const key = config.school.key;
  const yearStart = config.school.academicYearStart;
  const out: DesiredGroups = { enabled: gc.from.length > 0, prefix: `${nickname(key)}-`, groups: [], endedIn: new Map(), yearBefore: academicYearLabel(academicYearOf(addDays(asOf, -1), yearStart)) };
  if (!out.enabled) return out;
  const members = membersOf();
  for (const g of currentGroups(roster, gc.from, gc.exclude, asOf)) {
    const tokens = groupTokens(g, key, asOf, yearStart);
    const e = members.get(g.id);
    // The lists are shared, not copied (a trust has 680,000 memberships): the planners only read them.
    const staff = e ? (e.staff as PersonId[]) : [];
    // A person is a member once, whether as a student or as staff (students first).
    const students = e ? (e.students as PersonId[]) : [];
    const wantMembers = gc.staffAs !== 'owners' && staff.length ? [...new Set([...students, ...staff])] : students;
    const displayName = renderText(gc.displayName, tokens);
    // Own entries only: a group named `constructor` or `toString` would otherwise find Object's.
    const extraMembers = (Object.hasOwn(gc.extraMembers, g.name) ? gc.extraMembers[g.name] : undefined) ?? NO_EXTRAS;
    const mapped = Object.hasOwn(gc.map, g.name) ? gc.map[g.name] : undefined;
    // Written out rather than spread from a common part: a trust has 21,000 groups.
    const desired: DesiredGroup = mapped
      ? { group: g.id, name: g.name, kind: g.kind, displayName, members: wantMembers, extraMembers, mappedTo: mapped }
      : {
          group: g.id, name: g.name, kind: g.kind, displayName, members: wantMembers, extraMembers,
          mailNickname: groupNickname(renderText(gc.mailNickname, tokens)),
          description: markedDescription(`${g.name} (${g.kind} group)`, key, 'group'),
          mail: MAIL[gc.type],
          owners: gc.staffAs !== 'members' ? staff : [],
        };
    out.groups.push(desired);
  }
  out.endedIn = endedYears(roster, gc.from, gc.mailNickname, key, asOf, yearStart);
  return out;
}

/**
 * The academic year each ended group of the MIS ended in, by the nickname it was made with: the MIS still lists a
 * group that ended during the year (with its end date). A group the MIS no longer lists at all (next year's
 * export) takes the year of the day before the run (`yearBefore`).
 */
function endedYears(roster: Roster, from: string[], template: string, key: string, asOf: string, yearStart: string): Map<string, string> {
  const kinds = groupKindsOf(from);
  const out = new Map<string, string>();
  for (const g of roster.groups) {
    if (!kinds.has(g.kind) || !g.endDate || g.endDate >= asOf) continue;
    const ended = academicYearOf(g.endDate, yearStart);
    const tokens = groupTokens({ ...g, startDate: undefined }, key, g.endDate, yearStart);
    out.set(groupNickname(renderText(template, tokens)), academicYearLabel(ended));
  }
  return out;
}

/** The security groups the desired users name (users.*.securityGroups): nickname and marked description. */
export function desiredSecurityGroups(config: Config, users: readonly Pick<DesiredUser, 'securityGroups'>[]): DesiredSecurityGroups {
  const key = config.school.key;
  const nicknames = new Map<string, string>();
  for (const u of users) for (const name of u.securityGroups) if (!nicknames.has(name)) nicknames.set(name, nickname(`${key}-sg`, name));
  return { prefix: `${key}-sg-`, nicknames, description: markedDescription(`Managed by rollcall for ${config.school.name}`, key, 'sg'), mail: MAIL.security };
}
