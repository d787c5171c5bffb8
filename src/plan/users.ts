import type { Config } from '../config/load.js';
import { globRegExp } from '../policy/glob.js';
import { initials } from '../policy/ascii.js';
import { anchorFor, subjectOf, type DesiredUser, type UserPolicy } from '../policy/users.js';
import { addDays } from '../roster/dates.js';
import type { PersonId } from '../roster/types.js';
import type { Snapshot, TenantUser } from '../tenant/types.js';
import { storedAnchor, anchorPatch, isManagedBy, type AnchorAttribute } from './anchor.js';
import { idSortKey } from '../roster/order.js';
import { personFromAnchor } from './keys.js';
import { numberedReason } from './numbered.js';
import { matchAccounts, type ManualMatch, type MatchResult } from './match.js';
import { accountName, nameKey, personNameKeys } from './suggest.js';
import type { Change, ObjectRef, Subject, Unsynced } from './types.js';

export interface UserPlan {
  changes: Change[];
  unsynced: Unsynced[];
  warnings: string[];
  /** Person → the account (or the create) that will be theirs; memberships refer to it. Made when first asked for. */
  accountOf: Map<PersonId, ObjectRef>;
  /** Current people who will have an enabled account after apply. */
  active: DesiredUser[];
  /** By position in `active`: the position in snapshot.users of the person's account, or -1 for one this plan creates. */
  activeAccount: Int32Array;
  match: MatchResult;
  /** Accounts rollcall must not touch in any way (excluded, conflicted, protected people). */
  untouchable: Set<string>;
  /** Ids of the accounts rollcall manages (this school's anchor) and may touch. Made when first asked for. */
  managedIds: Set<string>;
  /** By position in snapshot.users: 1 for an account rollcall manages and may touch (those of managedIds). */
  managedAt: Uint8Array;
  /** By position in snapshot.users: 1 for an account rollcall must not touch (those of `untouchable`). */
  untouchableAt: Uint8Array;
}

const lower = (s: string) => s.toLowerCase();

type Attributes = Record<string, unknown>;
/** An account that already has what the MIS says: shared, and never written to (callers spread it). */
const UNCHANGED: { before: Attributes; after: Attributes } = Object.freeze({ before: Object.freeze({}), after: Object.freeze({}) });

/** An attribute the MIS and the account disagree on, added to the records (made at the first). */
function differ(d: { before: Attributes; after: Attributes } | undefined, k: string, have: unknown, v: unknown): { before: Attributes; after: Attributes } {
  d ??= { before: {}, after: {} };
  d.before[k] = have;
  d.after[k] = v;
  return d;
}

/**
 * The attributes of an account the mode keeps as the MIS has them, that differ, in the order a plan lists them:
 * link mode employeeType; create mode displayName, givenName, surname, employeeType and usageLocation (when the
 * role sets one). Each compared by name, not through a list of names: this runs for each of a trust's people.
 */
function attributesToSet(mode: Config['users']['mode'], p: DesiredUser, u: TenantUser): { before: Attributes; after: Attributes } | undefined {
  let d: { before: Attributes; after: Attributes } | undefined;
  if (mode === 'create') {
    if ((u.displayName ?? null) !== p.displayName) d = differ(d, 'displayName', u.displayName ?? null, p.displayName);
    if ((u.givenName ?? null) !== p.givenName) d = differ(d, 'givenName', u.givenName ?? null, p.givenName);
    if ((u.surname ?? null) !== p.surname) d = differ(d, 'surname', u.surname ?? null, p.surname);
  }
  if ((u.employeeType ?? null) !== p.employeeType) d = differ(d, 'employeeType', u.employeeType ?? null, p.employeeType);
  if (mode === 'create' && p.usageLocation && (u.usageLocation ?? null) !== p.usageLocation) d = differ(d, 'usageLocation', u.usageLocation ?? null, p.usageLocation);
  return d;
}

function accountSubject(u: TenantUser, anchor?: string): Subject {
  return {
    person: anchor ? personFromAnchor(anchor) : undefined,
    name: u.userPrincipalName,
    displayName: u.displayName,
    initials: initials(u.givenName ?? u.displayName.split(' ')[0], u.surname ?? u.displayName.split(' ').slice(-1)[0]),
  };
}

/**
 * What must change for user accounts: creates with addresses that never flip between runs, enrichment,
 * restores for returning people, and leavers (record the leave date, suspend after the grace period, delete later).
 */
export function planUsers(config: Config, policy: UserPolicy, snapshot: Snapshot, manual: ManualMatch[], asOf: string): UserPlan {
  const users = config.users;
  const mode = users.mode;
  const attribute: AnchorAttribute = users.anchor;
  const schoolKey = config.school.key;
  const leavers = users.leavers;
  const graceDays = leavers.graceDays;
  const blockedPatterns = users.exclusions.addresses;
  const changes: Change[] = [];
  const unsynced: Unsynced[] = [...policy.unsynced];
  const warnings: string[] = [];
  const accounts = snapshot.users;
  const active: DesiredUser[] = [];
  // By position in `active`: the account's position in snapshot.users, or -1 for a create.
  const activeAccount = new Int32Array(policy.users.length);
  // The people given an account (or a create) in the order they were, and which: accountOf, made when asked for.
  const refPeople: DesiredUser[] = [];
  const refAccount: number[] = [];

  // Excluded accounts, by address or pattern: each account's address lowercased at most once, and only when the
  // configuration lists addresses; each pattern compiled once, then tried on every account (a trust's 107,000).
  const excludedAccounts = new Set(users.exclusions.userPrincipalNames.map(lower));
  const blockedRes = blockedPatterns.map(globRegExp);
  const excludedAt = new Uint8Array(accounts.length);
  if (excludedAccounts.size || blockedRes.length) {
    const listed = excludedAccounts.size > 0;
    for (let i = 0; i < accounts.length; i++) {
      const upn = accounts[i].userPrincipalName;
      if (matchesAny(blockedRes, upn)) { excludedAt[i] = 1; excludedAccounts.add(lower(upn)); }
      else if (listed && excludedAccounts.has(lower(upn))) excludedAt[i] = 1;
    }
  }

  const match = matchAccounts(policy.users, accounts, {
    order: users.match,
    anchor: attribute,
    manual,
    excludedAccounts,
    excludedAt,
  });
  unsynced.push(...match.unsynced);
  warnings.push(...match.warnings);
  const createRows = new Set(manual.filter((m) => m.create).map((m) => m.misId));
  // A row for someone rollcall does not provision here (a typo, a pupil out of scope) is said, not skipped quietly.
  // Made only when there are rows to check: most schools have none, and a trust has 100,000 people.
  const known = manual.length ? new Set<string>([...policy.users.map((p) => p.person.id), ...policy.unsynced.flatMap((u) => (u.person ? [u.person] : []))]) : new Set<string>();
  const stray = manual.filter((m) => !known.has(m.misId)).map((m) => m.line);
  if (stray.length) warnings.push(`users.manualMatches line${stray.length > 1 ? 's' : ''} ${stray.slice(0, 10).join(', ')}${stray.length > 10 ? ', …' : ''}: no one in the MIS in scope has that id, so the row${stray.length > 1 ? 's are' : ' is'} not used`);
  const possibleAccount = existingAccounts(config, snapshot, match, attribute);

  // Accounts of people rollcall must leave alone: never leavers, never re-addressed. By address (for the planners
  // that ask so) and by position (each account's address lowercased once, and only when there are any).
  const untouchable = new Set<string>(excludedAccounts);
  const protectedAnchors = new Set<string>();
  for (const id of [...policy.protectedPeople, ...match.conflicted]) {
    const [kind, misId] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
    protectedAnchors.add(anchorFor(schoolKey, { kind: kind as 'student' | 'staff', misId }));
  }
  if (protectedAnchors.size) for (const u of accounts) {
    const a = storedAnchor(u, attribute);
    if (a && protectedAnchors.has(a)) untouchable.add(lower(u.userPrincipalName));
  }
  const untouchableAt = excludedAt.slice();
  if (untouchable.size > excludedAccounts.size) for (let i = 0; i < accounts.length; i++) if (!untouchableAt[i] && untouchable.has(lower(accounts[i].userPrincipalName))) untouchableAt[i] = 1;

  // Addresses in use, by anyone: an existing account keeps its address; new ones get 2, 3, … lowest MIS id first.
  // Indexed on the first address asked for: a night with nothing to create or rename asks for none.
  let takenMemo: Set<string> | undefined;
  const taken = () => (takenMemo ??= new Set(snapshot.users.map((u) => lower(u.userPrincipalName))));
  const claimed = new Set<string>();
  const isFree = (addr: string) => !taken().has(addr) && !claimed.has(addr) && !matchesAny(blockedRes, addr);
  // Per address stem, the number its last allocation stopped at: addresses only ever get taken while planning, so
  // the numbers below it stay taken, and a trust's 60th Isla W. does not try the 59 before her.
  const numbered = new Map<string, number>();

  const people = policy.users;
  const order = createOrder(people);
  for (let k = 0; k < people.length; k++) {
    const j = order ? order[k] : k;
    const p = people[j];
    if (match.conflicted.size && match.conflicted.has(p.person.id)) continue;
    const at = match.accountAt[j];
    if (at < 0) {
      if (p.status === 'left') continue; // gone before rollcall ever made them an account
      if (mode === 'link') {
        unsynced.push({ person: p.person.id, reason: 'no-matching-account', detail: 'link mode creates no accounts: add a manual match or check the anchor', subject: subjectOf(p.person) });
        continue;
      }
      const base = `${p.address.local}@${p.address.domain}`;
      const possible = createRows.has(p.person.id) ? undefined : possibleAccount(p, base);
      if (possible) {
        // A school that already has accounts must never get a second one for the same person by accident.
        const upn = possible.account.userPrincipalName;
        unsynced.push({
          person: p.person.id,
          account: upn,
          reason: 'possible-existing-account',
          detail: `${upn} ${possible.why} and is not linked to anyone: add ${p.person.id},${upn} to users.manualMatches to link it, or ${p.person.id},create for a new account (rollcall match suggests rows)`,
          subject: subjectOf(p.person),
        });
        continue;
      }
      if (p.overridden && !isFree(base)) {
        unsynced.push({ person: p.person.id, reason: 'conflict', detail: `users.addressOverrides gives ${base}, which another account already holds`, subject: subjectOf(p.person) });
        continue;
      }
      const address = allocate(p, isFree, numbered);
      claimed.add(address);
      const key = `user:${p.person.id}`;
      const why = `new ${p.role === 'students' ? 'student' : 'member of staff'} in the MIS`;
      changes.push({
        action: 'create', kind: 'user', key, destructive: false,
        reason: address === base ? why : numberedReason(why, base),
        subject: subjectOf(p.person, address),
        after: {
          userPrincipalName: address,
          displayName: p.displayName,
          givenName: p.givenName,
          surname: p.surname,
          mailNickname: address.split('@')[0],
          ...(p.usageLocation ? { usageLocation: p.usageLocation } : {}),
          employeeType: p.employeeType,
          ...anchorPatch(attribute, p.anchor),
          accountEnabled: true,
        },
      });
      refPeople.push(p);
      refAccount.push(-1);
      activeAccount[active.length] = -1;
      active.push(p);
      continue;
    }

    if (untouchableAt[at]) continue;
    const u = accounts[at];
    refPeople.push(p);
    refAccount.push(at);
    if (p.status === 'left') {
      if (mode === 'create') leaver(u, p.person.endDate ?? asOf, `left the school on ${p.person.endDate}`, subjectOf(p.person, u.userPrincipalName), `user:${p.person.id}`);
      continue;
    }
    activeAccount[active.length] = at;
    active.push(p);
    const { before, after } = enrichment(p, u);
    // Most nights: nothing differs, the account is enabled and no leave date is recorded.
    if (after === UNCHANGED.after && u.accountEnabled && !(mode === 'create' && u.employeeLeaveDateTime)) continue;
    const subject = () => subjectOf(p.person, u.userPrincipalName);
    if (mode === 'create' && !u.accountEnabled) {
      changes.push({
        action: 'restore', kind: 'user', key: `user:${p.person.id}`, destructive: false,
        reason: 'back in the MIS: sign-in is allowed again',
        subject: subject(), target: { id: u.id },
        before: { accountEnabled: false, employeeLeaveDateTime: u.employeeLeaveDateTime ?? null, ...before },
        after: { accountEnabled: true, employeeLeaveDateTime: null, ...after },
      });
    } else if (Object.keys(after).length || (mode === 'create' && u.employeeLeaveDateTime)) {
      const back = mode === 'create' && u.employeeLeaveDateTime;
      changes.push({
        action: 'update', kind: 'user', key: `user:${p.person.id}`, destructive: false,
        reason: back ? 'back in the MIS before the grace period ended' : `MIS and account differ (${Object.keys(after).join(', ')})`,
        subject: subject(), target: { id: u.id },
        before: { ...before, ...(back ? { employeeLeaveDateTime: u.employeeLeaveDateTime } : {}) },
        after: { ...after, ...(back ? { employeeLeaveDateTime: null } : {}) },
      });
    }
  }

  // Managed accounts whose person the MIS no longer lists (or lists out of scope): leavers, first seen gone today.
  // The same pass gathers the accounts rollcall manages.
  const managedAt = new Uint8Array(accounts.length);
  for (let i = 0; i < accounts.length; i++) {
    const u = accounts[i];
    if (untouchableAt[i] || !isManagedBy(u, attribute, schoolKey)) continue;
    managedAt[i] = 1;
    // Linked to a person (match.linked): handled above.
    if (match.linked[i] || mode !== 'create') continue;
    const anchor = storedAnchor(u, attribute)!;
    const outOfScope = policy.outOfScope.get(anchor);
    const reason = outOfScope ? 'no longer in scope' : 'no longer in the MIS';
    const key = `user:${personFromAnchor(anchor) ?? anchor}`;
    leaver(u, outOfScope?.endDate ?? asOf, reason, accountSubject(u, anchor), key);
  }

  // The map by person and the set of ids, made only when a planner asks (groups, classes, licences, calendar), in
  // the order they always had: most nights a trust's planners find what they need in the arrays by position.
  let accountOfMemo: Map<PersonId, ObjectRef> | undefined;
  let managedIdsMemo: Set<string> | undefined;
  return {
    changes, unsynced, warnings, active, match, untouchable,
    activeAccount: activeAccount.subarray(0, active.length),
    managedAt,
    untouchableAt,
    get accountOf() {
      if (!accountOfMemo) {
        accountOfMemo = new Map();
        for (let k = 0; k < refPeople.length; k++) {
          const id = refPeople[k].person.id;
          accountOfMemo.set(id, refAccount[k] < 0 ? { createdBy: `user:${id}` } : { id: accounts[refAccount[k]].id });
        }
      }
      return accountOfMemo;
    },
    get managedIds() {
      if (!managedIdsMemo) {
        managedIdsMemo = new Set();
        for (let i = 0; i < accounts.length; i++) if (managedAt[i]) managedIdsMemo.add(accounts[i].id);
      }
      return managedIdsMemo;
    },
  };

  function enrichment(p: DesiredUser, u: TenantUser): { before: Attributes; after: Attributes } {
    // The two records are made only when an attribute differs (most nights none does, for 100,000 people).
    const d = attributesToSet(mode, p, u);
    let before = d?.before;
    let after = d?.after;
    const anchorNow = storedAnchor(u, attribute);
    const rename = mode === 'create' && users.onNameChange === 'rename';
    if (anchorNow === p.anchor && !rename) return d ?? UNCHANGED;
    before ??= {};
    after ??= {};
    if (anchorNow !== p.anchor) {
      before.anchor = anchorNow ?? null;
      Object.assign(after, anchorPatch(attribute, p.anchor));
    }
    if (rename) {
      const [local, domain] = lower(u.userPrincipalName).split('@');
      const stem = local.replace(/\d+$/, '');
      if (stem !== p.address.local.replace(/\d+$/, '') || domain !== p.address.domain) {
        const address = allocate(p, isFree, numbered);
        claimed.add(address);
        before.userPrincipalName = u.userPrincipalName;
        after.userPrincipalName = address;
        after.mailNickname = address.split('@')[0];
      }
    }
    return { before, after };
  }

  function leaver(u: TenantUser, leaveDate: string, why: string, subject: Subject, key: string): void {
    const recorded = u.employeeLeaveDateTime?.slice(0, 10);
    const since = recorded ?? leaveDate;
    const record = recorded ? {} : { employeeLeaveDateTime: `${since}T00:00:00Z` };
    const suspendOn = addDays(since, graceDays);
    if (u.accountEnabled) {
      if (asOf >= suspendOn) {
        const del = leavers.action === 'delete';
        changes.push({
          action: del ? 'delete' : 'suspend', kind: 'user', key, destructive: true,
          reason: `${why}; grace period of ${graceDays} days ended on ${suspendOn}`,
          subject, target: { id: u.id },
          before: { accountEnabled: true },
          after: del ? undefined : { accountEnabled: false, ...record },
        });
      } else if (recorded === undefined) {
        changes.push({
          action: 'update', kind: 'user', key, destructive: false,
          reason: `${why}; suspension due on ${suspendOn}`,
          subject, target: { id: u.id }, before: { employeeLeaveDateTime: null }, after: record,
        });
      }
      return;
    }
    const deleteAfter = leavers.deleteAfterDays;
    if (leavers.action !== 'delete' && deleteAfter !== undefined && asOf >= addDays(suspendOn, deleteAfter)) {
      changes.push({
        action: 'delete', kind: 'user', key, destructive: true,
        reason: `${why}; suspended for ${deleteAfter} days (since ${suspendOn})`,
        subject, target: { id: u.id }, before: { accountEnabled: false },
      });
    } else if (recorded === undefined) {
      changes.push({
        action: 'update', kind: 'user', key, destructive: false,
        reason: `${why}; already suspended, recording the leave date`,
        subject, target: { id: u.id }, before: { employeeLeaveDateTime: null }, after: record,
      });
    }
  }
}

/**
 * Accounts that may already be a person's, among those no one is linked to and rollcall does not manage: the one
 * holding the address the template gives, the one holding the MIS e-mail, or one in tenant.domains with the same
 * name (legal or preferred; the account's name, or its address split at a dot).
 */
function existingAccounts(config: Config, snapshot: Snapshot, match: MatchResult, attribute: AnchorAttribute): (p: DesiredUser, address: string) => { account: TenantUser; why: string } | undefined {
  const byAddress = new Map<string, TenantUser>();
  const byName = new Map<string, TenantUser>();
  let indexed = false;
  // Indexed on the first create only: a run with nothing to create (most nights, link mode) pays nothing.
  const index = () => {
    indexed = true;
    const domains = new Set(config.tenant.domains.map(lower));
    for (let i = 0; i < snapshot.users.length; i++) {
      const u = snapshot.users[i];
      if (match.linked[i] || storedAnchor(u, attribute)) continue;
      byAddress.set(lower(u.userPrincipalName), u);
      if (u.mail) byAddress.set(lower(u.mail), u);
      const [local, domain] = lower(u.userPrincipalName).split('@');
      if (!domains.has(domain)) continue;
      const n = accountName(u);
      const parts = local.split(/[._-]/);
      for (const k of [nameKey(n.first, n.last), parts.length === 2 ? nameKey(parts[0], parts[1]) : '']) {
        if (k.includes(' ') && !byName.has(k)) byName.set(k, u);
      }
    }
  };
  return (p, address) => {
    if (!indexed) index();
    const holder = byAddress.get(address);
    if (holder) return { account: holder, why: 'already holds the address the template gives' };
    const mis = p.person.workEmail ? byAddress.get(lower(p.person.workEmail)) : undefined;
    if (mis) return { account: mis, why: 'holds the e-mail address the MIS has for this person' };
    for (const k of personNameKeys(p)) {
      const same = byName.get(k);
      if (same) return { account: same, why: 'has the same name' };
    }
    return undefined;
  };
}

function matchesAny(patterns: readonly RegExp[], value: string): boolean {
  for (const re of patterns) if (re.test(value)) return true;
  return false;
}

/** By kind, then lowest MIS id first, as one precomputed string per person (sorting a trust compares it 2M times). */
function sortKey(p: DesiredUser): string {
  return `${p.person.kind}\0${idSortKey(p.person.misId)}`;
}

/**
 * A MIS id of digits as the number idSortKey orders it by (leading zeros dropped), when a double holds it exactly
 * (15 digits); -1 for any other id.
 */
function idNumber(id: string): number {
  const n = id.length;
  if (n === 0 || n > 15) return -1;
  // Added up as the digits are checked (exact: below 10^15), not parsed again by Number().
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * The order in which people's new accounts take their addresses: by kind, then lowest MIS id first (sortKey's
 * order, ties as they came), as positions in the list; undefined when the list is in that order already. Ids of
 * digits, as MIS ids mostly are, are compared as numbers, with no key string per person; any other id sorts the
 * whole list by sortKey.
 */
export function createOrder(people: readonly DesiredUser[]): Int32Array | undefined {
  const n = people.length;
  // By position: the id's number, and the kind's place among the kinds (two: staff, student).
  const num = new Float64Array(n);
  const kind = new Int32Array(n);
  const kinds: string[] = [];
  for (let i = 0; i < n; i++) {
    const { misId, kind: k } = people[i].person;
    const v = idNumber(misId);
    let r = kinds.indexOf(k);
    if (r < 0 && kinds.length < 8) r = kinds.push(k) - 1;
    if (v < 0 || r < 0) return bySortKey(people);
    num[i] = v;
    kind[i] = r;
  }
  const rank = kinds.map((k) => kinds.filter((o) => o < k).length);
  for (let i = 0; i < n; i++) kind[i] = rank[kind[i]];
  const compare = (i: number, j: number) => kind[i] - kind[j] || num[i] - num[j];
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = compare(i - 1, i) <= 0;
  if (sorted) return undefined;
  // Kind, number and position packed into one double's 53 bits when they fit (two kinds, ids below 2^31, fewer
  // than 2^21 people): a numeric sort of those, with no comparator called, gives the positions in order.
  if (kinds.length <= 2 && n <= POSITIONS) {
    const packed = new Float64Array(n);
    let fits = true;
    for (let i = 0; i < n && fits; i++) {
      fits = num[i] < 2 ** 31;
      packed[i] = (kind[i] * 2 ** 31 + num[i]) * POSITIONS + i;
    }
    if (fits) {
      packed.sort();
      const at = new Int32Array(n);
      for (let i = 0; i < n; i++) at[i] = packed[i] % POSITIONS;
      return at;
    }
  }
  return Int32Array.from(Array.from({ length: n }, (_, i) => i).sort((i, j) => compare(i, j) || i - j));
}

/** Positions a packed sort key holds (2^21: a trust of two million people). */
const POSITIONS = 2 ** 21;

function bySortKey(people: readonly DesiredUser[]): Int32Array {
  const keys = people.map(sortKey);
  return Int32Array.from(Array.from({ length: people.length }, (_, i) => i).sort((i, j) => (keys[i] < keys[j] ? -1 : keys[i] > keys[j] ? 1 : i - j)));
}

function allocate(p: DesiredUser, isFree: (addr: string) => boolean, numbered: Map<string, number>): string {
  const { local, domain } = p.address;
  const stem = `${local}@${domain}`;
  for (let n = numbered.get(stem) ?? 1; ; n++) {
    const suffix = n === 1 ? '' : String(n);
    const candidate = `${local.slice(0, 64 - suffix.length)}${suffix}@${domain}`;
    if (isFree(candidate)) {
      numbered.set(stem, n);
      return candidate;
    }
  }
}
