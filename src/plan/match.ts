import type { PersonId } from '../roster/types.js';
import { subjectOf, type DesiredUser } from '../policy/users.js';
import type { TenantUser } from '../tenant/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import type { Unsynced } from './types.js';

export type MatchMethod = 'anchor' | 'workEmail' | 'manual';

/** A row of users.manualMatches: link `userPrincipalName`, or (`create: true`) create a new account. */
export interface ManualMatch { misId: string; userPrincipalName?: string; create?: boolean; line: number }

/** A row of users.addressOverrides: the address a person gets in place of the template's. */
export interface AddressOverride { misId: string; userPrincipalName: string; line: number }

export interface MatchResult {
  /** Person → the account that is theirs, and how it was found. */
  matched: Map<PersonId, { user: TenantUser; method: MatchMethod }>;
  unsynced: Unsynced[];
  /** People that could not be matched because of a conflict: they must not be created either. */
  conflicted: Set<PersonId>;
  /** Stale manual-match rows (the account they name is gone, the person is linked anyway). */
  warnings: string[];
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

/**
 * Finds each person's existing account in the configured order. Two people claiming one account, or a
 * manual match to an account anchored to someone else, is reported as a conflict and never guessed.
 */
export function matchAccounts(
  people: DesiredUser[],
  accounts: TenantUser[],
  opts: { order: MatchMethod[]; anchor: AnchorAttribute; manual: ManualMatch[]; excludedAccounts: Set<string> },
): MatchResult {
  const matched: MatchResult['matched'] = new Map();
  const unsynced: Unsynced[] = [];
  const conflicted = new Set<PersonId>();
  const takenBy = new Map<string, PersonId>();
  const usable = accounts.filter((a) => !opts.excludedAccounts.has(lower(a.userPrincipalName)));
  const byAnchor = new Map<string, TenantUser>();
  const byAddress = new Map<string, TenantUser>();
  const byId = new Map(usable.map((a) => [a.id, a]));
  // Every account by address, excluded ones too: only manual-match rows ask, so it is made only when there are some.
  let anyByAddressMemo: Map<string, TenantUser> | undefined;
  const anyByAddress = () => {
    if (!anyByAddressMemo) {
      anyByAddressMemo = new Map();
      for (const a of accounts) {
        anyByAddressMemo.set(lower(a.userPrincipalName), a);
        if (a.mail) anyByAddressMemo.set(lower(a.mail), a);
      }
    }
    return anyByAddressMemo;
  };
  const warnings: string[] = [];
  for (const a of usable) {
    const anchor = storedAnchor(a, opts.anchor);
    if (anchor) byAnchor.set(anchor, a);
    byAddress.set(lower(a.userPrincipalName), a);
    if (a.mail) byAddress.set(lower(a.mail), a);
  }
  const manualByPerson = new Map(opts.manual.map((m) => [m.misId, m]));

  const conflict = (p: DesiredUser, detail: string) => {
    if (conflicted.has(p.person.id)) return;
    conflicted.add(p.person.id);
    matched.delete(p.person.id);
    unsynced.push({ person: p.person.id, reason: 'conflict', detail, subject: subjectOf(p.person) });
  };

  for (const method of opts.order) {
    // Claims of this round, gathered first so that two people claiming one account are both reported.
    const claims = new Map<string, DesiredUser[]>();
    for (const p of people) {
      if (matched.has(p.person.id) || conflicted.has(p.person.id)) continue;
      const account = candidate(p, method);
      if (!account) continue;
      const theirs = storedAnchor(account, opts.anchor);
      if (method !== 'anchor' && theirs && theirs !== p.anchor) {
        conflict(p, `${method === 'manual' ? 'manual match' : 'work e-mail'} points at ${account.userPrincipalName}, which is anchored to ${theirs}`);
        continue;
      }
      const list = claims.get(account.id);
      if (list) list.push(p);
      else claims.set(account.id, [p]);
    }
    for (const [accountId, claimants] of claims) {
      const holder = takenBy.get(accountId);
      const account = byId.get(accountId)!;
      if (claimants.length > 1 || holder) {
        const who = [...(holder ? [holder] : []), ...claimants.map((c) => c.person.id)].join(', ');
        for (const c of claimants) conflict(c, `${account.userPrincipalName} is claimed by more than one person (${who})`);
        continue;
      }
      matched.set(claimants[0].person.id, { user: account, method });
      takenBy.set(accountId, claimants[0].person.id);
    }
  }

  // A manual-match row is the school's word: one that disagrees with what the other methods found is a conflict
  // (whatever the order of users.match), never quietly outvoted.
  for (const p of people) {
    const row = manualByPerson.get(p.person.id);
    if (!row || conflicted.has(p.person.id)) continue;
    const where = `users.manualMatches line ${row.line}`;
    const got = matched.get(p.person.id);
    const how = got?.method === 'anchor' ? 'is anchored to' : 'has the work e-mail of';
    // The account anchored to the person, whether or not a method earlier in users.match found another first.
    const mine = byAnchor.get(p.anchor);
    if (row.create) {
      // An anchored account is the one a `create` row made on an earlier run.
      if (got && got.method !== 'anchor') conflict(p, `${where} says create, but ${p.person.id} ${how} ${got.user.userPrincipalName}: link that account or remove it from users.match`);
      continue;
    }
    const named = anyByAddress().get(lower(row.userPrincipalName));
    if (!named) {
      if (got) warnings.push(`${where}: no account ${row.userPrincipalName}; ${p.person.id} ${how} ${got.user.userPrincipalName}: update or remove the row`);
      else conflict(p, `${where}: no account ${row.userPrincipalName} in the tenant`);
    } else if (opts.excludedAccounts.has(lower(named.userPrincipalName))) {
      conflict(p, `${where} names ${named.userPrincipalName}, which users.exclusions keeps rollcall away from`);
    } else if (mine && mine.id !== named.id) {
      conflict(p, `${where} names ${named.userPrincipalName}, but ${p.person.id} is anchored to ${mine.userPrincipalName}`);
    } else if (got && got.user.id !== named.id) {
      conflict(p, `${where} names ${named.userPrincipalName}, but ${p.person.id} ${how} ${got.user.userPrincipalName}`);
    }
  }
  return { matched, unsynced, conflicted, warnings };

  function candidate(p: DesiredUser, method: MatchMethod): TenantUser | undefined {
    switch (method) {
      case 'anchor':
        return byAnchor.get(p.anchor);
      case 'workEmail':
        return p.person.workEmail ? byAddress.get(lower(p.person.workEmail)) : undefined;
      case 'manual': {
        const m = manualByPerson.get(p.person.id);
        return m?.userPrincipalName ? byAddress.get(lower(m.userPrincipalName)) : undefined;
      }
    }
  }
}
