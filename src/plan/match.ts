import type { PersonId } from '../roster/types.js';
import { subjectOf, type DesiredUser } from '../policy/users.js';
import type { TenantUser } from '../tenant/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import { KeyIndex } from './key-index.js';
import type { Unsynced } from './types.js';

export type MatchMethod = 'anchor' | 'workEmail' | 'manual';

/** A row of users.manualMatches: link `userPrincipalName`, or (`create: true`) create a new account. */
export interface ManualMatch { misId: string; userPrincipalName?: string; create?: boolean; line: number }

/** A row of users.addressOverrides: the address a person gets in place of the template's. */
export interface AddressOverride { misId: string; userPrincipalName: string; line: number }

export interface MatchResult {
  /** Person → the account that is theirs, and how it was found (made when first asked for). */
  matched: Map<PersonId, { user: TenantUser; method: MatchMethod }>;
  /** By position in the people matched: the position of their account among the accounts, or -1. */
  accountAt: Int32Array;
  unsynced: Unsynced[];
  /** People that could not be matched because of a conflict: they must not be created either. */
  conflicted: Set<PersonId>;
  /** Stale manual-match rows (the account they name is gone, the person is linked anyway). */
  warnings: string[];
  /** By position in the accounts matched against: 1 for an account in `matched` (linked to a person). */
  linked: Uint8Array;
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

/**
 * Finds each person's existing account in the configured order. Two people claiming one account, or a
 * manual match to an account anchored to someone else, is reported as a conflict and never guessed.
 */
export function matchAccounts(
  people: DesiredUser[],
  accounts: TenantUser[],
  opts: {
    order: MatchMethod[]; anchor: AnchorAttribute; manual: ManualMatch[]; excludedAccounts: Set<string>;
    /** By position in `accounts`: 1 for an excluded account, when the caller knows (no address is lowercased here). */
    excludedAt?: Uint8Array;
  },
): MatchResult {
  const unsynced: Unsynced[] = [];
  const conflicted = new Set<PersonId>();
  const { excludedAccounts } = opts;
  // Accounts are known by their position in `accounts`; a trust has 100,000 of them and as many people, so each
  // person costs one lookup (by anchor, mostly) and the rounds' bookkeeping is arrays by position.
  const usable = new Uint8Array(accounts.length);
  const anchors: (string | undefined)[] = new Array(accounts.length);
  const { excludedAt } = opts;
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i];
    if (excludedAt ? excludedAt[i] : excludedAccounts.size && excludedAccounts.has(lower(a.userPrincipalName))) continue;
    usable[i] = 1;
    anchors[i] = storedAnchor(a, opts.anchor);
  }
  const byAnchor = new KeyIndex(anchors);
  // Usable accounts by address (UPN and mail): only work e-mails and manual rows ask, so it is made on the first.
  let byAddressMemo: Map<string, number> | undefined;
  const byAddress = () => {
    if (!byAddressMemo) {
      byAddressMemo = new Map();
      for (let i = 0; i < accounts.length; i++) {
        if (!usable[i]) continue;
        const a = accounts[i];
        byAddressMemo.set(lower(a.userPrincipalName), i);
        if (a.mail) byAddressMemo.set(lower(a.mail), i);
      }
    }
    return byAddressMemo;
  };
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
  const manualByPerson = new Map(opts.manual.map((m) => [m.misId, m]));

  // By position in `people`: settled (matched or conflicted) people take no part in later rounds; each matched
  // person's account and the round that found it; the people in the order they were matched.
  const settled = new Uint8Array(people.length);
  const accountAt = new Int32Array(people.length).fill(-1);
  const roundOf = new Uint8Array(people.length);
  const matchOrder: number[] = [];
  // By account: the person (position) holding it after a round, and the round (1, 2, …) that last claimed it.
  const takenBy = new Int32Array(accounts.length).fill(-1);
  const claimedIn = new Int32Array(accounts.length);
  const firstClaim = new Int32Array(accounts.length);

  const conflict = (j: number, detail: string, settle: boolean) => {
    const p = people[j];
    if (settle) settled[j] = 1;
    if (conflicted.has(p.person.id)) return;
    conflicted.add(p.person.id);
    accountAt[j] = -1;
    unsynced.push({ person: p.person.id, reason: 'conflict', detail, subject: subjectOf(p.person) });
  };

  for (let round = 1; round <= opts.order.length; round++) {
    const method = opts.order[round - 1];
    if (method === 'manual' && !manualByPerson.size) continue;
    // Claims of this round, gathered first so that two people claiming one account are both reported: the accounts
    // in the order first claimed, and (rarely) the people after the first who claimed the same one.
    const claimedAccounts: number[] = [];
    let more: Map<number, number[]> | undefined;
    for (let j = 0; j < people.length; j++) {
      if (settled[j]) continue;
      const p = people[j];
      const i = candidate(p, method);
      if (i === undefined) continue;
      // An account found by its anchor holds the person's (anchors[i]): only the other methods read the account's.
      if (method !== 'anchor') {
        const account = accounts[i];
        const theirs = storedAnchor(account, opts.anchor);
        if (theirs && theirs !== p.anchor) {
          conflict(j, `${method === 'manual' ? 'manual match' : 'work e-mail'} points at ${account.userPrincipalName}, which is anchored to ${theirs}`, true);
          continue;
        }
      }
      if (claimedIn[i] !== round) {
        claimedIn[i] = round;
        firstClaim[i] = j;
        claimedAccounts.push(i);
      } else {
        more ??= new Map();
        const list = more.get(i);
        if (list) list.push(j);
        else more.set(i, [j]);
      }
    }
    for (const i of claimedAccounts) {
      const holder = takenBy[i];
      const account = accounts[i];
      const others = more?.get(i);
      if (others || holder >= 0) {
        const claimants = [firstClaim[i], ...(others ?? [])];
        const who = [...(holder >= 0 ? [people[holder].person.id] : []), ...claimants.map((j) => people[j].person.id)].join(', ');
        for (const j of claimants) conflict(j, `${account.userPrincipalName} is claimed by more than one person (${who})`, true);
        continue;
      }
      const j = firstClaim[i];
      accountAt[j] = i;
      roundOf[j] = round;
      matchOrder.push(j);
      takenBy[i] = j;
      settled[j] = 1;
    }
  }

  // A manual-match row is the school's word: one that disagrees with what the other methods found is a conflict
  // (whatever the order of users.match), never quietly outvoted.
  if (manualByPerson.size) for (let j = 0; j < people.length; j++) {
    const p = people[j];
    const row = manualByPerson.get(p.person.id);
    if (!row || conflicted.has(p.person.id)) continue;
    const where = `users.manualMatches line ${row.line}`;
    const got = accountAt[j] < 0 ? undefined : { user: accounts[accountAt[j]], method: opts.order[roundOf[j] - 1] };
    const how = got?.method === 'anchor' ? 'is anchored to' : 'has the work e-mail of';
    // The account anchored to the person, whether or not a method earlier in users.match found another first.
    const mineAt = byAnchor.get(p.anchor);
    const mine = mineAt === undefined ? undefined : accounts[mineAt];
    if (row.create) {
      // An anchored account is the one a `create` row made on an earlier run.
      if (got && got.method !== 'anchor') conflict(j, `${where} says create, but ${p.person.id} ${how} ${got.user.userPrincipalName}: link that account or remove it from users.match`, false);
      continue;
    }
    const named = anyByAddress().get(lower(row.userPrincipalName));
    if (!named) {
      if (got) warnings.push(`${where}: no account ${row.userPrincipalName}; ${p.person.id} ${how} ${got.user.userPrincipalName}: update or remove the row`);
      else conflict(j, `${where}: no account ${row.userPrincipalName} in the tenant`, false);
    } else if (excludedAccounts.has(lower(named.userPrincipalName))) {
      conflict(j, `${where} names ${named.userPrincipalName}, which users.exclusions keeps rollcall away from`, false);
    } else if (mine && mine.id !== named.id) {
      conflict(j, `${where} names ${named.userPrincipalName}, but ${p.person.id} is anchored to ${mine.userPrincipalName}`, false);
    } else if (got && got.user.id !== named.id) {
      conflict(j, `${where} names ${named.userPrincipalName}, but ${p.person.id} ${how} ${got.user.userPrincipalName}`, false);
    }
  }
  const linked = new Uint8Array(accounts.length);
  for (let i = 0; i < accounts.length; i++) {
    const holder = takenBy[i];
    // A manual row's conflict (above) unlinks a person the rounds had matched.
    if (holder >= 0 && accountAt[holder] === i) linked[i] = 1;
  }
  // The map by person is made only when asked for (rollcall match, new accounts): planning reads accountAt.
  let matchedMemo: MatchResult['matched'] | undefined;
  return {
    get matched() {
      if (!matchedMemo) {
        matchedMemo = new Map();
        for (const j of matchOrder) if (accountAt[j] >= 0) matchedMemo.set(people[j].person.id, { user: accounts[accountAt[j]], method: opts.order[roundOf[j] - 1] });
      }
      return matchedMemo;
    },
    accountAt, unsynced, conflicted, warnings, linked,
  };

  function candidate(p: DesiredUser, method: MatchMethod): number | undefined {
    switch (method) {
      case 'anchor':
        return byAnchor.get(p.anchor);
      case 'workEmail':
        return p.person.workEmail ? byAddress().get(lower(p.person.workEmail)) : undefined;
      case 'manual': {
        const m = manualByPerson.get(p.person.id);
        return m?.userPrincipalName ? byAddress().get(lower(m.userPrincipalName)) : undefined;
      }
    }
  }
}
