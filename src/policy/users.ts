import type { Config } from '../config/load.js';
import { personStatus } from '../roster/dates.js';
import type { Person, PersonId, Roster } from '../roster/types.js';
import type { Subject, Unsynced } from '../plan/types.js';
import { academicYearOf } from './academic-year.js';
import { initials } from './ascii.js';
import { globRegExp } from './glob.js';
import { licencesOf, type DesiredLicence } from './licences.js';
import { TOKEN_RE } from '../config/tokens.js';
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
  /** The role's groups as this person's values render them; one list shared by everyone they render the same. */
  securityGroups: readonly string[];
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

/**
 * A person's values of the user tokens. `entryYear` false leaves that one out (undefined, the key still there so
 * that every person's values have one shape): a role whose templates do not use it need not work out a year and
 * its text for each of a trust's 108,000 people.
 */
export function tokenValues(person: Person, schoolKey: string, academicYearStart: string, entryYear = true): TokenValues {
  return {
    first: person.legal.first,
    last: person.legal.last,
    middle: person.legal.middle,
    preferredFirst: person.preferred.first || person.legal.first,
    preferredLast: person.preferred.last || person.legal.last,
    misId: person.misId,
    admissionNumber: person.admissionNumber,
    entryYear: entryYear && person.startDate ? String(academicYearOf(person.startDate, academicYearStart)) : undefined,
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

/**
 * A role's security group templates, rendered for a person: the groups in order, each once (as a Set would keep
 * them), none empty. A trust's 100,000 people name the same few lists ("All Students", "Students Y7"), so each list
 * is made once for the values of the tokens the templates use, and shared (never written to).
 */
function groupsRenderer(templates: readonly string[]): (values: TokenValues) => readonly string[] {
  const renders = templates.map(textRenderer);
  const tokens = [...new Set(templates.flatMap((t) => [...t.matchAll(TOKEN_RE)].map((m) => m[1])))];
  const lists = new Map<string, readonly string[]>();
  const render = (values: TokenValues) => {
    const names: string[] = [];
    for (const group of renders) {
      const name = group(values);
      if (name !== '' && !names.includes(name)) names.push(name);
    }
    return names;
  };
  // The key: the values of the tokens used (none: one list; one token: its value itself, with no string made).
  const [only] = tokens;
  const keyOf = tokens.length === 0 ? () => ''
    : tokens.length === 1 ? (values: TokenValues) => values[only] ?? ''
      : (values: TokenValues) => JSON.stringify(tokens.map((t) => values[t] ?? ''));
  return (values) => {
    const key = keyOf(values);
    let list = lists.get(key);
    if (!list) lists.set(key, (list = render(values)));
    return list;
  };
}

/** An exclusions.addresses pattern, with the literal text it starts and ends with (none: it has no `*`). */
interface AddressPattern { re: RegExp; head: string; tail: string | undefined }

function addressPattern(pattern: string): AddressPattern {
  const star = pattern.indexOf('*');
  return { re: globRegExp(pattern), head: star < 0 ? pattern : pattern.slice(0, star), tail: star < 0 ? undefined : pattern.slice(pattern.lastIndexOf('*') + 1) };
}

/** The character at `i` of `local@domain`, without that string made. */
function addressChar(local: string, domain: string, i: number): number {
  return i < local.length ? local.charCodeAt(i) : i === local.length ? 64 : domain.charCodeAt(i - local.length - 1);
}

/**
 * Whether `text` can be at `from` in `local@domain` as a case-insensitive pattern reads it: false only when it
 * cannot (an ASCII character that differs, in either case); any other character leaves the answer to the pattern.
 */
function mayBeAt(text: string, local: string, domain: string, from: number): boolean {
  if (from < 0 || from + text.length > local.length + 1 + domain.length) return false;
  for (let i = 0; i < text.length; i++) {
    const p = text.charCodeAt(i);
    const a = addressChar(local, domain, from + i);
    if (p === a) continue;
    if (p >= 0x80 || a >= 0x80) return true;
    const lp = p | 0x20;
    if (!(lp >= 0x61 && lp <= 0x7a && lp === (a | 0x20))) return false;
  }
  return true;
}

/**
 * Whether an address matches one of the patterns. Each pattern's literal start and end are compared first, in
 * place: most of a trust's 100,000 addresses fail there (`admin@*`), and only the rest are joined and matched.
 */
function isBlocked(patterns: readonly AddressPattern[], address: { local: string; domain: string }): boolean {
  const { local, domain } = address;
  const length = local.length + 1 + domain.length;
  let full: string | undefined;
  for (const p of patterns) {
    if (p.tail === undefined ? p.head.length !== length : !mayBeAt(p.head, local, domain, 0) || !mayBeAt(p.tail, local, domain, length - p.tail.length)) continue;
    full ??= `${local}@${domain}`;
    if (p.re.test(full)) return true;
  }
  return false;
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
  const blocked = config.users.exclusions.addresses.map(addressPattern);

  // Each role's templates compiled once (not once a person), with the name tokens its address template uses: those
  // must leave letters after transliteration.
  const compile = (role: Role) => {
    const rc = config.users[role];
    if (!rc) return undefined;
    const used = new Set([...rc.userPrincipalName.matchAll(/\{([A-Za-z]+)/g)].map((m) => m[1]));
    const tokens = new Set([rc.userPrincipalName, rc.displayName, ...rc.securityGroups].flatMap((t) => [...t.matchAll(TOKEN_RE)].map((m) => m[1])));
    return {
      entryYear: tokens.has('entryYear'),
      address: addressRenderer(rc.userPrincipalName, NAME_TOKENS.filter((t) => used.has(t))),
      displayName: textRenderer(rc.displayName),
      securityGroups: groupsRenderer(rc.securityGroups),
      licences: licencesOf(rc),
    };
  };
  const compiled = { students: compile('students'), staff: compile('staff') };
  // Every person in scope passes here, so no closure or array is made per person on the way; the person is passed
  // (a variable the closure shared was read through its context at every use in the loop).
  const skip = (person: Person, reason: Unsynced['reason'], detail: string) => {
    unsynced.push({ person: person.id, reason, detail, subject: subjectOf(person) });
    protectedPeople.add(person.id);
  };

  for (const person of roster.people) {
    const role: Role = person.kind === 'student' ? 'students' : 'staff';
    const rc = config.users[role];
    if (!rc?.enabled) continue;
    const anchor = anchorFor(schoolKey, person);
    const render = compiled[role]!;
    if (excludedIds.size && excludedIds.has(person.id)) { skip(person, 'excluded', 'listed in users.exclusions.misIds'); continue; }
    if (anchor.length > ANCHOR_MAX) { skip(person, 'anchor-too-long', `anchor ${anchor} is longer than ${ANCHOR_MAX} characters`); continue; }

    const status = personStatus(person, asOf);
    if (status === 'future' && !rc.scope.includeFutureStarters) {
      skip(person, 'future-starter', `starts on ${person.startDate}`);
      continue;
    }
    const scope = scopeOf(person, rc);
    if (scope === 'unknown') { skip(person, 'scope-unknown', 'the MIS gives no value for a field the scope filters on'); continue; }
    if (scope === 'out') { outOfScope.set(anchor, person); continue; }

    const values = tokenValues(person, schoolKey, yearStart, render.entryYear);
    const override = byHand.overrides?.get(person.id);
    const linked = byHand.manualLinks?.get(person.id);
    const address = override ? split(override) : render.address(values) ?? (linked ? split(linked) : undefined);
    if (!address) {
      skip(person, 'no-ascii-name', 'the name leaves no letters a-z after transliteration; link the account with a manual match, give an address in users.addressOverrides, or exclude the person');
      continue;
    }
    if (blocked.length && isBlocked(blocked, address)) {
      skip(person, 'blocked-address', `${address.local}@${address.domain} matches users.exclusions.addresses`);
      continue;
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
      securityGroups: render.securityGroups(values),
      licenseGroups: rc.licenseGroups,
      licences: render.licences,
      status: status === 'left' ? 'left' : 'current',
    };
    if (override) user.overridden = true;
    users.push(user);
  }
  return { users, unsynced, protectedPeople, outOfScope };
}
