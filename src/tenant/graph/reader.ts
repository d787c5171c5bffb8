// Reads a Snapshot of what rollcall may manage. All or nothing: any failed request throws TenantError.
import type { Logger } from '../../log.js';
import { TenantError } from '../../errors.js';
import type { CalendarRead, Snapshot, TenantClass, TenantEvent, TenantGroup, TenantReader, TenantTeam, TenantUser } from '../types.js';
import type { GraphClient } from './client.js';
import { CLASS_SELECT, EVENT_SELECT, GROUP_SELECT, PAGE_SIZE, ROLLCALL_EVENT_PROPERTY_ID, USER_SELECT } from './constants.js';
import { errorInfo, tenantError } from './errors.js';
import type { BatchQueue } from './queue.js';
import { readAll } from './paging.js';
import type { RetryPolicy } from './retry.js';

type Raw = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export interface ReaderOptions {
  graph: GraphClient;
  queue: BatchQueue;
  domains: string[];
  log: Logger;
  /** Retries of a failed page before the whole read fails (default: 8 attempts, backoff from 1 s). */
  policy?: RetryPolicy;
  /**
   * Ask /groups/delta for owners too (default). Microsoft documents members@delta; should a tenant refuse owners
   * there, or leave them out, owners are read per group instead, 20 groups to a $batch.
   */
  ownersFromDelta?: boolean;
}

export class GraphReader implements TenantReader {
  constructor(private readonly opts: ReaderOptions) {}

  async read(opts: { education: boolean; calendar?: CalendarRead }): Promise<Snapshot> {
    const readAt = new Date().toISOString();
    const { log } = this.opts;
    const cal = opts.calendar;
    // Independent collections are read side by side; Promise.all rejects on the first failure.
    // Calendars follow the users read when the caller chooses mailboxes from them.
    const usersRead = this.users();
    const [users, groups, education, events] = await Promise.all([
      usersRead,
      this.groups(),
      opts.education ? this.education() : Promise.resolve(undefined),
      cal ? usersRead.then((u) => this.events({ ...cal, userIds: typeof cal.userIds === 'function' ? cal.userIds(u) : cal.userIds })) : Promise.resolve([] as TenantEvent[]),
    ]);
    const classes = education?.classes ?? [];
    const teams = education?.teams ?? [];
    const byId = new Map(groups.map((g) => [g.id, g]));
    const tenantClasses: TenantClass[] = classes.map((c) => {
      const id = String(c.id);
      // A class is a Microsoft 365 group with the same id; its teachers are the group's owners.
      const g = byId.get(id);
      if (!g) throw tenantError('reading classes', { status: 200, code: 'Inconsistent', message: `class ${id} has no group in the groups read` });
      return { id, displayName: String(c.displayName ?? ''), mailNickname: String(c.mailNickname ?? g.mailNickname), externalId: str(c.externalId), teachers: [...g.owners], members: [...g.members] };
    });
    const classIds = new Set(tenantClasses.map((c) => c.id));
    const snapshot: Snapshot = {
      readAt, domains: [...this.opts.domains], education: education !== undefined,
      users, groups, classes: tenantClasses, teams: teams.filter((t) => classIds.has(t.id) || byId.has(t.id)), events,
    };
    log.debug(`graph: read ${users.length} users, ${groups.length} groups, ${tenantClasses.length} classes, ${snapshot.teams.length} teams, ${events.length} events`);
    return snapshot;
  }

  private paging() {
    return this.opts.policy ? { policy: this.opts.policy } : {};
  }

  private inDomains(upn: string): boolean {
    const at = upn.lastIndexOf('@');
    const domain = upn.slice(at + 1).toLowerCase();
    return at > 0 && this.opts.domains.some((d) => d.toLowerCase() === domain);
  }

  private async users(): Promise<TenantUser[]> {
    const raw = await readAll<Raw>(this.opts.graph, `/users?$select=${USER_SELECT.join(',')}&$top=${PAGE_SIZE}`, 'users', this.paging());
    return raw.filter((u) => typeof u.userPrincipalName === 'string' && this.inDomains(u.userPrincipalName)).map(toUser);
  }

  /**
   * Groups with members and owners in one sweep of /groups/delta: a big group's members come spread over several
   * pages (the group repeats with more members@delta), so entries are merged by id.
   */
  private async groups(): Promise<TenantGroup[]> {
    const select = (owners: boolean) => `/groups/delta?$select=${[...GROUP_SELECT, 'members', ...(owners ? ['owners'] : [])].join(',')}`;
    const deltaOpts = { ...this.paging(), delta: true, headers: { Prefer: `odata.maxpagesize=${PAGE_SIZE}` } };
    let ownersFromDelta = this.opts.ownersFromDelta ?? true;
    let raw: Raw[];
    try {
      raw = await readAll<Raw>(this.opts.graph, select(ownersFromDelta), 'groups (delta)', deltaOpts);
    } catch (err) {
      if (!(ownersFromDelta && err instanceof TenantError && err.graph?.status === 400)) throw err;
      ownersFromDelta = false;
      raw = await readAll<Raw>(this.opts.graph, select(false), 'groups (delta)', deltaOpts);
    }
    // Owners asked for but on no entry at all: the property was ignored, which must not read as "no owners".
    if (ownersFromDelta && raw.length && !raw.some((g) => 'owners@delta' in g)) ownersFromDelta = false;
    const merged = new Map<string, { props: Raw; members: Set<string>; owners: Set<string>; removed: boolean }>();
    for (const g of raw) {
      const id = String(g.id);
      let m = merged.get(id);
      if (!m) merged.set(id, (m = { props: {}, members: new Set(), owners: new Set(), removed: false }));
      if (g['@removed']) { m.removed = true; continue; }
      for (const [k, v] of Object.entries(g)) if (v !== undefined && !k.includes('@')) m.props[k] = v;
      for (const [prop, set] of [['members@delta', m.members], ['owners@delta', m.owners]] as const) {
        for (const ref of (g[prop] as Raw[] | undefined) ?? []) {
          if (ref['@removed']) set.delete(String(ref.id));
          else set.add(String(ref.id));
        }
      }
    }
    const live = [...merged.entries()].filter(([, m]) => !m.removed);
    if (!ownersFromDelta) {
      const owners = await this.ownersPerGroup(live.map(([id]) => id));
      for (const [id, m] of live) m.owners = new Set(owners.get(id));
    }
    return live.map(([id, m]): TenantGroup => ({
      id,
      displayName: String(m.props.displayName ?? ''),
      mailNickname: String(m.props.mailNickname ?? ''),
      mail: str(m.props.mail),
      description: str(m.props.description),
      groupTypes: Array.isArray(m.props.groupTypes) ? (m.props.groupTypes as string[]) : [],
      securityEnabled: m.props.securityEnabled === true,
      mailEnabled: m.props.mailEnabled === true,
      members: [...m.members],
      owners: [...m.owners],
    }));
  }

  /** Owners of each group (at most 100 each), one GET per group but 20 to a $batch; any failure fails the read. */
  private async ownersPerGroup(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    await Promise.all(ids.map(async (id) => {
      const owners: string[] = [];
      let url: string | undefined = `/groups/${encodeURIComponent(id)}/owners?$select=id&$top=${PAGE_SIZE}`;
      for (let page = 1; url; page++) {
        const a = await this.opts.queue.send({ method: 'GET', url });
        if (a.status !== 200) throw tenantError(`reading owners of group ${id} (page ${page})`, errorInfo(a.status, a.body, a.headers));
        const body = a.body as { value?: Raw[]; '@odata.nextLink'?: string };
        if (!Array.isArray(body.value)) throw tenantError(`reading owners of group ${id} (page ${page})`, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
        owners.push(...body.value.map((o) => String(o.id)));
        url = relative(this.opts.graph.origin, body['@odata.nextLink']);
      }
      out.set(id, owners);
    }));
    return out;
  }

  /**
   * Classes and teams, or undefined when the tenant answers that it has no education endpoints (it is not an
   * Education tenant): the planner then blocks classes with that reason instead of failing the whole read.
   */
  private async education(): Promise<{ classes: Raw[]; teams: TenantTeam[] } | undefined> {
    try {
      const [classes, teams] = await Promise.all([this.classes(), this.teams()]);
      return { classes, teams };
    } catch (err) {
      if (err instanceof TenantError && err.graph?.status === 400 && err.graph.code === 'Request_UnsupportedQuery') return undefined;
      throw err;
    }
  }

  private classes(): Promise<Raw[]> {
    return readAll<Raw>(this.opts.graph, `/education/classes?$select=${CLASS_SELECT.join(',')}&$top=${PAGE_SIZE}`, 'education classes', this.paging());
  }

  private async teams(): Promise<TenantTeam[]> {
    const raw = await readAll<Raw>(this.opts.graph, `/teams?$select=id,isArchived&$top=${PAGE_SIZE}`, 'teams', this.paging());
    return raw.map((t) => ({ id: String(t.id), isArchived: t.isArchived === true }));
  }

  /**
   * Tagged events per mailbox: first pages go 20 mailboxes to a $batch (one request per mailbox is unavoidable);
   * further pages follow their nextLink. Only events carrying rollcall's extended property are kept.
   */
  private async events(cal: { userIds: string[]; from: string; to: string }): Promise<TenantEvent[]> {
    const expand = `singleValueExtendedProperties($filter=id eq '${ROLLCALL_EVENT_PROPERTY_ID}')`;
    const query = `startDateTime=${encodeURIComponent(cal.from)}&endDateTime=${encodeURIComponent(cal.to)}&$select=${EVENT_SELECT.join(',')}&$expand=${encodeURIComponent(expand)}&$top=${PAGE_SIZE}`;
    const perUser = await Promise.all([...new Set(cal.userIds)].map(async (userId) => {
      const out: TenantEvent[] = [];
      let url: string | undefined = `/users/${encodeURIComponent(userId)}/calendarView?${query}`;
      for (let page = 1; url; page++) {
        const a = await this.opts.queue.send({ method: 'GET', url, headers: { Prefer: 'IdType="ImmutableId"' }, chain: `mailbox:${userId}` });
        if (a.status !== 200) throw tenantError(`reading events of ${userId} (page ${page})`, errorInfo(a.status, a.body, a.headers));
        const body = a.body as { value?: Raw[]; '@odata.nextLink'?: string };
        if (!Array.isArray(body.value)) throw tenantError(`reading events of ${userId} (page ${page})`, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
        for (const e of body.value) {
          const tag = ((e.singleValueExtendedProperties as Raw[] | undefined) ?? []).find((p) => String(p.id).toLowerCase() === ROLLCALL_EVENT_PROPERTY_ID.toLowerCase());
          if (tag && typeof tag.value === 'string') out.push(toEvent(e, userId, tag.value));
        }
        url = relative(this.opts.graph.origin, body['@odata.nextLink']);
      }
      return out;
    }));
    return perUser.flat();
  }
}

/** A nextLink made relative to the version root, as $batch requests must be. */
function relative(origin: string, next: string | undefined): string | undefined {
  if (!next) return undefined;
  const root = `${origin}/v1.0`;
  return next.startsWith(root) ? next.slice(root.length) : next;
}

function toUser(u: Raw): TenantUser {
  const ext = u.onPremisesExtensionAttributes as Record<string, unknown> | null | undefined;
  const extensionAttributes: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(ext ?? {})) if (/^extensionAttribute\d+$/.test(k)) extensionAttributes[k] = str(v);
  return {
    id: String(u.id),
    userPrincipalName: String(u.userPrincipalName),
    displayName: String(u.displayName ?? ''),
    givenName: str(u.givenName),
    surname: str(u.surname),
    mail: str(u.mail),
    accountEnabled: u.accountEnabled === true,
    employeeId: str(u.employeeId),
    employeeType: str(u.employeeType),
    extensionAttributes,
    employeeLeaveDateTime: str(u.employeeLeaveDateTime),
    usageLocation: str(u.usageLocation),
  };
}

function toEvent(e: Raw, userId: string, tag: string): TenantEvent {
  const time = (v: unknown) => ({ dateTime: String((v as Raw | undefined)?.dateTime ?? ''), timeZone: String((v as Raw | undefined)?.timeZone ?? '') });
  const location = (e.location as Raw | undefined)?.displayName;
  return {
    id: String(e.id), userId, tag, subject: String(e.subject ?? ''), start: time(e.start), end: time(e.end),
    location: typeof location === 'string' && location ? location : null,
    reminderMinutes: e.isReminderOn === false ? null : typeof e.reminderMinutesBeforeStart === 'number' ? e.reminderMinutesBeforeStart : null,
  };
}
