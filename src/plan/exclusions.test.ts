// Issue 12.3: an excluded person's account and memberships are left exactly as they are.
import { describe, expect, it } from 'vitest';
import type { Group, Lesson, Membership } from '../roster/types.js';
import type { Snapshot, TenantEvent } from '../tenant/types.js';
import { buildPlan } from './build.js';
import { config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';
import type { Change, Plan } from './types.js';

const asOf = '2026-03-02';
const people = [student('1001', 'Jack', 'Cole', { yearGroup: '8' }), student('1002', 'Amy', 'Poe', { yearGroup: '8' }), staff('31', 'Ann', 'Lee')];
const groups: Group[] = [
  { id: 'group:year:8', kind: 'year', misId: 'year:8', name: 'Year 8' },
  { id: 'group:455', kind: 'teaching', misId: '455', name: '8A/Ma1', subject: 'Maths' },
];
const memberships: Membership[] = [
  { group: 'group:year:8', person: 'student:1001', role: 'member' },
  { group: 'group:year:8', person: 'student:1002', role: 'member' },
  { group: 'group:455', person: 'student:1001', role: 'member' },
  { group: 'group:455', person: 'student:1002', role: 'member' },
  { group: 'group:455', person: 'staff:31', role: 'teacher' },
];
const lessons: Lesson[] = [
  { id: 'lesson:455@2026-03-03T09:00:00Z', group: 'group:455', staff: ['staff:31'], room: 'M2', start: '2026-03-03T09:00:00Z', end: '2026-03-03T10:00:00Z' },
];
const school = { ...roster(people), groups, memberships, lessons };
const withExclusions = (misIds: string[]) => config({ exclusions: { misIds, userPrincipalNames: [], addresses: [] } }, {
  tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true },
  groups: { from: ['yearGroups'], type: 'microsoft365', displayName: '{name}', staffAs: 'owners' },
  classes: { from: ['teachingGroups'], displayName: '{academicYear}-{name}', team: true, onEnd: 'archive' },
  calendar: { enabled: true, windowDays: 30, users: 'all' },
  school: { name: 'Test School', key: 'ts', academicYearStart: '09-01', timeZone: 'Europe/London' },
});
const plan = (misIds: string[], snap: Snapshot) => buildPlan({ config: withExclusions(misIds), roster: school, snapshot: snap, manualMatches: [], asOf, now: '' });

/** The tenant as a first sync leaves it: every object the plan creates, with the ids of their create keys. */
function synced(p: Plan): Snapshot {
  const s: Snapshot = { ...snapshot(), education: true };
  const id = (r?: { id?: string; createdBy?: string }) => r?.id ?? r?.createdBy ?? '';
  for (const c of p.changes) {
    const a = (c.after ?? {}) as Record<string, unknown>;
    if (c.kind === 'user' && c.action === 'create') s.users.push({ id: c.key, accountEnabled: true, ...a } as never);
    else if (c.kind === 'group' && c.action === 'create') s.groups.push({ id: c.key, members: [], owners: [], ...a } as never);
    else if (c.kind === 'class' && c.action === 'create') s.classes.push({ id: c.key, displayName: String(a.displayName), mailNickname: String(a.mailNickname), externalId: String(a.externalId), teachers: [], members: [] });
    else if (c.kind === 'team' && c.action === 'create') s.teams.push({ id: id(c.target), isArchived: false });
    else if (c.kind === 'event' && c.action === 'create') {
      const tag = (a.singleValueExtendedProperties as { value: string }[])[0].value;
      s.events.push({ id: `e:${c.key}`, userId: id(c.member), tag, subject: String(a.subject), start: a.start, end: a.end, location: 'M2', reminderMinutes: null } as TenantEvent);
    } else if (c.action === 'add-member' || c.action === 'add-owner') {
      const into = s.classes.find((k) => k.id === id(c.group)) ?? s.groups.find((g) => g.id === id(c.group))!;
      const list = c.action === 'add-owner' ? ('teachers' in into ? into.teachers : into.owners) : into.members;
      list.push(id(c.member));
    }
  }
  return s;
}

const about = (changes: Change[], accountId: string, person: string) =>
  changes.filter((c) => c.subject.person === person || c.member?.id === accountId || c.target?.id === accountId || c.key.includes(accountId));

describe('an excluded pupil', () => {
  const first = plan([], { ...snapshot(), education: true });
  const tenant = synced(first);
  const jack = tenant.users.find((u) => u.employeeId === 'ts:s1001')!;

  it('is in a year group, a class, its security groups and has calendar events after the first sync (the set-up)', () => {
    expect(tenant.classes[0].members).toContain(jack.id);
    expect(tenant.groups.filter((g) => g.members.includes(jack.id)).length).toBeGreaterThanOrEqual(3);
    expect(plan([], tenant).changes).toEqual([]);
  });

  it('keeps the account, class memberships, groups, security groups and calendar events exactly as they are', () => {
    const p = plan(['student:1001'], tenant);
    expect(about(p.changes, jack.id, 'student:1001')).toEqual([]);
    expect(p.changes).toEqual([]);
    expect(p.unsynced).toEqual([expect.objectContaining({ person: 'student:1001', reason: 'excluded' })]);
  });

  it('keeps their events even when the lesson leaves the timetable (rollcall does not look at their calendar)', () => {
    const jackEvents = tenant.events.filter((e) => e.userId === jack.id);
    const p = buildPlan({ config: withExclusions(['student:1001']), roster: { ...school, lessons: [] }, snapshot: tenant, manualMatches: [], asOf, now: '' });
    const deleted = p.changes.filter((c) => c.kind === 'event' && c.action === 'delete').map((c) => c.target?.id);
    expect(deleted.length).toBeGreaterThan(0);
    for (const e of jackEvents) expect(deleted).not.toContain(e.id);
  });
});
