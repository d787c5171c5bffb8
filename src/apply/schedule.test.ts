// Apply overlaps phases where the dependencies allow (schedule.ts): these tests run a small school's first sync and
// a later run through a writer that takes time per op and checks, as each op starts, that everything it depends on
// has finished.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/load.js';
import { memoryLogger } from '../log.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import type { Group, Lesson, Membership } from '../roster/types.js';
import type { OpResult, TenantOp, TenantWriter } from '../tenant/types.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';
import { applyPlan } from './apply.js';
import { AFTER_MEMBERSHIPS, startOf, unitsOf } from './schedule.js';
import { phaseOf } from '../plan/build.js';
import type { Change } from '../plan/types.js';

const asOf = '2026-03-02';
const pupils = Array.from({ length: 30 }, (_, i) => student(String(1001 + i), `P${i}`, `Pupil${i}`, { yearGroup: '8' }));
const people = [...pupils, staff('31', 'Ann', 'Lee'), staff('32', 'Bob', 'Ray')];
const groups: Group[] = [
  { id: 'group:year:8', kind: 'year', misId: 'year:8', name: 'Year 8' },
  { id: 'group:455', kind: 'teaching', misId: '455', name: '8A/Ma1', subject: 'Maths' },
  { id: 'group:456', kind: 'teaching', misId: '456', name: '8A/En1', subject: 'English' },
];
const memberships: Membership[] = [
  ...pupils.map((p) => ({ group: 'group:year:8' as const, person: p.id, role: 'member' as const })),
  ...pupils.slice(0, 25).map((p) => ({ group: 'group:455' as const, person: p.id, role: 'member' as const })),
  ...pupils.slice(5).map((p) => ({ group: 'group:456' as const, person: p.id, role: 'member' as const })),
  { group: 'group:455', person: 'staff:31', role: 'teacher' },
  { group: 'group:456', person: 'staff:32', role: 'teacher' },
];
const lessons: Lesson[] = ['2026-03-03', '2026-03-04', '2026-03-05'].flatMap((d) => [
  { id: `lesson:455@${d}T09:00:00Z`, group: 'group:455', staff: ['staff:31'], room: 'M2', start: `${d}T09:00:00Z`, end: `${d}T10:00:00Z` },
  { id: `lesson:456@${d}T11:00:00Z`, group: 'group:456', staff: ['staff:32'], room: 'E1', start: `${d}T11:00:00Z`, end: `${d}T12:00:00Z` },
]);
const school = (over: Partial<{ memberships: Membership[]; lessons: Lesson[] }> = {}) => ({ ...roster(people), groups, memberships, lessons, ...over });
const cfg = resolveConfig({
  ...config(),
  tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true },
  groups: { from: ['yearGroups'], type: 'microsoft365', displayName: '{name}', staffAs: 'owners' },
  classes: { from: ['teachingGroups'], displayName: '{academicYear}-{name}', team: true, onEnd: 'archive' },
  calendar: { enabled: true, windowDays: 30, users: 'staff', reminderMinutes: 10 },
  school: { name: 'Test School', key: 'ts', academicYearStart: '09-01', timeZone: 'Europe/London' },
} as Parameters<typeof resolveConfig>[0]);
const edu = () => ({ ...snapshot(), education: true });
const planOf = (r = school(), snap = edu()) => buildPlan({ config: cfg, roster: r, snapshot: snap, manualMatches: [], asOf, now: '' });

type Timed = { op: TenantOp; start: number; end?: number };

/**
 * A writer whose ops take `ms(op)` each and report as they finish. Ids are the op keys' own (`id:<key>`), so an op
 * can be traced back to the change that made the object it names.
 */
function timedWriter(ms: (op: TenantOp) => number) {
  const t0 = performance.now();
  const log: Timed[] = [];
  const writer: TenantWriter = {
    async execute(ops, _progress, onResult) {
      return Promise.all(ops.map(async (op) => {
        const t: Timed = { op, start: performance.now() - t0 };
        log.push(t);
        await new Promise((r) => setTimeout(r, ms(op)));
        t.end = performance.now() - t0;
        const r: OpResult = { key: op.key, status: 'done', id: op.op.endsWith('.create') && op.op !== 'team.create' ? `id:${op.key}` : (op as { groupId?: string }).groupId };
        onResult?.(r);
        return r;
      }));
    },
  };
  return { writer, log };
}

/** Every op that writes the object `id` names (its create, updates, memberships of a group), from the log. */
function writersOf(log: Timed[], id: string): Timed[] {
  const key = id.replace(/^id:/, '');
  return log.filter(({ op }) => op.key === key
    || ('id' in op && op.id === id && op.op !== 'event.update')
    || (op.op === 'member.add' && op.groupId === id) || (op.op === 'class.add' && op.classId === id));
}

const ended = (ts: Timed[], at: number) => ts.every((t) => t.end !== undefined && t.end <= at);

describe('apply overlaps phases only where the dependencies allow', () => {
  it('never sends a membership before its account and group, a team before its class is filled, an event before its mailbox', async () => {
    const plan = planOf();
    // Class 456's memberships are slow: class 455's team must not wait for them, and events must not wait at all.
    const slow = new Set<string>();
    const { writer, log } = timedWriter((op) => (slow.has((op as { groupId?: string; classId?: string }).groupId ?? (op as { classId?: string }).classId ?? '') ? 120 : op.op === 'event.create' ? 1 : 10));
    for (const c of plan.changes) if (c.kind === 'class' && c.subject.name?.endsWith('8A/En1')) slow.add(`id:${c.key}`);
    const out = await applyPlan(plan, { config: cfg, writer, log: memoryLogger() });
    expect(out.counts.failed).toBe(0);

    for (const t of log) {
      const { op } = t;
      if (op.op === 'member.add') {
        expect(ended(writersOf(log, op.groupId as string).filter((w) => w.op.op.endsWith('.create')), t.start)).toBe(true);
        for (const m of op.memberIds) {
          const account = log.filter((w) => `id:${w.op.key}` === m || ('id' in w.op && w.op.id === m));
          expect(account.length).toBeGreaterThan(0);
          expect(ended(account, t.start)).toBe(true);
        }
      }
      if (op.op === 'class.add') expect(ended(log.filter((w) => `id:${w.op.key}` === op.classId || `id:${w.op.key}` === op.userId || ('id' in w.op && w.op.id === op.userId)), t.start)).toBe(true);
      if (op.op === 'team.create') {
        const before = writersOf(log, op.groupId as string);
        expect(before.some((w) => w.op.op === 'class.add')).toBe(true);
        expect(ended(before, t.start)).toBe(true);
      }
      if (op.op === 'event.create') {
        const account = log.filter((w) => `id:${w.op.key}` === op.userId);
        expect(account).toHaveLength(1);
        expect(ended(account, t.start)).toBe(true);
      }
    }

    // And the overlap itself: events go while memberships are still being written, and the fast class's team
    // while the slow class's memberships are.
    const lastMembership = Math.max(...log.filter((t) => t.op.op === 'member.add' || t.op.op === 'class.add').map((t) => t.end!));
    expect(Math.min(...log.filter((t) => t.op.op === 'event.create').map((t) => t.start))).toBeLessThan(lastMembership);
    const teams = log.filter((t) => t.op.op === 'team.create');
    expect(teams).toHaveLength(2);
    const fastTeam = teams.find((t) => !slow.has(t.op.op === 'team.create' ? (t.op.groupId as string) : ''))!;
    const slowMembers = log.filter((t) => slow.has((t.op as { groupId?: string }).groupId ?? (t.op as { classId?: string }).classId ?? ''));
    expect(fastTeam.start).toBeLessThan(Math.max(...slowMembers.map((t) => t.end!)));
  });

  it('writes accounts while groups are still being created, and memberships while education profiles are, never before what they need', async () => {
    // The education profiles were read (none yet): every new account's profile is written in phase 3.
    const plan = planOf(school(), { ...edu(), educationUsers: { profiles: [] } });
    expect(plan.changes.some((c) => c.kind === 'educationUser')).toBe(true);
    // Group and class creates and the education profiles are slow: nothing that does not need them may wait for them.
    const { writer, log } = timedWriter((op) => (op.op === 'group.create' || op.op === 'class.create' ? 60 : op.op === 'educationUser.update' ? 150 : 5));
    const out = await applyPlan(plan, { config: cfg, writer, log: memoryLogger() });
    expect(out.counts.failed).toBe(0);
    const of = (kind: string) => log.filter((t) => t.op.op === kind);
    const lastEnd = (ts: Timed[]) => Math.max(...ts.map((t) => t.end!));
    const firstStart = (ts: Timed[]) => Math.min(...ts.map((t) => t.start));
    expect(firstStart(of('user.create'))).toBeLessThan(lastEnd([...of('group.create'), ...of('class.create')]));
    const memberships = [...of('member.add'), ...of('class.add')];
    expect(firstStart(memberships)).toBeLessThan(lastEnd(of('educationUser.update')));
    for (const t of memberships) {
      const group = t.op.op === 'member.add' ? t.op.groupId : t.op.op === 'class.add' ? t.op.classId : '';
      expect(ended(log.filter((w) => `id:${w.op.key}` === group), t.start)).toBe(true);
      const members = t.op.op === 'member.add' ? t.op.memberIds : t.op.op === 'class.add' ? [t.op.userId] : [];
      for (const m of members) {
        const account = log.filter((w) => `id:${w.op.key}` === m);
        expect(account).toHaveLength(1);
        expect(ended(account, t.start)).toBe(true);
      }
    }
    // A team still waits for everything before the memberships, the education profiles included.
    for (const t of of('team.create')) expect(ended(of('educationUser.update'), t.start)).toBe(true);
  });

  it('removes members, archives and deletes only after every earlier phase, events and teams included', async () => {
    const first = planOf();
    const tenant = playAll(first, edu());
    // The next run: a pupil leaves the Maths class (a removal) and a new lesson appears (an event).
    const next: Plan = planOf(school({
      memberships: memberships.filter((m) => !(m.group === 'group:455' && m.person === 'student:1001')),
      lessons: [...lessons, { id: 'lesson:455@2026-03-06T09:00:00Z', group: 'group:455', staff: ['staff:31'], room: 'M2', start: '2026-03-06T09:00:00Z', end: '2026-03-06T10:00:00Z' }],
    }), tenant);
    expect(next.changes.map((c) => `${c.action} ${c.kind}`).sort()).toEqual(['create event', 'remove-member membership']);
    const { writer, log } = timedWriter((op) => (op.op === 'event.create' ? 50 : 5));
    await applyPlan(next, { config: cfg, writer, log: memoryLogger() });
    const event = log.find((t) => t.op.op === 'event.create')!;
    const removal = log.find((t) => t.op.op === 'member.remove' || t.op.op === 'class.remove')!;
    expect(removal.start).toBeGreaterThanOrEqual(event.end!);
  });

  it('schedules guardians apart from memberships: after the education profiles, not after the memberships', () => {
    const change = (kind: Change['kind'], action: Change['action'], key: string) => ({ kind, action, key }) as Change;
    const phase4 = [change('membership', 'add-member', 'm1'), change('guardian', 'set', 'g1'), change('membership', 'add-owner', 'm2')];
    const profiles = [change('educationUser', 'set', 'e1')];
    const units = unitsOf([[change('user', 'create', 'u1')], profiles, phase4]);
    const p4 = phaseOf(phase4[0]);
    expect(units.map((u) => [u.number, u.changes.map((c) => c.key)])).toEqual([
      [phaseOf({ kind: 'user', action: 'create' }), ['u1']], [phaseOf(profiles[0]), ['e1']], [p4, ['m1', 'm2']], [p4 + AFTER_MEMBERSHIPS, ['g1']],
    ]);
    const earlier = units.map((u) => u.number);
    expect(startOf(p4, earlier.slice(0, 2)).phases).toEqual([phaseOf({ kind: 'user', action: 'create' })]);
    expect(startOf(p4 + AFTER_MEMBERSHIPS, earlier.slice(0, 3)).phases).toEqual([phaseOf({ kind: 'user', action: 'create' }), phaseOf(profiles[0])]);
  });
});
