import { resolveConfig } from '../config/load.js';
import { describe, expect, it } from 'vitest';
import type { Group, Lesson, Membership } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import { renderPlan } from '../render/index.js';
import { config, playAll as play, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
const people = [student('1001', 'Jack', 'Cole', { yearGroup: '8', registrationGroup: '8A' }), student('1002', 'Amy', 'Poe', { yearGroup: '8' }), staff('31', 'Ann', 'Lee')];
const groups: Group[] = [
  { id: 'group:year:8', kind: 'year', misId: 'year:8', name: 'Year 8' },
  { id: 'group:455', kind: 'teaching', misId: '455', name: '8A/Ma1', subject: 'Maths' },
  { id: 'group:456', kind: 'teaching', misId: '456', name: 'Study Period 3' },
];
const memberships: Membership[] = [
  { group: 'group:year:8', person: 'student:1001', role: 'member' },
  { group: 'group:year:8', person: 'student:1002', role: 'member' },
  { group: 'group:year:8', person: 'staff:31', role: 'tutor' },
  { group: 'group:455', person: 'student:1001', role: 'member' },
  { group: 'group:455', person: 'staff:31', role: 'teacher' },
];
const lessons: Lesson[] = [
  { id: 'lesson:455@2026-03-03T09:00:00Z', group: 'group:455', staff: ['staff:31'], room: 'M2', start: '2026-03-03T09:00:00Z', end: '2026-03-03T10:00:00Z' },
  { id: 'lesson:455@2026-03-05T09:00:00Z', group: 'group:455', staff: ['staff:31'], room: 'M2', start: '2026-03-05T09:00:00Z', end: '2026-03-05T10:00:00Z' },
  { id: 'lesson:455@2026-05-05T09:00:00Z', group: 'group:455', staff: ['staff:31'], room: 'M2', start: '2026-05-05T09:00:00Z', end: '2026-05-05T10:00:00Z' },
];
const school = () => ({ ...roster(people), groups, memberships, lessons });
const cfg = config({}, {
  tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true },
  groups: { from: ['yearGroups'], type: 'microsoft365', displayName: '{name}', staffAs: 'owners' },
  classes: { from: ['teachingGroups'], displayName: '{academicYear}-{name}', team: true, onEnd: 'archive', exclude: ['Study Period*'] },
  calendar: { enabled: true, windowDays: 30, users: 'all', reminderMinutes: 10 },
  school: { name: 'Test School', key: 'ts', academicYearStart: '09-01', timeZone: 'Europe/London' },
});
const edu = (s: Snapshot): Snapshot => ({ ...s, education: true });
const plan = (over: Partial<PlanInput> = {}) => buildPlan({ config: cfg, roster: school(), snapshot: edu(snapshot()), manualMatches: [], asOf, now: '', ...over });

describe('groups, classes and calendars on a first sync', () => {
  const p = plan();
  it('creates a Microsoft 365 group per year group with staff as owners and students as members', () => {
    const g = p.changes.find((c) => c.key === 'group:ts-year-year-8')!;
    expect(g.after).toMatchObject({ displayName: 'Year 8', mailNickname: 'ts-year-year-8', groupTypes: ['Unified'], mailEnabled: true });
    const mine = p.changes.filter((c) => c.group?.createdBy === 'group:ts-year-year-8');
    expect(mine.map((c) => [c.action, c.subject.person]).sort()).toEqual([['add-member', 'student:1001'], ['add-member', 'student:1002'], ['add-owner', 'staff:31']]);
  });

  it('creates an education class with the academic-year prefix, teachers as teachers and members, and its team', () => {
    const c = p.changes.find((x) => x.key === 'class:group:455')!;
    expect(c.after).toMatchObject({ displayName: '2025-26-8A/Ma1', externalId: '455', externalSource: 'sis' });
    const ofClass = p.changes.filter((x) => x.group?.createdBy === 'class:group:455');
    expect(ofClass.map((x) => [x.action, x.subject.person, x.via]).sort()).toEqual([['add-member', 'staff:31', undefined], ['add-member', 'student:1001', undefined], ['add-owner', 'staff:31', 'class']]);
    expect(p.changes.find((x) => x.kind === 'team')).toMatchObject({ action: 'create', target: { createdBy: 'class:group:455' } });
    expect(p.changes.some((x) => x.key.includes('group:456'))).toBe(false);
  });

  it('writes the lessons of the window (not beyond) into each attendee\'s calendar, tagged', () => {
    const events = p.changes.filter((c) => c.kind === 'event');
    expect(events.map((e) => e.key).sort()).toEqual([
      'event:staff:31:lesson:455@2026-03-03T09:00:00Z', 'event:staff:31:lesson:455@2026-03-05T09:00:00Z',
      'event:student:1001:lesson:455@2026-03-03T09:00:00Z', 'event:student:1001:lesson:455@2026-03-05T09:00:00Z',
    ]);
    expect(events[0].after).toMatchObject({ subject: '8A/Ma1', start: { dateTime: '2026-03-03T09:00:00', timeZone: 'Europe/London' }, location: { displayName: 'M2' }, reminderMinutesBeforeStart: 10 });
    expect((events[0].after as { singleValueExtendedProperties: { value: string }[] }).singleValueExtendedProperties[0].value).toBe('ts:lesson:455@2026-03-03T09:00:00Z');
    expect(events[0].after?.transactionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('orders classes before teams and teams after their teachers', () => {
    const idx = (pred: (c: (typeof p.changes)[number]) => boolean) => p.changes.findIndex(pred);
    expect(idx((c) => c.kind === 'class')).toBeLessThan(idx((c) => c.group?.createdBy === 'class:group:455'));
    expect(idx((c) => c.via === 'class' && c.action === 'add-owner')).toBeLessThan(idx((c) => c.kind === 'team'));
  });
});

describe('the next runs', () => {
  const first = plan();
  const tenant = play(first, edu(snapshot()));

  it('plans nothing after apply', () => {
    expect(plan({ snapshot: tenant }).changes).toEqual([]);
  });

  it('updates exactly one event when one lesson changes room', () => {
    const moved = { ...school(), lessons: lessons.map((l, i) => (i === 1 ? { ...l, room: 'M9' } : l)) };
    const p = plan({ roster: moved, snapshot: tenant });
    expect(p.changes.map((c) => [c.action, c.kind])).toEqual([['update', 'event'], ['update', 'event']]);
    expect(p.changes.map((c) => c.subject.person).sort()).toEqual(['staff:31', 'student:1001']);
    expect(p.changes[0].after).toEqual({ location: { displayName: 'M9' } });
  });

  it('deletes the events of a cancelled lesson and archives the team of a class that ended', () => {
    const ended = { ...school(), groups: groups.map((g) => (g.id === 'group:455' ? { ...g, endDate: '2026-02-28' } : g)), lessons: [] };
    const p = plan({ roster: ended, snapshot: tenant });
    expect(p.changes.filter((c) => c.kind === 'event').map((c) => c.action)).toEqual(['delete', 'delete', 'delete', 'delete']);
    expect(p.changes.filter((c) => c.kind === 'team')).toEqual([expect.objectContaining({ action: 'archive', destructive: true })]);
    expect(p.changes.some((c) => c.kind === 'class' && c.action === 'delete')).toBe(false);
  });

  it('names the pupil who leaves a class or group, not the class twice', () => {
    const moved = { ...school(), memberships: memberships.filter((m) => m.person !== 'student:1001' || m.group === 'group:year:8').concat() };
    const p = plan({ roster: moved, snapshot: tenant });
    const removals = p.changes.filter((c) => c.action === 'remove-member');
    expect(removals.map((c) => [c.key, c.subject.person, c.subject.displayName, c.subject.initials])).toEqual([
      ['student:class:group:455:student:1001', 'student:1001', 'Jack Cole', 'J.C.'],
    ]);
    const text = renderPlan(p, { format: 'text', personalData: 'full' });
    expect(text).toContain('remove-member membership Jack Cole (student:1001) → 2025-26-8A/Ma1');
    expect(renderPlan(p, { format: 'text', personalData: 'masked' })).toContain('remove-member membership student:1001 (J.C.) → 2025-26-8A/Ma1');
  });

  it('renames a class that carries over into the next academic year and keeps its team', () => {
    const p = plan({ snapshot: tenant, asOf: '2026-09-07' });
    const cls = p.changes.filter((c) => c.kind === 'class');
    expect(cls).toEqual([expect.objectContaining({ action: 'update', after: { displayName: '2026-27-8A/Ma1' } })]);
    expect(p.changes.some((c) => c.kind === 'team')).toBe(false);
  });

  it('never touches events that are not rollcall\'s', () => {
    const someone = tenant.users[0].id;
    const withForeign = { ...tenant, events: [...tenant.events, { id: 'x', userId: someone, tag: 'other:thing', subject: 'Dentist', start: { dateTime: '2026-03-04T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-04T11:00:00', timeZone: 'UTC' } }] };
    expect(plan({ snapshot: withForeign }).changes).toEqual([]);
  });
});

describe('a class without a teacher', () => {
  it('gets no team until it has one (Graph refuses a team without an owner), and the plan says so', () => {
    const noTeacher = { ...school(), memberships: memberships.filter((m) => !(m.group === 'group:455' && m.role === 'teacher')) };
    const p = plan({ roster: noTeacher });
    expect(p.changes.some((c) => c.kind === 'team')).toBe(false);
    expect(p.changes.some((c) => c.kind === 'class' && c.action === 'create')).toBe(true);
    expect(p.warnings).toContain('class "2025-26-8A/Ma1" has no teacher with an account: its team waits until it has one');
  });
});

describe('a tenant that is not an Education tenant', () => {
  it('blocks classes with a clear reason instead of making half a class', () => {
    const p = plan({ snapshot: snapshot() });
    expect(p.blocked).toEqual([expect.objectContaining({ rule: 'classes', message: expect.stringContaining('Education tenant') })]);
    expect(p.changes.some((c) => c.kind === 'class' || c.kind === 'team')).toBe(false);
  });
});

describe('groups.map and extraMembers', () => {
  it('feeds an existing group without touching its settings, and adds included accounts', () => {
    const mapped = config({}, { ...cfg, groups: { from: ['yearGroups'], displayName: '{name}', map: { 'Year 8': 'year8@t.example' }, extraMembers: { 'Year 8': { include: ['exams@t.example'], exclude: [] } } } });
    const existing = { id: 'gy8', displayName: 'Y8 (hand made)', mailNickname: 'year8', mail: 'year8@t.example', groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true, members: ['someone-else'], owners: [] };
    const officer = { id: 'ex', userPrincipalName: 'exams@t.example', displayName: 'Exams', accountEnabled: true };
    const p = buildPlan({ config: mapped, roster: school(), snapshot: edu(snapshot([officer], [existing])), manualMatches: [], asOf, now: '' });
    expect(p.changes.some((c) => c.kind === 'group' && c.target?.id === 'gy8')).toBe(false);
    const adds = p.changes.filter((c) => c.group?.id === 'gy8');
    expect(adds.map((c) => c.action)).toEqual(['add-member', 'add-member', 'add-member']);
    expect(adds.some((c) => c.member?.id === 'ex')).toBe(true);
    expect(p.changes.some((c) => c.action === 'add-owner' && c.group?.id === 'gy8')).toBe(false);
    expect(p.warnings).toContain('1 member(s) of "Year 8" are not managed by rollcall and were left alone');
  });
});

describe('classes.matches ("Match from CSV")', () => {
  it('adopts an existing class by its address instead of creating another, and sets its externalId', () => {
    const existing = { id: 'old-class', displayName: 'Maths 8A (hand made)', mailNickname: 'maths8a', externalId: null, teachers: [], members: [] };
    const s = { ...edu(snapshot()), classes: [existing] };
    const p = plan({ snapshot: s, classMatches: [{ misGroupId: 'group:455', classMail: 'maths8a@t.example', line: 2 }] });
    expect(p.changes.filter((c) => c.kind === 'class')).toEqual([expect.objectContaining({ action: 'update', target: { id: 'old-class' }, after: { externalId: '455' } })]);
    expect(p.changes.filter((c) => c.group?.id === 'old-class').length).toBeGreaterThan(0);
  });
});

describe('groups the MIS no longer has', () => {
  it('are deleted with groups.onEnd: delete (a destructive change, within safety limits); groups rollcall does not own are left alone', () => {
    const first = plan();
    const tenant = play(first, edu(snapshot()));
    const foreign = { id: 'f1', displayName: 'Staff Room', mailNickname: 'staffroom', groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true, members: [], owners: [] };
    const noYear8 = { ...school(), groups: groups.filter((g) => g.id !== 'group:year:8'), memberships: memberships.filter((m) => m.group !== 'group:year:8') };
    const p = plan({ roster: noYear8, snapshot: { ...tenant, groups: [...tenant.groups, foreign] }, config: resolveConfig({ ...cfg, groups: { ...cfg.groups, onEnd: 'delete' }, safety: { maxDeletions: { percent: 50 } } }) });
    const deletes = p.changes.filter((c) => c.kind === 'group' && c.action === 'delete');
    expect(deletes).toEqual([expect.objectContaining({ destructive: true, subject: { name: 'Year 8' } })]);
    expect(p.blocked).toEqual([]);
    const strict = plan({ roster: noYear8, snapshot: tenant, config: resolveConfig({ ...cfg, groups: { ...cfg.groups, onEnd: 'delete' }, safety: { maxDeletions: { count: 0 } } }) });
    expect(strict.blocked.map((b) => b.rule)).toContain('safety.maxDeletions');
  });
});
