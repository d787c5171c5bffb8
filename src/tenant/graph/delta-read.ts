// Users and groups read warm: the state kept from the last read plus what /users/delta and /groups/delta report
// changed since, giving the same users and groups a full read would. Whenever that cannot be vouched for — no state,
// an unreadable or foreign one, other properties selected, older than maxAgeHours, a 410 or expired token, an object
// restored (delta with $select does not report a restore), any failed request — the collection is read in full and
// the log says why. A state is kept only after both collections were read completely.
import { TenantError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { ageHours, decodeState, encodeState, keyMismatch, type CollectionState, type DeltaKey, type DeltaState } from '../state/delta-state.js';
import { StateUnreadable, type StateStore } from '../state/store.js';
import type { TenantGroup, TenantUser } from '../types.js';
import { IdAnswer, PageLinks, readAnswer } from './answers.js';
import type { GraphClient } from './client.js';
import { GROUP_SELECT, PAGE_SIZE, USER_SELECT } from './constants.js';
import { applyGroupChanges, applyUserChanges, GroupDeltaEntry, UserDeltaEntry, withoutDeleted, type GroupEntry, type UserEntry } from './delta-apply.js';
import { tenantError } from './errors.js';
import { getJson, readAll, type Page } from './paging.js';
import type { RetryPolicy } from './retry.js';

/** 7 days: Graph's delta tokens for directory objects last that long, and a full read once a week bounds any drift. */
export const DEFAULT_DELTA_MAX_AGE_HOURS = 168;

/**
 * User properties Graph's change tracking does not follow (delta-query-overview, user-delta: stored outside the
 * directory, or licence state): a change to one never brings the user into a delta round. Selecting any of them
 * means users are read in full every run.
 */
export const UNTRACKED_USER_PROPERTIES = new Set([
  'assignedLicenses', 'assignedPlans', 'licenseAssignmentStates', 'provisionedPlans', 'signInActivity',
  'onPremisesDistinguishedName', 'onPremisesDomainName', 'onPremisesImmutableId', 'onPremisesLastSyncDateTime', 'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled', 'refreshTokensValidFromDateTime', 'signInSessionsValidFromDateTime',
  'aboutMe', 'birthday', 'hireDate', 'interests', 'mySite', 'pastProjects', 'preferredName', 'responsibilities', 'schools', 'skills', 'mailboxSettings',
]);

export interface DeltaStateOptions {
  store: StateStore;
  /** The tenant the state belongs to (its id; the local tenant's state file). */
  tenantId: string;
  /** A full read at least every this many hours; 0: always in full, nothing kept. */
  maxAgeHours: number;
  /** Read in full this once (`--full-read`); the new state is kept. */
  fullRead?: boolean;
  now?: () => Date;
}

export interface FullReads {
  /** The user properties the full read selects (licences add assignedLicenses, which delta does not track). */
  userSelect?: readonly string[];
  users(): Promise<TenantUser[]>;
  groups(): Promise<TenantGroup[]>;
  /** After groups(): whether owners came through /groups/delta; if the tenant left them out, no delta follows them. */
  ownersFollowed?(): boolean;
}

type Kind = 'users' | 'groups';
const GROUPS_SELECT = [...GROUP_SELECT, 'members', 'owners'].join(',');
const HEADERS = { Prefer: `odata.maxpagesize=${PAGE_SIZE}` };

export class DeltaDirectory {
  /** This read's selects: the state is keyed on them, so a read that selects more starts from a full read. */
  private select: Record<Kind, string> = { users: USER_SELECT.join(','), groups: GROUPS_SELECT };

  constructor(private readonly o: { graph: GraphClient; domains: string[]; log: Logger; policy?: RetryPolicy; state: DeltaStateOptions }) {}

  private key(): DeltaKey {
    return { tenantId: this.o.state.tenantId, graphUrl: this.o.graph.origin, userSelect: this.select.users, groupSelect: this.select.groups, domains: this.o.domains.map((d) => d.toLowerCase()).sort() };
  }

  private inDomains = (upn: string): boolean => {
    const at = upn.lastIndexOf('@');
    const domain = upn.slice(at + 1).toLowerCase();
    return at > 0 && this.o.domains.some((d) => d.toLowerCase() === domain);
  };

  /** Users and groups, and `keep` to save the new state: the caller calls it once its whole read is complete. */
  async read(full: FullReads): Promise<{ users: TenantUser[]; groups: TenantGroup[]; keep?(): Promise<void> }> {
    const { log, state: opts } = this.o;
    const now = (opts.now ?? (() => new Date()))();
    if (opts.maxAgeHours === 0) {
      log.debug('tenant: users and groups read in full (tenant.graph.deltaMaxAgeHours is 0)');
      return this.fullBoth(full);
    }
    const userSelect = full.userSelect ?? USER_SELECT;
    this.select = { users: userSelect.join(','), groups: GROUPS_SELECT };
    const stored = await this.stored(now);
    const untracked = userSelect.filter((p) => UNTRACKED_USER_PROPERTIES.has(p));
    const why: Record<Kind, string | undefined> = {
      users: untracked.length ? `Graph's delta does not track ${untracked.join(', ')}` : this.stale(stored.state?.users, stored.why, now),
      groups: this.stale(stored.state?.groups, stored.why, now),
    };
    let deleted: { users: string[]; groups: string[] };
    const links: Partial<Record<Kind, string>> = {};
    try {
      // Taken before anything is read, so a change made while the full read runs comes again next time (applied twice
      // it changes nothing) instead of being missed.
      const [d, u, g] = await Promise.all([
        this.deletedIds(),
        why.users && !untracked.length ? this.latest('users') : undefined,
        why.groups ? this.latest('groups') : undefined,
      ]);
      deleted = d;
      if (u) links.users = u;
      if (g) links.groups = g;
    } catch (err) {
      // No answer at all (the connection lost after the read's own retries, or the run ending while it reads): a full
      // read could not do better, and a run being closed must not log a fallback it will never make.
      if (!answered(err)) throw err;
      log.warn(`tenant: users and groups read in full, no delta state kept (${reason(err)})`);
      return this.fullBoth(full);
    }
    const state = stored.state;
    const warm: Partial<{ users: { items: TenantUser[]; gone: Set<string>; link: string }; groups: { items: TenantGroup[]; gone: Set<string>; link: string } }> = {};
    await Promise.all((['users', 'groups'] as const).map(async (kind) => {
      const kept = state?.[kind];
      if (why[kind] || !kept) return;
      try {
        const round = await this.follow(kind, kept.deltaLink);
        if (kind === 'users') {
          const r = applyUserChanges(kept.items as TenantUser[], round.entries as UserEntry[], this.inDomains);
          warm.users = { items: r.users, gone: r.gone, link: round.deltaLink };
        } else {
          const r = applyGroupChanges(kept.items as TenantGroup[], round.entries as GroupEntry[]);
          warm.groups = { items: r.groups, gone: r.gone, link: round.deltaLink };
        }
      } catch (err) {
        why[kind] = reason(err);
      }
    }));
    // Restores are not in a $select delta round: an id that left deletedItems without being reported gone was restored.
    if (state) {
      const nowDeleted = new Set([...deleted.users, ...deleted.groups]);
      const gone = new Set([...(warm.users?.gone ?? []), ...(warm.groups?.gone ?? [])]);
      const restored = [...state.deleted.users, ...state.deleted.groups].filter((id) => !nowDeleted.has(id) && !gone.has(id));
      if (restored.length && (warm.users || warm.groups)) {
        const r = `${restored.length} deleted object(s) restored since, which delta does not report`;
        // The new deltaLinks were issued before this read, so they serve as a full read's starting point.
        for (const kind of ['users', 'groups'] as const) {
          if (warm[kind]) links[kind] = warm[kind]!.link;
          delete warm[kind];
          why[kind] ??= r;
        }
      }
    }
    for (const kind of ['users', 'groups'] as const) {
      if (warm[kind]) links[kind] = warm[kind]!.link;
      else if (!links[kind] && !(kind === 'users' && untracked.length)) {
        try {
          links[kind] = await this.latest(kind);
        } catch (err) {
          why[kind] = `${why[kind]}; ${reason(err)}`;
        }
      }
    }
    const [users, groups] = await Promise.all([
      warm.users ? warm.users.items : full.users(),
      warm.groups ? withoutDeleted(warm.groups.items, new Set([...deleted.users, ...deleted.groups])) : full.groups(),
    ]);
    if (!warm.groups && links.groups && full.ownersFollowed?.() === false) {
      delete links.groups;
      log.info('tenant: Graph left owners out of /groups/delta, so groups are read in full every run');
    }
    for (const kind of ['users', 'groups'] as const) {
      if (warm[kind]) log.info(`tenant: ${kind} read warm: the last read plus the changes since (last full read ${state![kind]!.fullReadAt})`);
      else log.info(`tenant: ${kind} read in full (${why[kind]})`);
    }
    const next: DeltaState = {
      key: this.key(), savedAt: now.toISOString(), deleted,
      ...(links.users ? { users: { deltaLink: links.users, fullReadAt: warm.users ? state!.users!.fullReadAt : now.toISOString(), items: users } } : {}),
      ...(links.groups ? { groups: { deltaLink: links.groups, fullReadAt: warm.groups ? state!.groups!.fullReadAt : now.toISOString(), items: groups } } : {}),
    };
    const keep = async () => {
      try {
        if (next.users || next.groups) await opts.store.save(encodeState(next));
      } catch (err) {
        log.warn(`tenant: could not keep the delta state in ${opts.store.where} (${reason(err)}); the next run reads in full`);
      }
    };
    return { users, groups, keep };
  }

  private async fullBoth(full: FullReads) {
    const [users, groups] = await Promise.all([full.users(), full.groups()]);
    return { users, groups };
  }

  /** The kept state when it can stand in for this read, else why not (a damaged or foreign one is also a warning). */
  private async stored(now: Date): Promise<{ state?: DeltaState; why?: string }> {
    const { store, fullRead } = this.o.state;
    if (fullRead) return { why: 'a full read was asked for' };
    let bytes: Uint8Array | undefined;
    try {
      bytes = await store.load();
    } catch (err) {
      const r = err instanceof StateUnreadable ? err.message : reason(err);
      this.o.log.warn(`tenant: the delta state in ${store.where} was not used: ${r}`);
      return { why: 'the delta state was not usable' };
    }
    if (!bytes) return { why: 'no delta state kept yet' };
    const d = decodeState(bytes);
    if (d.problem !== undefined) {
      this.o.log.warn(`tenant: the delta state in ${store.where} was not used: ${d.problem}`);
      return { why: 'the delta state was not usable' };
    }
    const mismatch = keyMismatch(d.state.key, this.key());
    if (mismatch) return { why: `the delta state does not fit: ${mismatch}` };
    if (Date.parse(d.state.savedAt) > now.getTime() + 60_000) return { why: 'the delta state is dated in the future' };
    return { state: d.state };
  }

  private stale(kept: CollectionState<unknown> | undefined, why: string | undefined, now: Date): string | undefined {
    if (why) return why;
    if (!kept) return 'no delta state kept for them';
    const age = ageHours(kept.fullReadAt, now);
    if (!(age < this.o.state.maxAgeHours)) return `the last full read is ${Math.floor(age)} h old (tenant.graph.deltaMaxAgeHours: ${this.o.state.maxAgeHours})`;
    return undefined;
  }

  /** A deltaLink from now on ("sync from now": no objects, only the link). */
  private async latest(kind: Kind): Promise<string> {
    const url = `/${kind}/delta?$select=${this.select[kind]}&$deltatoken=latest`;
    const page = await getJson<Page<unknown>>(this.o.graph, url, `${kind} (delta link)`, HEADERS, this.o.policy);
    const link = readAnswer(PageLinks, page, `reading ${kind} (delta link)`)['@odata.deltaLink'];
    if (!link) throw tenantError(`reading ${kind} (delta link)`, { status: 200, code: 'IncompleteDelta', message: 'the answer carries no deltaLink' });
    return link;
  }

  /** Every entry of the round that `deltaLink` starts, and the deltaLink its last page ends with. */
  private async follow(kind: Kind, deltaLink: string): Promise<{ entries: (UserEntry | GroupEntry)[]; deltaLink: string }> {
    // The link is only ever one this tenant's Graph gave for this collection.
    if (!deltaLink.startsWith(`${this.o.graph.origin}/v1.0/${kind}/delta?`)) throw tenantError(`reading ${kind} (delta)`, { status: 0, code: 'ForeignDeltaLink', message: 'the kept deltaLink is not this Graph\'s' });
    const schema = kind === 'users' ? UserDeltaEntry : GroupDeltaEntry;
    const entries: (UserEntry | GroupEntry)[] = [];
    let next: string | undefined = deltaLink;
    for (let n = 1; next; n++) {
      const what = `reading ${kind} (delta, page ${n})`;
      const page: Page<unknown> = await getJson<Page<unknown>>(this.o.graph, next, `${kind} (delta, page ${n})`, HEADERS, this.o.policy);
      if (!Array.isArray(page.value)) throw tenantError(what, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
      const links = readAnswer(PageLinks, page, what);
      page.value.forEach((v, i) => entries.push(readAnswer(schema, v, what, `value[${i}]`)));
      next = links['@odata.nextLink'] ?? undefined;
      if (!next) {
        const end = links['@odata.deltaLink'];
        if (!end) throw tenantError(what, { status: 200, code: 'IncompleteDelta', message: 'the last page carries neither a nextLink nor a deltaLink' });
        return { entries, deltaLink: end };
      }
    }
    throw tenantError(`reading ${kind} (delta)`, { status: 200, code: 'IncompleteDelta', message: 'no pages' });
  }

  /** Ids of soft-deleted users and groups (in /directory/deletedItems). */
  private async deletedIds(): Promise<{ users: string[]; groups: string[] }> {
    const list = (type: 'user' | 'group') => readAll(this.o.graph, `/directory/deletedItems/microsoft.graph.${type}?$select=id&$top=${PAGE_SIZE}`, `deleted ${type}s`, IdAnswer, this.o.policy ? { policy: this.o.policy } : {});
    const [users, groups] = await Promise.all([list('user'), list('group')]);
    return { users: users.map((u) => u.id), groups: groups.map((g) => g.id) };
  }
}

/** Graph answered (with an error status): worth a full read instead, unlike no answer at all. */
const answered = (err: unknown): boolean => err instanceof TenantError && (err.graph?.status ?? 0) > 0;

/** A failure as a short reason for the log: Graph's status and code, never a body that might carry personal data. */
function reason(err: unknown): string {
  if (err instanceof TenantError) {
    const g = err.graph;
    if (g?.status === 410) return 'Graph asked for a resync (410)';
    return g?.code ? `${g.status ? `${g.status} ` : ''}${g.code}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
