// Small synthetic rosters and snapshots for planner tests. Names are invented.
import { resolveConfig, type Config, type RawConfig } from '../../src/config/load.js';
import type { Person, Roster } from '../../src/roster/types.js';
import type { EducationUsersRead, LicencesRead, Snapshot, TenantGroup, TenantUser } from '../../src/tenant/types.js';
import { educationUserPatch } from '../../src/plan/education-users.js';
import type { Plan } from '../../src/plan/types.js';

export function student(misId: string, first: string, last: string, extra: Partial<Person> = {}): Person {
  return { id: `student:${misId}`, kind: 'student', misId, legal: { first, last }, preferred: {}, startDate: '2024-09-04', yearGroup: '8', ...extra };
}

export function staff(misId: string, first: string, last: string, extra: Partial<Person> = {}): Person {
  return { id: `staff:${misId}`, kind: 'staff', misId, legal: { first, last }, preferred: {}, startDate: '2015-09-01', ...extra };
}

export function roster(people: Person[]): Roster {
  return { source: { kind: 'csv', asOf: '2026-03-02' }, people, groups: [], memberships: [], lessons: [], warnings: [] };
}

export function snapshot(users: TenantUser[] = [], groups: TenantGroup[] = []): Snapshot {
  return { readAt: '2026-03-02T06:00:00Z', domains: ['t.example', 'students.t.example'], education: false, users, groups, classes: [], teams: [], events: [] };
}

/** A configuration as a school might write it, resolved as `loadConfig` resolves it (every default applied). */
export function config(overrides: Partial<NonNullable<RawConfig['users']>> = {}, rest: Partial<RawConfig> = {}): Config {
  return resolveConfig({
    version: 1,
    school: { name: 'Test School', key: 'ts', academicYearStart: '09-01' },
    source: { csv: { dir: '/tmp/x' } },
    tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'] },
    users: {
      mode: 'create',
      anchor: 'employeeId',
      match: ['anchor', 'workEmail', 'manual'],
      students: { userPrincipalName: '{first}{last:1}@students.t.example', securityGroups: ['All Students', 'Students Y{yearGroup}'], usageLocation: 'GB' },
      staff: { userPrincipalName: '{first:1}{last}@t.example', securityGroups: ['All Staff'] },
      exclusions: { misIds: [], userPrincipalNames: [], addresses: ['admin@*'] },
      leavers: { action: 'suspend', graceDays: 7, deleteAfterDays: 90 },
      ...overrides,
    },
    safety: { maxSuspensions: { percent: 50 }, maxDeletions: { percent: 50 }, maxMembershipRemovals: { percent: 50 }, maxSourceDrop: { percent: 10 } },
    ...rest,
  } as RawConfig);
}

let nextId = 1;
/** Plays a plan onto a snapshot as a tenant would, so a test can plan again and expect nothing to do. */
export function applyToSnapshot(plan: Plan, snap: Snapshot): Snapshot {
  const users = snap.users.map((u) => ({ ...u }));
  const groups = snap.groups.map((g) => ({ ...g, members: [...g.members] }));
  const created = new Map<string, string>();
  const idOf = (r: { id?: string; createdBy?: string } | undefined) => r?.id ?? created.get(r?.createdBy ?? '')!;
  for (const c of plan.changes) {
    const after = (c.after ?? {}) as Record<string, unknown>;
    if (c.kind === 'user' && c.action === 'create') {
      const id = `u-${nextId++}`;
      created.set(c.key, id);
      users.push({ id, accountEnabled: true, ...(snap.licences ? { assignedLicenses: [] } : {}), ...(after as object) } as unknown as TenantUser);
    } else if (c.kind === 'group' && c.action === 'create') {
      const id = `g-${nextId++}`;
      created.set(c.key, id);
      groups.push({ id, members: [], owners: [], ...(after as object) } as unknown as TenantGroup);
    } else if (c.kind === 'user' && c.action === 'delete') {
      users.splice(users.findIndex((u) => u.id === c.target?.id), 1);
    } else if (c.kind === 'licence') {
      // assignLicense as Graph plays it: a held SKU gets its new disabled plans, a removed one goes.
      const u = users.find((x) => x.id === idOf(c.target))!;
      const skuId = String((c.action === 'unassign' ? c.before : after)?.skuId);
      const rest = (u.assignedLicenses ?? []).filter((l) => l.skuId !== skuId);
      u.assignedLicenses = c.action === 'unassign' ? rest : [...rest, { skuId, disabledPlans: [...(after.disabledPlanIds as string[])] }];
    } else if (c.kind === 'group' && c.action === 'delete') {
      groups.splice(groups.findIndex((g) => g.id === c.target?.id), 1);
    } else if (c.kind === 'user') {
      Object.assign(users.find((u) => u.id === c.target?.id)!, after);
    } else if (c.kind === 'group' && (c.action === 'update' || c.action === 'archive')) {
      Object.assign(groups.find((g) => g.id === c.target?.id)!, after);
    } else if (c.action === 'add-member' || c.action === 'add-owner') {
      groups.find((g) => g.id === idOf(c.group))![c.action === 'add-owner' ? 'owners' : 'members'].push(idOf(c.member));
    } else if (c.action === 'remove-member' || c.action === 'remove-owner') {
      const g = groups.find((x) => x.id === idOf(c.group))!;
      const list = c.action === 'remove-owner' ? 'owners' : 'members';
      g[list] = g[list].filter((m) => m !== idOf(c.member));
    }
  }
  return {
    ...snap, users, groups,
    ...(snap.educationUsers ? { educationUsers: playEducationUsers(plan, snap.educationUsers, created) } : {}),
    ...(snap.licences ? { licences: consumedBy(users, snap.licences) } : {}),
  };
}

/** The SKUs with their consumed units counted again from the accounts, as Graph counts them. */
function consumedBy(users: TenantUser[], read: LicencesRead): LicencesRead {
  if ('unread' in read) return read;
  return { skus: read.skus.map((s) => ({ ...s, consumed: users.filter((u) => u.assignedLicenses?.some((l) => l.skuId === s.skuId)).length })) };
}

/** Education profiles as Graph keeps them after the plan's PATCHes (student and teacher merged property by property). */
function playEducationUsers(plan: Plan, read: EducationUsersRead, created: Map<string, string>): EducationUsersRead {
  if ('unread' in read) return read;
  const profiles = new Map(read.profiles.map((p) => [p.id, { ...p, student: p.student && { ...p.student }, teacher: p.teacher && { ...p.teacher } }]));
  for (const c of plan.changes) {
    if (c.kind !== 'educationUser') continue;
    const id = c.target?.id ?? created.get(c.target?.createdBy ?? '')!;
    const p = profiles.get(id) ?? { id, primaryRole: 'none', student: null, teacher: null };
    const body = educationUserPatch(c.after ?? {}) as { primaryRole?: string; student?: Record<string, string>; teacher?: Record<string, string> };
    if (body.primaryRole) p.primaryRole = body.primaryRole;
    if (body.student) p.student = { externalId: null, studentNumber: null, grade: null, graduationYear: null, ...p.student, ...body.student };
    if (body.teacher) p.teacher = { externalId: null, teacherNumber: null, ...p.teacher, ...body.teacher };
    profiles.set(id, p);
  }
  return { profiles: [...profiles.values()] };
}

/** Plays class, team and event changes too, on top of the kit's users and groups. */
export function playAll(p: Plan, s: Snapshot): Snapshot {
  const classKeys = new Set(p.changes.filter((c) => c.kind === 'class').map((c) => c.key));
  const ofClass = (c: (typeof p.changes)[number]) => c.via === 'class' || (c.group?.createdBy !== undefined && classKeys.has(c.group.createdBy));
  const out = applyToSnapshot({ ...p, changes: p.changes.filter((c) => !['class', 'team', 'event'].includes(c.kind) && !ofClass(c)) }, s);
  const ids = new Map<string, string>();
  for (const c of p.changes.filter((x) => x.kind === 'user' && x.action === 'create')) {
    ids.set(c.key, out.users.find((u) => u.userPrincipalName === c.after?.userPrincipalName)!.id);
  }
  const idOf = (r?: { id?: string; createdBy?: string }) => r?.id ?? ids.get(r?.createdBy ?? '')!;
  let n = 0;
  for (const c of p.changes) {
    if (c.kind === 'class' && c.action === 'create') {
      const id = `c-${++n}`;
      ids.set(c.key, id);
      out.classes.push({ id, displayName: String(c.after!.displayName), mailNickname: String(c.after!.mailNickname), externalId: String(c.after!.externalId), teachers: [], members: [] });
      // A class is a Microsoft 365 group too, and the bulk group list shows it as one.
      out.groups.push({ id, displayName: String(c.after!.displayName), mailNickname: String(c.after!.mailNickname), description: String(c.after!.description ?? ''), groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true, members: [], owners: [] });
    } else if (c.kind === 'class' && c.action === 'update') {
      Object.assign(out.classes.find((x) => x.id === c.target!.id)!, c.after);
    } else if (c.kind === 'membership' && c.action.startsWith('add') && out.classes.some((x) => x.id === idOf(c.group))) {
      const k = out.classes.find((x) => x.id === idOf(c.group))!;
      (c.action === 'add-owner' ? k.teachers : k.members).push(idOf(c.member));
    } else if (c.kind === 'team' && c.action === 'create') {
      out.teams.push({ id: idOf(c.target), isArchived: false });
    } else if (c.kind === 'team') {
      out.teams.find((t) => t.id === c.target!.id)!.isArchived = c.action === 'archive';
    } else if (c.kind === 'event' && c.action === 'create') {
      const a = c.after as { subject: string; start: { dateTime: string; timeZone: string }; end: { dateTime: string; timeZone: string }; location: { displayName: string }; reminderMinutesBeforeStart?: number; singleValueExtendedProperties: { value: string }[] };
      out.events.push({ id: `e-${++n}`, userId: idOf(c.member), tag: a.singleValueExtendedProperties[0].value, subject: a.subject, start: a.start, end: a.end, location: a.location.displayName, reminderMinutes: a.reminderMinutesBeforeStart });
    } else if (c.kind === 'event' && c.action === 'update') {
      const e = out.events.find((x) => x.id === c.target!.id)!;
      const a = c.after as Record<string, unknown>;
      Object.assign(e, { ...a, ...(a.location ? { location: (a.location as { displayName: string }).displayName } : {}) });
    } else if (c.kind === 'event' && c.action === 'delete') {
      out.events = out.events.filter((x) => x.id !== c.target!.id);
    }
  }
  return out;
}
