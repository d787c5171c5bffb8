// `apply --only`: a selection is the selected people's, groups' or classes' changes plus the creates they need,
// nothing else; its safety limits, summary and checksum are its own.
import { describe, expect, it } from 'vitest';
import { SelectionError } from '../errors.js';
import type { Group, Lesson, Membership } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import { planChecksum } from './checksum.js';
import { parseSelectors, selectChanges } from './select.js';
import type { Change, Plan } from './types.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
const people = [
  student('1001', 'Jack', 'Cole', { yearGroup: '8' }), student('1002', 'Amy', 'Poe', { yearGroup: '8' }),
  student('1004', 'Ravi', 'Shah', { yearGroup: '8' }), staff('31', 'Ann', 'Lee'),
];
const groups: Group[] = [
  { id: 'group:year:8', kind: 'year', misId: 'year:8', name: 'Year 8' },
  { id: 'group:455', kind: 'teaching', misId: '455', name: '8A/Ma1', subject: 'Maths' },
  { id: 'group:456', kind: 'teaching', misId: '456', name: '8B/Ma1', subject: 'Maths' },
];
const memberships: Membership[] = [
  ...['1001', '1002', '1004'].map((id): Membership => ({ group: 'group:year:8', person: `student:${id}`, role: 'member' })),
  { group: 'group:455', person: 'student:1001', role: 'member' },
  { group: 'group:455', person: 'student:1002', role: 'member' },
  { group: 'group:456', person: 'student:1004', role: 'member' },
  { group: 'group:455', person: 'staff:31', role: 'teacher' },
  { group: 'group:456', person: 'staff:31', role: 'teacher' },
];
const lessons: Lesson[] = [{ id: 'lesson:455@2026-03-03T09:00:00Z', group: 'group:455', staff: ['staff:31'], room: 'M2', start: '2026-03-03T09:00:00Z', end: '2026-03-03T10:00:00Z' }];
const school = { ...roster(people), groups, memberships, lessons };
const limits = { maxDeletions: { percent: 100 }, maxMembershipRemovals: { percent: 100 }, maxEventDeletions: { percent: 100 }, maxSourceDrop: { percent: 100 }, maxSuspensions: { count: 0 } };
const cfg = config({ leavers: { action: 'suspend', graceDays: 0, deleteAfterDays: 90 } }, {
  tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true },
  groups: { from: ['yearGroups'] },
  classes: { from: ['teachingGroups'], team: true },
  calendar: { enabled: true, windowDays: 30 },
  safety: limits,
});
const edu = (s: Snapshot): Snapshot => ({ ...s, education: true });
const first = buildPlan({ config: cfg, roster: school, snapshot: edu(snapshot()), manualMatches: [], asOf, now: '' });
const tenant = edu(playAll(first, edu(snapshot())));

// The next day's MIS: 1003 joins Year 8 and 8A/Ma1; 1002 has left; 1001 moved from 8A/Ma1 to 8B/Ma1.
const next = {
  ...school,
  people: [...people.filter((p) => p.id !== 'student:1002'), student('1003', 'Zoe', 'Hart', { yearGroup: '8' })],
  memberships: [
    ...memberships.filter((m) => m.person !== 'student:1002' && !(m.person === 'student:1001' && m.group === 'group:455')),
    { group: 'group:year:8', person: 'student:1003', role: 'member' },
    { group: 'group:455', person: 'student:1003', role: 'member' },
    { group: 'group:456', person: 'student:1001', role: 'member' },
  ] as Membership[],
};
const plan = (over: Partial<PlanInput> = {}) => buildPlan({ config: cfg, roster: next, snapshot: tenant, manualMatches: [], asOf, now: '', ...over });
const only = (...s: string[]) => plan({ only: parseSelectors(s) });
const about = (p: Plan, person: string) => p.changes.filter((c) => c.subject.person === person || c.key.includes(person));
const keys = (list: Change[]) => list.map((c) => `${c.action} ${c.key}`).sort();

describe('apply --only', () => {
  const whole = plan();

  it('the whole plan has the starter, the leaver and the class move (and is blocked by the suspension)', () => {
    expect(whole.changes.some((c) => c.action === 'suspend' && c.key === 'user:student:1002')).toBe(true);
    expect(whole.changes.some((c) => c.action === 'remove-member' && c.key.includes('class:group:455'))).toBe(true);
    expect(whole.changes.some((c) => c.action === 'add-member' && c.key === 'student:class:group:456:student:1001')).toBe(true);
    expect(whole.blocked.map((b) => b.rule)).toEqual(['safety.maxSuspensions']);
  });

  it('one new pupil: the account, its memberships and its lessons, nothing else; not blocked by the leaver', () => {
    const p = only('student:1003');
    expect(p.changes.length).toBeGreaterThan(3);
    expect(p.changes.every((c) => c.subject.person === 'student:1003' || c.key.includes('student:1003'))).toBe(true);
    expect(keys(p.changes)).toEqual(keys(about(whole, 'student:1003')));
    expect(p.changes[0]).toMatchObject({ action: 'create', kind: 'user', key: 'user:student:1003' });
    expect(p.changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['user', 'membership', 'event']));
    expect(p.blocked).toEqual([]);
    expect(p.summary).toEqual({ user: { create: 1 }, membership: { 'add-member': p.changes.filter((c) => c.kind === 'membership').length }, event: { create: 1 } });
    expect(p.notes.join(' ')).toMatch(/^1 new account/);
  });

  it('the selection has its own checksum, the checksum of exactly its changes', () => {
    const p = only('student:1003');
    expect(p.checksum).not.toBe(whole.checksum);
    expect(p.checksum).toBe(planChecksum(p));
    // The same selection written another way is the same plan.
    expect(only('1003').checksum).toBe(p.checksum);
    expect(only('STUDENT:1003').checksum).toBe(p.checksum);
  });

  it('the safety limits apply to the selection: the leaver alone is blocked as the whole plan was', () => {
    const p = only('student:1002');
    // Removals are keyed by the person their account carries (one key per object), so they are found by the person.
    expect(keys(p.changes)).toEqual([
      'delete event:student:1002:lesson:455@2026-03-03T09:00:00Z', 'remove-member member:group:ts-year-year-8:student:1002',
      'remove-member student:class:group:455:student:1002', 'suspend user:student:1002',
    ].sort());
    expect(p.blocked.map((b) => b.rule)).toEqual(['safety.maxSuspensions']);
  });

  it('the class move of one pupil selects both sides of it (the removal names the pupil, and goes to their account)', () => {
    const p = only('student:1001');
    const account = tenant.users.find((u) => u.userPrincipalName.startsWith('jackc@'))!.id;
    expect(keys(p.changes)).toEqual([
      'add-member student:class:group:456:student:1001', 'delete event:student:1001:lesson:455@2026-03-03T09:00:00Z', 'remove-member student:class:group:455:student:1001',
    ].sort());
    // The removal still goes to the account the tenant has.
    expect(p.changes.find((c) => c.action === 'remove-member')?.member).toEqual({ id: account });
  });

  it('a class by MIS id or name: its memberships and team, plus the creates its new members need', () => {
    const byId = only('455');
    // The MIS name, the name the plan shows, the change key: the same class.
    for (const other of ['8a/ma1', '2025-26-8A/Ma1', 'class:group:455']) expect(keys(only(other).changes)).toEqual(keys(byId.changes));
    const members = byId.changes.filter((c) => c.kind === 'membership');
    expect(members.length).toBeGreaterThanOrEqual(3);
    expect(members.every((c) => c.key.startsWith('student:class:group:455:') || c.key.startsWith('teacher:class:group:455:'))).toBe(true);
    // 1003 joins the class: their account is created first, but none of their other memberships come along.
    expect(byId.changes.filter((c) => c.kind === 'user').map((c) => `${c.action} ${c.key}`)).toEqual(['create user:student:1003']);
    expect(byId.changes.some((c) => c.key.includes('group:year:8') || c.key.includes('group:456'))).toBe(false);
  });

  it('kind:membership takes every membership and the accounts they need, not the suspension', () => {
    const p = only('kind:membership');
    expect(p.changes.filter((c) => c.kind === 'membership')).toHaveLength(whole.changes.filter((c) => c.kind === 'membership').length);
    expect(p.changes.filter((c) => c.kind !== 'membership').map((c) => `${c.action} ${c.key}`)).toEqual(['create user:student:1003']);
  });

  it('several selectors are the union; a new group is created before its members', () => {
    const noGroups = plan({ snapshot: { ...tenant, groups: tenant.groups.filter((g) => !/year/i.test(g.displayName)) } });
    const yearGroup = noGroups.changes.find((c) => c.kind === 'group' && c.action === 'create' && /year/i.test(c.subject.name ?? ''))!;
    expect(yearGroup).toBeDefined();
    const p = buildPlan({ config: cfg, roster: next, snapshot: { ...tenant, groups: tenant.groups.filter((g) => !/year/i.test(g.displayName)) }, manualMatches: [], asOf, now: '', only: parseSelectors(['student:1004,student:1003']) });
    expect(p.changes.filter((c) => c.kind === 'group').map((c) => c.key)).toEqual([yearGroup.key]);
    expect(p.changes.findIndex((c) => c.key === yearGroup.key)).toBeLessThan(p.changes.findIndex((c) => c.kind === 'membership' && c.group?.createdBy === yearGroup.key));
    expect(new Set(p.changes.map((c) => c.subject.person).filter(Boolean))).toEqual(new Set(['student:1003', 'student:1004']));
  });

  it('a selector that matches nothing is an error naming it', () => {
    expect(() => only('student:1003', 'student:9999')).toThrow(SelectionError);
    expect(() => only('student:1003', 'student:9999')).toThrow(/"student:9999" matches no pending change/);
    expect(() => only('Year 12')).toThrow(/"Year 12" matches no pending change/);
    // A person with nothing to do.
    expect(() => only('staff:31')).toThrow(/"staff:31" matches no pending change/);
  });

  it('a person rollcall holds back says why, by reason and never by name', () => {
    const held = { ...next, people: next.people.map((p) => (p.id === 'student:1003' ? { ...p, legal: { first: '', last: '' }, preferred: {} } : p)) };
    const p = buildPlan({ config: cfg, roster: held, snapshot: tenant, manualMatches: [], asOf, now: '' });
    const entry = p.unsynced.find((u) => u.person === 'student:1003');
    expect(entry).toBeDefined();
    expect(() => buildPlan({ config: cfg, roster: held, snapshot: tenant, manualMatches: [], asOf, now: '', only: parseSelectors(['student:1003']) }))
      .toThrow(`"student:1003" has no pending change: student:1003 is not synced (${entry!.reason})`);
  });

  it('selectors are checked as typed', () => {
    expect(parseSelectors(['student:1, 455', 'kind:USER\nstaff:3'])).toEqual([
      { text: 'student:1', type: 'person', person: 'student:1' },
      { text: '455', type: 'name', value: '455' },
      { text: 'kind:USER', type: 'kind', kind: 'user' },
      { text: 'staff:3', type: 'person', person: 'staff:3' },
    ]);
    expect(() => parseSelectors(['kind:users'])).toThrow('--only kind:users: no such kind (one of kind:user, kind:educationUser, kind:licence, kind:group, kind:class, kind:team, kind:event, kind:membership, kind:guardian)');
    expect(() => parseSelectors([' , '], 'input only')).toThrow('input only needs at least one person, group, class or kind:K');
  });

  it('is pure over the plan: the same selection of the same changes, in the plan\'s order', () => {
    const selectors = parseSelectors(['student:1003', 'student:1001']);
    const a = selectChanges(whole, selectors, { personOfAccount: new Map() });
    expect(a.map((c) => whole.changes.indexOf(c))).toEqual([...a.map((c) => whole.changes.indexOf(c))].sort((x, y) => x - y));
    expect(selectChanges(whole, selectors, { personOfAccount: new Map() })).toEqual(a);
  });
});
