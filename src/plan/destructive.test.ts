// The night's limits count what they say: one definition of destructive; events have their own limit (issue 12.5).
import { describe, expect, it } from 'vitest';
import type { Group, Lesson, Membership } from '../roster/types.js';
import { renderPlan } from '../render/index.js';
import { buildPlan, type PlanInput } from './build.js';
import { isDestructive } from './destructive.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';
import type { ChangeAction, ChangeKind } from './types.js';

const asOf = '2026-03-02';
const pupils = Array.from({ length: 30 }, (_, i) => student(String(2001 + i), `Pupil${String.fromCharCode(97 + (i % 26))}${i}`, `Family${i}`, { yearGroup: '9' }));
const people = [...pupils, staff('31', 'Ann', 'Lee')];
const groups: Group[] = [{ id: 'group:455', kind: 'teaching', misId: '455', name: '9A/Ma1', subject: 'Maths' }];
const memberships: Membership[] = [...pupils.map((p) => ({ group: 'group:455' as const, person: p.id, role: 'member' as const })), { group: 'group:455', person: 'staff:31', role: 'teacher' }];
const lesson = (day: string): Lesson => ({ id: `lesson:455@${day}T09:00:00Z`, group: 'group:455', staff: ['staff:31'], room: 'M2', start: `${day}T09:00:00Z`, end: `${day}T10:00:00Z` });
const lessons = ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-10'].map(lesson);
const school = (ls: Lesson[]) => ({ ...roster(people), groups, memberships, lessons: ls });
const cfg = (safety: Record<string, unknown>) => config({}, {
  calendar: { enabled: true, windowDays: 30, users: 'all' },
  school: { name: 'Test School', key: 'ts', academicYearStart: '09-01', timeZone: 'Europe/London' },
  safety: { maxSuspensions: { percent: 5 }, maxDeletions: { count: 10 }, maxMembershipRemovals: { percent: 10 }, ...safety },
});
const plan = (c: ReturnType<typeof cfg>, over: Partial<PlanInput>) => buildPlan({ config: c, roster: school(lessons), snapshot: snapshot(), manualMatches: [], asOf, now: '', ...over });

describe('a cancelled lesson of a class of 30', () => {
  const tenant = playAll(plan(cfg({}), {}), snapshot());
  const cancelled = (c: ReturnType<typeof cfg>) => plan(c, { roster: school(lessons.slice(1)), snapshot: tenant });

  it('deletes 31 events without crossing safety.maxDeletions (users and groups) and is not a destructive change', () => {
    const p = cancelled(cfg({}));
    const deletes = p.changes.filter((c) => c.kind === 'event' && c.action === 'delete');
    expect(deletes).toHaveLength(31);
    expect(deletes.every((c) => !c.destructive)).toBe(true);
    expect(p.blocked).toEqual([]);
    // The PR comment agrees: no "Destructive changes" section and no ⚠ on the delete column.
    const md = renderPlan(p, { format: 'markdown', personalData: 'masked' });
    expect(md).toMatch(/\| kind \| delete \| total \|/);
    // (Warnings carry ⚠ too; this school's roster has no e-mails, which is one.)
    expect(md).not.toMatch(/Destructive changes|delete ⚠/);
  });

  it('is counted by safety.maxEventDeletions instead, against rollcall\'s events in the tenant', () => {
    const p = cancelled(cfg({ maxEventDeletions: { count: 20 } }));
    expect(p.blocked).toEqual([expect.objectContaining({ rule: 'safety.maxEventDeletions', count: 31, total: 124 })]);
  });

  it('a timetable that vanishes crosses the generous default (half of rollcall\'s events)', () => {
    const p = plan(cfg({}), { roster: school([]), snapshot: tenant });
    expect(p.blocked.map((b) => b.rule)).toEqual(['safety.maxEventDeletions']);
  });
});

describe('one definition of destructive', () => {
  const kinds: ChangeKind[] = ['user', 'group', 'class', 'team', 'event', 'membership'];
  const actions: ChangeAction[] = ['create', 'update', 'suspend', 'restore', 'delete', 'add-member', 'remove-member', 'add-owner', 'remove-owner', 'archive', 'unarchive'];
  it('is every suspension, deletion, removal and archive of users, groups, classes, teams and memberships, and nothing of events', () => {
    const yes = kinds.flatMap((kind) => actions.map((action) => ({ kind, action }))).filter(isDestructive).map((c) => `${c.action} ${c.kind}`);
    const objects = ['user', 'group', 'class', 'team', 'membership'];
    expect(yes.sort()).toEqual(objects.flatMap((k) => ['suspend', 'delete', 'remove-member', 'remove-owner', 'archive'].map((a) => `${a} ${k}`)).sort());
  });

  it('is the flag every change of a plan carries, whichever planner made it', () => {
    const tenant = playAll(plan(cfg({}), {}), snapshot());
    const p = plan(cfg({ maxSuspensions: { percent: 100 }, maxDeletions: { percent: 100 }, maxMembershipRemovals: { percent: 100 } }), { roster: { ...school(lessons.slice(1)), people: people.map((x, i) => (i < 5 ? { ...x, endDate: '2026-02-01' } : x)) }, snapshot: tenant });
    expect(p.changes.filter((c) => c.destructive).length).toBeGreaterThan(0);
    expect(p.changes.filter((c) => !c.destructive).length).toBeGreaterThan(0);
    for (const c of p.changes) expect(c.destructive, `${c.action} ${c.kind}`).toBe(isDestructive(c));
  });
});
