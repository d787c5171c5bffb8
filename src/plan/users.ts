import type { Config } from '../config/load.js';
import { globMatch } from '../policy/glob.js';
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
  /** Person → the account (or the create) that will be theirs; memberships refer to it. */
  accountOf: Map<PersonId, ObjectRef>;
  /** Current people who will have an enabled account after apply. */
  active: DesiredUser[];
  match: MatchResult;
  /** Accounts rollcall must not touch in any way (excluded, conflicted, protected people). */
  untouchable: Set<string>;
  /** Ids of the accounts rollcall manages (this school's anchor) and may touch: made once, every planner asks. */
  managedIds: Set<string>;
}

const lower = (s: string) => s.toLowerCase();

/** The attributes of an account each mode keeps as the MIS has them, in the order a plan lists them. */
const ENRICHED = {
  link: ['employeeType'],
  create: ['displayName', 'givenName', 'surname', 'employeeType', 'usageLocation'],
} as const satisfies Record<Config['users']['mode'], readonly (keyof DesiredUser & keyof TenantUser)[]>;
/** An account that already has what the MIS says: shared, and never written to (callers spread it). */
const UNCHANGED: { before: Record<string, unknown>; after: Record<string, unknown> } = Object.freeze({ before: Object.freeze({}), after: Object.freeze({}) });

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
  const accountOf = new Map<PersonId, ObjectRef>();
  const active: DesiredUser[] = [];

  const excludedAccounts = new Set(users.exclusions.userPrincipalNames.map(lower));
  for (const u of snapshot.users) if (blockedPatterns.some((p) => globMatch(p, u.userPrincipalName))) excludedAccounts.add(lower(u.userPrincipalName));

  const match = matchAccounts(policy.users, snapshot.users, {
    order: users.match,
    anchor: attribute,
    manual,
    excludedAccounts,
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

  // Accounts of people rollcall must leave alone: never leavers, never re-addressed.
  const untouchable = new Set<string>(excludedAccounts);
  const protectedAnchors = new Set<string>();
  for (const id of [...policy.protectedPeople, ...match.conflicted]) {
    const [kind, misId] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
    protectedAnchors.add(anchorFor(schoolKey, { kind: kind as 'student' | 'staff', misId }));
  }
  if (protectedAnchors.size) for (const u of snapshot.users) {
    const a = storedAnchor(u, attribute);
    if (a && protectedAnchors.has(a)) untouchable.add(lower(u.userPrincipalName));
  }
  // Most schools have no untouchable account: then no address is lowercased to ask.
  const isUntouchable = (u: TenantUser) => untouchable.size > 0 && untouchable.has(lower(u.userPrincipalName));

  // Addresses in use, by anyone: an existing account keeps its address; new ones get 2, 3, … lowest MIS id first.
  // Indexed on the first address asked for: a night with nothing to create or rename asks for none.
  let takenMemo: Set<string> | undefined;
  const taken = () => (takenMemo ??= new Set(snapshot.users.map((u) => lower(u.userPrincipalName))));
  const claimed = new Set<string>();
  const isFree = (addr: string) => !taken().has(addr) && !claimed.has(addr) && !blockedPatterns.some((p) => globMatch(p, addr));
  // Per address stem, the number its last allocation stopped at: addresses only ever get taken while planning, so
  // the numbers below it stay taken, and a trust's 60th Isla W. does not try the 59 before her.
  const numbered = new Map<string, number>();

  const sorted = policy.users
    .map((p) => ({ p, k: sortKey(p) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.p);

  for (const p of sorted) {
    const found = match.matched.get(p.person.id);
    if (match.conflicted.size && match.conflicted.has(p.person.id)) continue;
    if (!found) {
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
      accountOf.set(p.person.id, { createdBy: key });
      active.push(p);
      continue;
    }

    const u = found.user;
    if (isUntouchable(u)) continue;
    accountOf.set(p.person.id, { id: u.id });
    const subject = () => subjectOf(p.person, u.userPrincipalName);
    if (p.status === 'left') {
      if (mode === 'create') leaver(u, p.person.endDate ?? asOf, `left the school on ${p.person.endDate}`, subject(), `user:${p.person.id}`);
      continue;
    }
    active.push(p);
    const { before, after } = enrichment(p, u);
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
  const managedIds = new Set<string>();
  for (let i = 0; i < snapshot.users.length; i++) {
    const u = snapshot.users[i];
    if (!isManagedBy(u, attribute, schoolKey) || isUntouchable(u)) continue;
    managedIds.add(u.id);
    // Linked to a person (match.linked): handled above.
    if (match.linked[i] || mode !== 'create') continue;
    const anchor = storedAnchor(u, attribute)!;
    const outOfScope = policy.outOfScope.get(anchor);
    const reason = outOfScope ? 'no longer in scope' : 'no longer in the MIS';
    const key = `user:${personFromAnchor(anchor) ?? anchor}`;
    leaver(u, outOfScope?.endDate ?? asOf, reason, accountSubject(u, anchor), key);
  }

  return { changes, unsynced, warnings, accountOf, active, match, untouchable, managedIds };

  function enrichment(p: DesiredUser, u: TenantUser): { before: Record<string, unknown>; after: Record<string, unknown> } {
    // The attributes the mode manages (ENRICHED), compared one by one; the two records are made only when one
    // differs (most nights none does, for 100,000 people).
    let before: Record<string, unknown> | undefined;
    let after: Record<string, unknown> | undefined;
    for (const k of ENRICHED[mode]) {
      const v = p[k];
      if (k === 'usageLocation' && !v) continue;
      const have = u[k] ?? null;
      if (have === v) continue;
      (before ??= {})[k] = have;
      (after ??= {})[k] = v;
    }
    const anchorNow = storedAnchor(u, attribute);
    const rename = mode === 'create' && users.onNameChange === 'rename';
    if (anchorNow === p.anchor && !rename) return before && after ? { before, after } : UNCHANGED;
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
    const linked = new Set<string>();
    for (const m of match.matched.values()) linked.add(m.user.id);
    const domains = new Set(config.tenant.domains.map(lower));
    for (const u of snapshot.users) {
      if (linked.has(u.id) || storedAnchor(u, attribute)) continue;
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

/** By kind, then lowest MIS id first, as one precomputed string per person (sorting a trust compares it 2M times). */
function sortKey(p: DesiredUser): string {
  return `${p.person.kind}\0${idSortKey(p.person.misId)}`;
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
