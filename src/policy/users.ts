import type { Config } from '../config/load.js';
import { personStatus } from '../roster/dates.js';
import type { Person, PersonId, Roster } from '../roster/types.js';
import type { Subject, Unsynced } from '../plan/types.js';
import { academicYearOf } from './academic-year.js';
import { initials } from './ascii.js';
import { globRegExp } from './glob.js';
import { licencesOf, type DesiredLicence } from './licences.js';
import { addressRenderer, textRenderer, type TokenValues } from './template.js';

export type Role = 'students' | 'staff';

/** One MIS person as their account should be. */
export interface DesiredUser {
  person: Person;
  role: Role;
  /** The MIS anchor stored on the account, e.g. `bts:s1001`. */
  anchor: string;
  /** The address the template gives before collisions are resolved. */
  address: { local: string; domain: string };
  /** The address comes from users.addressOverrides: exactly this one, never with a 2, 3, … added. */
  overridden?: boolean;
  displayName: string;
  givenName: string;
  surname: string;
  usageLocation?: string;
  employeeType: string;
  securityGroups: string[];
  licenseGroups: string[];
  /** Licences assigned directly (users.*.licences), one list shared by the role. */
  licences: DesiredLicence[];
  /** current: should have an enabled account; left: the MIS says they have gone (endDate passed). */
  status: 'current' | 'left';
}

export interface UserPolicy {
  users: DesiredUser[];
  unsynced: Unsynced[];
  /** People whose accounts must be left exactly as they are (excluded, or scope unknown): never leavers. */
  protectedPeople: Set<PersonId>;
  /** Anchors of people the MIS knows but who are out of scope: their accounts are leavers. */
  outOfScope: Map<string, Person>;
}

const ANCHOR_MAX = 16;

export function anchorFor(schoolKey: string, person: Pick<Person, 'kind' | 'misId'>): string {
  return `${schoolKey}:${person.kind === 'student' ? 's' : 't'}${person.misId}`;
}

/** How a person appears in a plan; made only for people the plan mentions. */
export function subjectOf(person: Person, address?: string): Subject {
  return {
    person: person.id,
    name: address,
    displayName: `${person.preferred.first ?? person.legal.first} ${person.preferred.last ?? person.legal.last}`.trim(),
    yearGroup: person.yearGroup,
    initials: initials(person.preferred.first ?? person.legal.first, person.preferred.last ?? person.legal.last),
  };
}

export function tokenValues(person: Person, schoolKey: string, academicYearStart: string): TokenValues {
  return {
    first: person.legal.first,
    last: person.legal.last,
    middle: person.legal.middle,
    preferredFirst: person.preferred.first || person.legal.first,
    preferredLast: person.preferred.last || person.legal.last,
    misId: person.misId,
    admissionNumber: person.admissionNumber,
    entryYear: person.startDate ? String(academicYearOf(person.startDate, academicYearStart)) : undefined,
    yearGroup: person.yearGroup,
    registrationGroup: person.registrationGroup,
    house: person.house,
    staffCode: person.staffCode,
    schoolKey,
  };
}

type RoleConfig = NonNullable<Config['users']['students']>;

/** In scope, out of scope, or unknown (the MIS left out a field the scope filters on: never a reason to suspend). */
function scopeOf(person: Person, rc: RoleConfig): 'in' | 'out' | 'unknown' {
  const scope = rc.scope as { yearGroups?: string[]; registrationGroups?: string[]; staffCodes?: string[] };
  // In this order: the first filter that does not let the person in says why. No array per person: every one of a
  // trust's people passes here.
  const year = filterOf(scope.yearGroups, person.yearGroup);
  if (year !== 'in') return year;
  const registration = filterOf(scope.registrationGroups, person.registrationGroup);
  if (registration !== 'in') return registration;
  return filterOf(scope.staffCodes, person.staffCode);
}

function filterOf(allowed: string[] | undefined, value: string | undefined): 'in' | 'out' | 'unknown' {
  if (!allowed?.length) return 'in';
  if (value === undefined || value === '') return 'unknown';
  return allowed.includes(value) ? 'in' : 'out';
}

/** Required name tokens: a template that uses them needs them to leave something after transliteration. */
const NAME_TOKENS = ['first', 'last', 'preferredFirst', 'preferredLast'];

/** Addresses a school gave by hand: users.addressOverrides, and the accounts manual matches link. */
export interface AddressesByHand {
  overrides?: ReadonlyMap<string, string>;
  /** Only for a name the template cannot turn into an address: the linked account's address stands in for it. */
  manualLinks?: ReadonlyMap<string, string>;
}

const split = (address: string) => ({ local: address.slice(0, address.lastIndexOf('@')).toLowerCase(), domain: address.slice(address.lastIndexOf('@') + 1).toLowerCase() });

export function desiredUsers(config: Config, roster: Roster, asOf: string, byHand: AddressesByHand = {}): UserPolicy {
  const users: DesiredUser[] = [];
  const unsynced: Unsynced[] = [];
  const protectedPeople = new Set<PersonId>();
  const outOfScope = new Map<string, Person>();
  const schoolKey = config.school.key;
  const yearStart = config.school.academicYearStart;
  const excludedIds = new Set(config.users.exclusions.misIds);
  const blocked = config.users.exclusions.addresses.map(globRegExp);

  // Each role's templates compiled once (not once a person), with the name tokens its address template uses: those
  // must leave letters after transliteration.
  const compile = (role: Role) => {
    const rc = config.users[role];
    if (!rc) return undefined;
    const used = new Set([...rc.userPrincipalName.matchAll(/\{([A-Za-z]+)/g)].map((m) => m[1]));
    return {
      address: addressRenderer(rc.userPrincipalName, NAME_TOKENS.filter((t) => used.has(t))),
      displayName: textRenderer(rc.displayName),
      securityGroups: rc.securityGroups.map(textRenderer),
      licences: licencesOf(rc),
    };
  };
  const compiled = { students: compile('students'), staff: compile('staff') };
  let person: Person;
  // Every person in scope passes here, so no closure or array is made per person on the way.
  const skip = (reason: Unsynced['reason'], detail: string) => {
    unsynced.push({ person: person.id, reason, detail, subject: subjectOf(person) });
    protectedPeople.add(person.id);
  };

  for (person of roster.people) {
    const role: Role = person.kind === 'student' ? 'students' : 'staff';
    const rc = config.users[role];
    const anchor = anchorFor(schoolKey, person);
    if (!rc?.enabled) continue;
    const render = compiled[role]!;
    if (excludedIds.has(person.id)) { skip('excluded', 'listed in users.exclusions.misIds'); continue; }
    if (anchor.length > ANCHOR_MAX) { skip('anchor-too-long', `anchor ${anchor} is longer than ${ANCHOR_MAX} characters`); continue; }

    const status = personStatus(person, asOf);
    if (status === 'future' && !rc.scope.includeFutureStarters) {
      skip('future-starter', `starts on ${person.startDate}`);
      continue;
    }
    const scope = scopeOf(person, rc);
    if (scope === 'unknown') { skip('scope-unknown', 'the MIS gives no value for a field the scope filters on'); continue; }
    if (scope === 'out') { outOfScope.set(anchor, person); continue; }

    const values = tokenValues(person, schoolKey, yearStart);
    const override = byHand.overrides?.get(person.id);
    const linked = byHand.manualLinks?.get(person.id);
    const address = override ? split(override) : render.address(values) ?? (linked ? split(linked) : undefined);
    if (!address) {
      skip('no-ascii-name', 'the name leaves no letters a-z after transliteration; link the account with a manual match, give an address in users.addressOverrides, or exclude the person');
      continue;
    }
    if (blocked.length) {
      const full = `${address.local}@${address.domain}`;
      if (blocked.some((re) => re.test(full))) {
        skip('blocked-address', `${full} matches users.exclusions.addresses`);
        continue;
      }
    }
    // The role's groups in order, each once (as a Set would keep them), without a Set or a copy per person.
    const securityGroups: string[] = [];
    for (const group of render.securityGroups) {
      const name = group(values);
      if (name !== '' && !securityGroups.includes(name)) securityGroups.push(name);
    }
    const user: DesiredUser = {
      person,
      role,
      anchor,
      address,
      displayName: render.displayName(values),
      givenName: values.preferredFirst ?? '',
      surname: values.preferredLast ?? '',
      usageLocation: rc.usageLocation,
      employeeType: rc.employeeType,
      securityGroups,
      licenseGroups: rc.licenseGroups,
      licences: render.licences,
      status: status === 'left' ? 'left' : 'current',
    };
    if (override) user.overridden = true;
    users.push(user);
  }
  return { users, unsynced, protectedPeople, outOfScope };
}
