// The emulated tenant's data: plain records in Maps, serialisable to one JSON document.
// Everything here is synchronous so a request handler sees and changes a consistent tenant.
import { randomUUID } from 'node:crypto';

export type Props = Record<string, unknown>;

interface Versioned {
  id: string;
  /** Emulator clock (ms since epoch) at creation; drives the replication delay. Seeded objects use 0. */
  createdAt: number;
  /** Change sequence of the last write; delta compares it with the token's sequence. */
  v: number;
  /** Set while soft-deleted (in /directory/deletedItems). */
  deletedAt?: number;
  /** `v` of a restore from deletedItems, while that is the last change (delta with $select does not report it). */
  restoredV?: number;
}

export interface UserRecord extends Versioned {
  props: Props;
  /** The education profile someone wrote on /education/users/{id} (primaryRole, student, teacher); absent if nobody did. */
  education?: Props;
}

export interface GroupRecord extends Versioned {
  props: Props;
  members: string[];
  owners: string[];
  /** Present when the group backs an education class: the class's own properties. */
  education?: Props & { teachers: string[] };
}

export interface TeamRecord {
  id: string;
  createdAt: number;
  /** When the creating operation finishes; GET /teams/{id} answers 404 before that. */
  readyAt: number;
  isArchived: boolean;
  props: Props;
}

export interface OperationRecord {
  id: string;
  teamId: string;
  operationType: 'createTeam' | 'archiveTeam' | 'unarchiveTeam';
  createdAt: number;
  completeAt: number;
  /** Set when the operation fails (at completeAt): Teams' error, and no team is made. */
  error?: { code: string; message: string };
}

export interface EventRecord {
  id: string;
  userId: string;
  createdAt: number;
  props: Props;
  /** singleValueExtendedProperties; kept apart because Graph returns them only through $expand. */
  ext: { id: string; value: string }[];
}

export interface MailRecord {
  from: string;
  message: Props;
  saveToSentItems: boolean;
  sentAt: string;
}

/** A SKU the tenant bought (tenant.local.licences); units consumed are counted from the accounts. */
export interface SkuRecord {
  skuId: string;
  skuPartNumber: string;
  /** prepaidUnits.enabled */
  enabled: number;
  servicePlans: { servicePlanId: string; servicePlanName: string }[];
}

export interface MemberChange {
  seq: number;
  groupId: string;
  memberId: string;
  role: 'members' | 'owners';
  op: 'add' | 'remove';
}

export interface Tombstone {
  id: string;
  type: 'user' | 'group';
  seq: number;
}

interface StateFile {
  version: 1;
  tenantId: string;
  domains: string[];
  education: boolean;
  seq: number;
  users: UserRecord[];
  groups: GroupRecord[];
  teams: TeamRecord[];
  operations: OperationRecord[];
  events: EventRecord[];
  outbox: MailRecord[];
  memberLog: MemberChange[];
  tombstones: Tombstone[];
  skus?: SkuRecord[];
}

export interface SeedUser extends Props {
  id?: string;
  displayName?: string;
  userPrincipalName: string;
}

export interface SeedGroup extends Props {
  id?: string;
  displayName: string;
  mailNickname?: string;
  members?: string[];
  owners?: string[];
}

export class EmulatorState {
  tenantId: string = randomUUID();
  domains: string[];
  education: boolean;
  seq = 0;
  users = new Map<string, UserRecord>();
  groups = new Map<string, GroupRecord>();
  teams = new Map<string, TeamRecord>();
  operations = new Map<string, OperationRecord>();
  /**
   * Groups whose team Teams fails to provision (a test seam, not kept in the state file): the create is accepted
   * (202), its operation ends `failed` with this error and the team never appears, as Teams does.
   */
  teamFailures = new Map<string, { code: string; message: string }>();
  events = new Map<string, EventRecord>();
  outbox: MailRecord[] = [];
  memberLog: MemberChange[] = [];
  tombstones: Tombstone[] = [];
  /** Subscribed SKUs (GET /subscribedSkus); accounts' licences live in their `assignedLicenses` property. */
  skus: SkuRecord[] = [];
  /** lower-case userPrincipalName → id, soft-deleted users included (they keep their address). */
  private upnIndex = new Map<string, string>();
  /** userId + transactionId → event id, so a create's duplicate check does not walk every event in the tenant. */
  private transactionIndex = new Map<string, string>();
  /** Called after every change so the server can schedule a save. */
  onChange: () => void = () => {};

  constructor(opts: { domains?: string[]; education?: boolean } = {}) {
    this.domains = opts.domains?.length ? [...opts.domains] : ['rollcall.test'];
    this.education = opts.education ?? false;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  touch<T extends { v: number }>(rec: T): T {
    rec.v = this.nextSeq();
    if ('members' in rec) this.mail.dirty.add((rec as unknown as GroupRecord).id);
    this.onChange();
    return rec;
  }

  /**
   * Mail-enabled groups (soft-deleted ones too) by address and by nickname, lower-cased. Kept up to date group by
   * group: a write touches its group, and only touched groups are indexed again, so a trust's 20,000 group creates
   * each cost one group's work, not a walk of every group (a whole rebuild only when groups came or went untouched:
   * a state file loaded, a seeded test).
   */
  private mail = { seen: new Set<string>(), dirty: new Set<string>(), byMail: new Map<string, string>(), byNick: new Map<string, Set<string>>(), of: new Map<string, { mail?: string; nick?: string }>() };

  private mailIndex(): typeof this.mail {
    const m = this.mail;
    for (const id of m.dirty) {
      const was = m.of.get(id);
      if (was?.mail !== undefined && m.byMail.get(was.mail) === id) m.byMail.delete(was.mail);
      if (was?.nick !== undefined) m.byNick.get(was.nick)?.delete(id);
      m.of.delete(id);
      const g = this.groups.get(id);
      if (g) {
        this.indexMail(g);
        m.seen.add(id);
      } else m.seen.delete(id);
    }
    m.dirty.clear();
    if (m.seen.size !== this.groups.size) {
      m.byMail.clear();
      m.byNick.clear();
      m.of.clear();
      m.seen = new Set(this.groups.keys());
      for (const g of this.groups.values()) this.indexMail(g);
    }
    return m;
  }

  private indexMail(g: GroupRecord): void {
    if (g.props.mailEnabled !== true) return;
    const m = this.mail;
    const mail = typeof g.props.mail === 'string' ? g.props.mail.toLowerCase() : undefined;
    const nick = typeof g.props.mailNickname === 'string' ? g.props.mailNickname.toLowerCase() : undefined;
    if (mail !== undefined) m.byMail.set(mail, g.id);
    if (nick !== undefined) {
      let ids = m.byNick.get(nick);
      if (!ids) m.byNick.set(nick, (ids = new Set()));
      ids.add(g.id);
    }
    m.of.set(g.id, { mail, nick });
  }

  /**
   * Addresses of mail-enabled groups (soft-deleted ones keep theirs), lower-cased → group id. Exchange keeps proxy
   * addresses unique across users and groups, so a user's UPN may not take a group's address and vice versa.
   */
  groupMail(address: string): string | undefined {
    return this.mailIndex().byMail.get(address.toLowerCase());
  }

  /** A mail-enabled group other than `self` (soft-deleted ones too) with this nickname, case-insensitively. */
  groupWithMailNickname(nick: string, self?: string): string | undefined {
    for (const id of this.mailIndex().byNick.get(nick.toLowerCase()) ?? []) if (id !== self) return id;
    return undefined;
  }

  /**
   * Whether the group's members (or owners) hold `id`: a Set kept beside each list, so adding a 100,000th pupil to
   * All Students is not a walk of the 99,999 before. The list stays the record (it is what the state file and the
   * reads show); a list changed behind the index's back (a test seeding one) has another length and is indexed again.
   */
  isMember(g: GroupRecord, id: string, role: 'members' | 'owners'): boolean {
    return this.memberSet(g[role]).has(id);
  }

  private memberSets = new WeakMap<string[], Set<string>>();

  private memberSet(list: string[]): Set<string> {
    let set = this.memberSets.get(list);
    if (!set || set.size !== list.length) this.memberSets.set(list, (set = new Set(list)));
    return set;
  }

  // ---- lookups ----
  /** Keeps the UPN index in step; call after setting or changing a user's userPrincipalName. */
  indexUpn(u: UserRecord, previous?: unknown): void {
    if (typeof previous === 'string' && this.upnIndex.get(previous.toLowerCase()) === u.id) this.upnIndex.delete(previous.toLowerCase());
    this.upnIndex.set(String(u.props.userPrincipalName).toLowerCase(), u.id);
  }

  /** Any user (soft-deleted too) holding this address; O(1) so bulk creates stay linear. */
  userByUpn(upn: string): UserRecord | undefined {
    const lower = upn.toLowerCase();
    const id = this.upnIndex.get(lower);
    const u = id === undefined ? undefined : this.users.get(id);
    if (u && String(u.props.userPrincipalName).toLowerCase() === lower) return u;
    if (id !== undefined) this.upnIndex.delete(lower);
    return undefined;
  }

  liveUser(idOrUpn: string): UserRecord | undefined {
    const u = this.users.get(idOrUpn) ?? (idOrUpn.includes('@') ? this.userByUpn(idOrUpn) : undefined);
    return u && u.deletedAt === undefined ? u : undefined;
  }

  liveGroup(id: string): GroupRecord | undefined {
    const g = this.groups.get(id);
    return g && g.deletedAt === undefined ? g : undefined;
  }

  /** A live user or group: the directoryObjects a $ref may point at. */
  liveObject(id: string): UserRecord | GroupRecord | undefined {
    return this.liveUser(id) ?? this.liveGroup(id);
  }

  /** Keeps the transactionId index in step; call after storing an event. */
  indexEvent(e: EventRecord): void {
    if (typeof e.props.transactionId === 'string') this.transactionIndex.set(`${e.userId}\0${e.props.transactionId}`, e.id);
  }

  /** The event a mailbox already has with this transactionId (Outlook's idempotency key); O(1). */
  eventByTransaction(userId: string, transactionId: string): EventRecord | undefined {
    const key = `${userId}\0${transactionId}`;
    const id = this.transactionIndex.get(key);
    const e = id === undefined ? undefined : this.events.get(id);
    if (e && e.userId === userId && e.props.transactionId === transactionId) return e;
    if (id !== undefined) this.transactionIndex.delete(key);
    return undefined;
  }

  // ---- membership (logged for members@delta) ----
  addMember(g: GroupRecord, memberId: string, role: 'members' | 'owners'): void {
    const set = this.memberSet(g[role]);
    if (!set.has(memberId)) {
      g[role].push(memberId);
      set.add(memberId);
    }
    this.memberLog.push({ seq: this.nextSeq(), groupId: g.id, memberId, role, op: 'add' });
    this.onChange();
  }

  removeMember(g: GroupRecord, memberId: string, role: 'members' | 'owners'): void {
    g[role] = g[role].filter((m) => m !== memberId);
    this.memberLog.push({ seq: this.nextSeq(), groupId: g.id, memberId, role, op: 'remove' });
    this.onChange();
  }

  /** Drops a directory object from every group (hard delete). Soft-deleted users keep memberships, as in Entra. */
  forgetMember(id: string): void {
    for (const g of this.groups.values()) {
      for (const role of ['members', 'owners'] as const) if (this.isMember(g, id, role)) this.removeMember(g, id, role);
      if (g.education) g.education.teachers = g.education.teachers.filter((t) => t !== id);
    }
  }

  hardDelete(type: 'user' | 'group', id: string): void {
    if (type === 'user') {
      const u = this.users.get(id);
      if (u) this.upnIndex.delete(String(u.props.userPrincipalName).toLowerCase());
      this.users.delete(id);
    }
    else {
      this.groups.delete(id);
      this.teams.delete(id);
      this.mail.dirty.add(id);
    }
    this.forgetMember(id);
    this.tombstones.push({ id, type, seq: this.nextSeq() });
    this.onChange();
  }

  /** Entra purges deletedItems after 30 days; called now and then by the server. */
  purgeDeleted(now: number, retentionMs = 30 * 24 * 3600 * 1000): number {
    let n = 0;
    for (const u of [...this.users.values()]) if (u.deletedAt !== undefined && now - u.deletedAt > retentionMs) (this.hardDelete('user', u.id), n++);
    for (const g of [...this.groups.values()]) if (g.deletedAt !== undefined && now - g.deletedAt > retentionMs) (this.hardDelete('group', g.id), n++);
    return n;
  }

  // ---- seeding helpers for tests; they skip Graph's validation on purpose ----
  addUser(seed: SeedUser): UserRecord {
    const { id = randomUUID(), ...props } = seed;
    const local = seed.userPrincipalName.split('@')[0];
    const rec: UserRecord = {
      id,
      createdAt: 0,
      v: this.nextSeq(),
      props: { accountEnabled: true, displayName: local, mailNickname: local, ...props },
    };
    this.users.set(id, rec);
    this.indexUpn(rec);
    this.onChange();
    return rec;
  }

  /** An account rollcall must leave alone: no MIS anchor, e.g. an administrator or a guest. */
  addUnmanagedUser(seed: Partial<SeedUser> = {}): UserRecord {
    return this.addUser({ userPrincipalName: `admin${this.users.size + 1}@${this.domains[0]}`, displayName: 'Administrator', ...seed });
  }

  addGroup(seed: SeedGroup): GroupRecord {
    const { id = randomUUID(), members = [], owners = [], ...props } = seed;
    const unified = Array.isArray(props.groupTypes) && props.groupTypes.includes('Unified');
    const rec: GroupRecord = {
      id,
      createdAt: 0,
      v: this.nextSeq(),
      props: {
        mailNickname: seed.displayName.replace(/[^A-Za-z0-9]/g, ''),
        groupTypes: [],
        mailEnabled: unified,
        securityEnabled: !unified,
        ...props,
      },
      members: [...members],
      owners: [...owners],
    };
    this.groups.set(id, rec);
    this.onChange();
    return rec;
  }

  /** An education class (a Unified group with class properties); teachers are also owners, as in Graph. */
  addClass(seed: SeedGroup & { externalId?: string; teachers?: string[] }): GroupRecord {
    const { teachers = [], externalId, classCode, externalName, externalSource = 'sis', description, ...rest } = seed;
    const g = this.addGroup({ ...rest, description, groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, owners: [...(rest.owners ?? []), ...teachers] });
    g.education = {
      displayName: g.props.displayName,
      mailNickname: g.props.mailNickname,
      description: description ?? null,
      externalId: externalId ?? null,
      classCode: classCode ?? null,
      externalName: externalName ?? null,
      externalSource,
      teachers: [...teachers],
    };
    return g;
  }

  /** A provisioned team on an existing group (ready at once). */
  addTeam(groupId: string, opts: { isArchived?: boolean } = {}): TeamRecord {
    if (!this.groups.has(groupId)) throw new Error(`addTeam: no group ${groupId}`);
    const g = this.groups.get(groupId)!;
    const rec: TeamRecord = { id: groupId, createdAt: 0, readyAt: 0, isArchived: opts.isArchived ?? false, props: { specialization: g.education ? 'educationClass' : 'none' } };
    this.teams.set(groupId, rec);
    this.touch(g);
    return rec;
  }

  addEvent(userId: string, props: Props, ext: { id: string; value: string }[] = []): EventRecord {
    const rec: EventRecord = { id: `AAMkAD${randomUUID().replace(/-/g, '')}`, userId, createdAt: 0, props, ext };
    this.events.set(rec.id, rec);
    this.indexEvent(rec);
    this.onChange();
    return rec;
  }

  // ---- persistence ----
  toJSON(): StateFile {
    return {
      version: 1,
      tenantId: this.tenantId,
      domains: this.domains,
      education: this.education,
      seq: this.seq,
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      teams: [...this.teams.values()],
      operations: [...this.operations.values()],
      events: [...this.events.values()],
      outbox: this.outbox,
      memberLog: this.memberLog,
      tombstones: this.tombstones,
      skus: this.skus,
    };
  }

  static fromJSON(data: unknown, opts: { domains?: string[]; education?: boolean } = {}): EmulatorState {
    const f = data as Partial<StateFile>;
    if (!f || typeof f !== 'object' || f.version !== 1) throw new Error('not a rollcall emulator state file (version 1)');
    // A hand-edited file should fail here with a clear message, not later as a 500 from some handler.
    const records = (name: string, list: unknown, needsProps: boolean) => {
      if (list === undefined) return;
      if (!Array.isArray(list)) throw new Error(`state file: ${name} must be an array`);
      list.forEach((r, i) => {
        const rec = r as { id?: unknown; props?: unknown };
        if (!rec || typeof rec.id !== 'string' || (needsProps && (typeof rec.props !== 'object' || rec.props === null))) {
          throw new Error(`state file: ${name}[${i}] needs a string id${needsProps ? ' and a props object' : ''}`);
        }
      });
    };
    records('users', f.users, true);
    records('groups', f.groups, true);
    records('teams', f.teams, true);
    records('events', f.events, true);
    records('operations', f.operations, false);
    for (const g of f.groups ?? []) {
      if (!Array.isArray(g.members) || !Array.isArray(g.owners)) throw new Error(`state file: group ${g.id} needs members and owners arrays`);
    }
    // Options given at start win over the file, so `--domain` can add a domain to an existing tenant.
    const s = new EmulatorState({ domains: opts.domains ?? f.domains, education: opts.education ?? f.education });
    s.tenantId = f.tenantId ?? s.tenantId;
    s.seq = f.seq ?? 0;
    for (const u of f.users ?? []) {
      s.users.set(u.id, u);
      s.indexUpn(u);
    }
    for (const g of f.groups ?? []) s.groups.set(g.id, g);
    for (const t of f.teams ?? []) s.teams.set(t.id, t);
    for (const o of f.operations ?? []) s.operations.set(o.id, o);
    for (const e of f.events ?? []) {
      s.events.set(e.id, e);
      s.indexEvent(e);
    }
    s.outbox = f.outbox ?? [];
    s.memberLog = f.memberLog ?? [];
    s.tombstones = f.tombstones ?? [];
    s.skus = f.skus ?? [];
    return s;
  }
}
