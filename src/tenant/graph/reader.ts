// Reads a Snapshot of what rollcall may manage. All or nothing: any failed request throws TenantError.
import type { z } from 'zod';
import type { Logger } from '../../log.js';
import { TenantError } from '../../errors.js';
import type { CalendarRead, EducationUsersRead, LicencesRead, Snapshot, TenantClass, TenantEvent, TenantGroup, TenantReader, TenantTeam, TenantUser } from '../types.js';
import { ClassAnswer, EducationUserAnswer, EventAnswer, GroupDeltaAnswer, IdAnswer, PageLinks, readAnswer, SubscribedSkuAnswer, TeamAnswer, UserAnswer } from './answers.js';
import type { GraphClient } from './client.js';
import { CLASS_SELECT, EDUCATION_USER_SELECT, EVENT_SELECT, GROUP_SELECT, LICENCE_USER_SELECT, PAGE_SIZE, RELATED_CONTACTS, ROLLCALL_EVENT_PROPERTY_ID, USER_SELECT } from './constants.js';
import { errorInfo, tenantError } from './errors.js';
import { versionRelative } from './links.js';
import type { BatchQueue } from './queue.js';
import { readAll, rolesOf } from './paging.js';
import { readPartitioned, startsWithFilter, UPN_FIRST_CHARACTERS } from './partitions.js';
import type { RetryPolicy } from './retry.js';
import type { FullReads } from './delta-read.js';

type Raw = Record<string, unknown>;
type UserRaw = z.infer<typeof UserAnswer>;
type ClassRaw = z.infer<typeof ClassAnswer>;
type EventRaw = z.infer<typeof EventAnswer>;
/** Checked answers hold strings, null or nothing where a property is optional: rollcall's types say null. */
const str = (v: string | null | undefined): string | null => v ?? null;

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
  /** Users and groups from the state the last run kept plus their changes since (delta-read.ts), when given. */
  directory?: { read(full: FullReads): Promise<{ users: TenantUser[]; groups: TenantGroup[]; keep?(): Promise<void> }> };
}

export class GraphReader implements TenantReader {
  /** Whether the last groups read had owners from /groups/delta (a warm read can follow them only then). */
  private ownersFollowed = true;
  constructor(private readonly opts: ReaderOptions) {}

  async read(opts: { education: boolean; guardians?: boolean; calendar?: CalendarRead; licences?: boolean }): Promise<Snapshot> {
    const readAt = new Date().toISOString();
    const { log } = this.opts;
    const cal = opts.calendar;
    // Independent collections are read side by side; Promise.all rejects on the first failure.
    // Calendars follow the users read when the caller chooses mailboxes from them.
    const licencesOn = opts.licences === true;
    const directory = this.opts.directory
      ? this.opts.directory.read({ userSelect: licencesOn ? [...USER_SELECT, ...LICENCE_USER_SELECT] : USER_SELECT, users: () => this.users(licencesOn), groups: () => this.groups(), ownersFollowed: () => this.ownersFollowed })
      : Promise.all([this.users(licencesOn), this.groups()]).then(([users, groups]) => ({ users, groups, keep: undefined }));
    const usersRead = directory.then((d) => d.users);
    const [users, groups, education, events, licences] = await Promise.all([
      usersRead,
      directory.then((d) => d.groups),
      opts.education ? this.education(opts.guardians === true) : Promise.resolve(undefined),
      cal ? usersRead.then((u) => this.events({ ...cal, userIds: typeof cal.userIds === 'function' ? cal.userIds(u) : cal.userIds })) : Promise.resolve([] as TenantEvent[]),
      opts.licences ? this.subscribedSkus() : Promise.resolve(undefined),
    ]);
    const classes = education?.classes ?? [];
    const teams = education?.teams ?? [];
    const byId = new Map(groups.map((g) => [g.id, g]));
    const tenantClasses: TenantClass[] = classes.map((c) => {
      const id = c.id;
      // A class is a Microsoft 365 group with the same id; its teachers are the group's owners.
      const g = byId.get(id);
      if (!g) throw tenantError('reading classes', { status: 200, code: 'Inconsistent', message: `class ${id} has no group in the groups read` });
      return { id, displayName: c.displayName ?? '', mailNickname: c.mailNickname ?? g.mailNickname, externalId: str(c.externalId), teachers: [...g.owners], members: [...g.members] };
    });
    const classIds = new Set(tenantClasses.map((c) => c.id));
    const snapshot: Snapshot = {
      readAt, domains: [...this.opts.domains], education: education !== undefined,
      ...(education ? { educationUsers: education.users } : {}),
      ...(licences ? { licences } : {}),
      users, groups, classes: tenantClasses, teams: teams.filter((t) => classIds.has(t.id) || byId.has(t.id)), events,
    };
    // Kept only now that the whole snapshot was read.
    await (await directory).keep?.();
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

  private async users(licences: boolean): Promise<TenantUser[]> {
    const select = licences ? [...USER_SELECT, ...LICENCE_USER_SELECT] : USER_SELECT;
    // A large tenant's users in partitions by the first character of their userPrincipalName, side by side.
    const raw = await readPartitioned({
      graph: this.opts.graph, path: '/users', query: `$select=${select.join(',')}&$top=${PAGE_SIZE}`,
      filters: UPN_FIRST_CHARACTERS.map((c) => startsWithFilter('userPrincipalName', c)),
      pageSize: PAGE_SIZE, what: 'users', item: UserAnswer, log: this.opts.log, ...this.paging(),
    });
    return raw.filter((u) => this.inDomains(u.userPrincipalName)).map(toUser);
  }

  /**
   * The tenant's SKUs, or why they could not be read (a permission the app lacks, a malformed answer): only licence
   * changes wait for them, with that reason; accounts are planned as ever.
   */
  private async subscribedSkus(): Promise<LicencesRead> {
    try {
      const raw = await readAll(this.opts.graph, '/subscribedSkus', 'subscribed SKUs', SubscribedSkuAnswer, this.paging());
      return {
        skus: raw.map((s) => ({
          skuId: s.skuId, skuPartNumber: s.skuPartNumber, enabled: s.prepaidUnits.enabled, consumed: s.consumedUnits,
          servicePlans: (s.servicePlans ?? []).map((p) => ({ servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName })),
        })),
      };
    } catch (err) {
      if (!(err instanceof TenantError)) throw err;
      return { unread: err.message };
    }
  }

  /**
   * Groups with members and owners in one sweep of /groups/delta: a big group's members come spread over several
   * pages (the group repeats with more members@delta), so entries are merged by id.
   */
  private async groups(): Promise<TenantGroup[]> {
    const select = (owners: boolean) => `/groups/delta?$select=${[...GROUP_SELECT, 'members', ...(owners ? ['owners'] : [])].join(',')}`;
    const deltaOpts = { ...this.paging(), delta: true, headers: { Prefer: `odata.maxpagesize=${PAGE_SIZE}` } };
    let ownersFromDelta = this.opts.ownersFromDelta ?? true;
    let raw: z.infer<typeof GroupDeltaAnswer>[];
    try {
      raw = await readAll(this.opts.graph, select(ownersFromDelta), 'groups (delta)', GroupDeltaAnswer, deltaOpts);
    } catch (err) {
      if (!(ownersFromDelta && err instanceof TenantError && err.graph?.status === 400)) throw err;
      ownersFromDelta = false;
      raw = await readAll(this.opts.graph, select(false), 'groups (delta)', GroupDeltaAnswer, deltaOpts);
    }
    // Owners asked for but on no entry at all: the property was ignored, which must not read as "no owners".
    if (ownersFromDelta && raw.length && !raw.some((g) => 'owners@delta' in g)) ownersFromDelta = false;
    this.ownersFollowed = ownersFromDelta;
    // Properties as checked (GroupDeltaAnswer), merged over the entries of one group.
    const merged = new Map<string, { props: Partial<z.infer<typeof GroupDeltaAnswer>>; members: Set<string>; owners: Set<string>; removed: boolean }>();
    for (const g of raw) {
      const id = g.id;
      let m = merged.get(id);
      if (!m) merged.set(id, (m = { props: {}, members: new Set(), owners: new Set(), removed: false }));
      if (g['@removed']) { m.removed = true; continue; }
      for (const [k, v] of Object.entries(g)) if (v !== undefined && !k.includes('@')) (m.props as Raw)[k] = v;
      for (const [prop, set] of [['members@delta', m.members], ['owners@delta', m.owners]] as const) {
        for (const ref of g[prop] ?? []) {
          if (ref['@removed']) set.delete(ref.id);
          else set.add(ref.id);
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
      displayName: m.props.displayName ?? '',
      mailNickname: m.props.mailNickname ?? '',
      mail: m.props.mail ?? null,
      description: m.props.description ?? null,
      groupTypes: m.props.groupTypes ?? [],
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
        if (a.status !== 200) throw tenantError(`reading owners of group ${id} (page ${page})`, errorInfo(a.status, a.body, a.headers), undefined, { method: 'GET', url }, a.status === 403 ? await rolesOf(this.opts.graph) : undefined);
        const body = a.body as { value?: unknown[]; '@odata.nextLink'?: string };
        const what = `reading owners of group ${id} (page ${page})`;
        if (!Array.isArray(body.value)) throw tenantError(what, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
        body.value.forEach((o, i) => owners.push(readAnswer(IdAnswer, o, what, `value[${i}]`).id));
        url = nextPage(this.opts.graph.origin, readAnswer(PageLinks, body, what)['@odata.nextLink']);
      }
      out.set(id, owners);
    }));
    return out;
  }

  /**
   * Classes, teams and education profiles, or undefined when the tenant answers that it has no education endpoints
   * (it is not an Education tenant): the planner then blocks classes with that reason instead of failing the whole read.
   */
  private async education(guardians: boolean): Promise<{ classes: ClassRaw[]; teams: TenantTeam[]; users: EducationUsersRead } | undefined> {
    try {
      const [classes, teams, users] = await Promise.all([this.classes(), this.teams(), this.educationUsers(guardians)]);
      return { classes, teams, users };
    } catch (err) {
      if (err instanceof TenantError && err.graph?.status === 400 && err.graph.code === 'Request_UnsupportedQuery') return undefined;
      throw err;
    }
  }

  private classes(): Promise<ClassRaw[]> {
    return readAll(this.opts.graph, `/education/classes?$select=${CLASS_SELECT.join(',')}&$top=${PAGE_SIZE}`, 'education classes', ClassAnswer, this.paging());
  }

  /**
   * Every education profile, or why they could not be read (a permission the app lacks, a malformed page): only the
   * profile changes wait for it, with that reason; accounts, groups and classes are planned as ever.
   */
  private async educationUsers(guardians: boolean): Promise<EducationUsersRead> {
    const select = guardians ? [...EDUCATION_USER_SELECT, RELATED_CONTACTS] : EDUCATION_USER_SELECT;
    try {
      const raw = await readAll(this.opts.graph, `/education/users?$select=${select.join(',')}&$top=${PAGE_SIZE}`, 'education users', EducationUserAnswer, this.paging());
      return {
        profiles: raw.map((u) => ({
          id: u.id,
          primaryRole: u.primaryRole ?? 'none',
          student: u.student ? { externalId: str(u.student.externalId), studentNumber: str(u.student.studentNumber), grade: str(u.student.grade), graduationYear: str(u.student.graduationYear) } : null,
          teacher: u.teacher ? { externalId: str(u.teacher.externalId), teacherNumber: str(u.teacher.teacherNumber) } : null,
          // Asked for, so an absent collection is an empty one (Graph leaves out a null collection).
          ...(guardians ? {
            relatedContacts: (u.relatedContacts ?? []).map((c) => ({
              displayName: c.displayName ?? '', emailAddress: str(c.emailAddress), mobilePhone: str(c.mobilePhone), relationship: c.relationship ?? 'other', accessConsent: c.accessConsent ?? null,
            })),
          } : {}),
        })),
      };
    } catch (err) {
      if (!(err instanceof TenantError)) throw err;
      return { unread: err.message };
    }
  }

  private async teams(): Promise<TenantTeam[]> {
    const raw = await readAll(this.opts.graph, `/teams?$select=id,isArchived&$top=${PAGE_SIZE}`, 'teams', TeamAnswer, this.paging());
    return raw.map((t) => ({ id: t.id, isArchived: t.isArchived === true }));
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
        if (a.status !== 200) throw tenantError(`reading events of ${userId} (page ${page})`, errorInfo(a.status, a.body, a.headers), undefined, { method: 'GET', url }, a.status === 403 ? await rolesOf(this.opts.graph) : undefined);
        const body = a.body as { value?: unknown[]; '@odata.nextLink'?: string };
        const what = `reading events of ${userId} (page ${page})`;
        if (!Array.isArray(body.value)) throw tenantError(what, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
        for (const [i, raw] of body.value.entries()) {
          const e = readAnswer(EventAnswer, raw, what, `value[${i}]`);
          const tag = (e.singleValueExtendedProperties ?? []).find((p) => p.id.toLowerCase() === ROLLCALL_EVENT_PROPERTY_ID.toLowerCase());
          if (tag && typeof tag.value === 'string') out.push(toEvent(e, userId, tag.value));
        }
        url = nextPage(this.opts.graph.origin, readAnswer(PageLinks, body, what)['@odata.nextLink']);
      }
      return out;
    }));
    return perUser.flat();
  }
}

/** A page's nextLink as the next request's url (links.ts), or undefined on the last page. */
function nextPage(origin: string, next: string | null | undefined): string | undefined {
  return next ? versionRelative(next, `${origin}/v1.0`) : undefined;
}

export function toUser(u: UserRaw): TenantUser {
  const extensionAttributes: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(u.onPremisesExtensionAttributes ?? {})) if (/^extensionAttribute\d+$/.test(k)) extensionAttributes[k] = v;
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName ?? '',
    givenName: str(u.givenName),
    surname: str(u.surname),
    mail: str(u.mail),
    accountEnabled: u.accountEnabled === true,
    employeeId: str(u.employeeId),
    employeeType: str(u.employeeType),
    extensionAttributes,
    employeeLeaveDateTime: str(u.employeeLeaveDateTime),
    usageLocation: str(u.usageLocation),
    ...(u.assignedLicenses ? { assignedLicenses: u.assignedLicenses.map((l) => ({ skuId: l.skuId, disabledPlans: [...(l.disabledPlans ?? [])] })) } : {}),
  };
}

function toEvent(e: EventRaw, userId: string, tag: string): TenantEvent {
  const time = (v: EventRaw['start']) => ({ dateTime: v?.dateTime ?? '', timeZone: v?.timeZone ?? '' });
  const location = e.location?.displayName;
  return {
    id: e.id, userId, tag, subject: e.subject ?? '', start: time(e.start), end: time(e.end),
    location: typeof location === 'string' && location ? location : null,
    reminderMinutes: e.isReminderOn === false ? null : typeof e.reminderMinutesBeforeStart === 'number' ? e.reminderMinutesBeforeStart : null,
  };
}
