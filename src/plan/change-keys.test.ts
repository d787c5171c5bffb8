// One key per object: the change that creates a group, a class team, a security group or a lesson in a calendar
// and the change that ends it carry the same key, so a reviewer (and the merge gate's list of destructive
// changes) names one object one way whatever happens to it.
import { describe, expect, it } from 'vitest';
import type { Group, Lesson, Membership } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import type { Change, Plan } from './types.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

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
  { group: 'group:455', person: 'staff:31', role: 'teacher' },
];
const lessons: Lesson[] = ['2026-03-03', '2026-03-05'].map((d) => ({ id: `lesson:455@${d}T09:00:00Z`, group: 'group:455', staff: ['staff:31'], room: 'M2', start: `${d}T09:00:00Z`, end: `${d}T10:00:00Z` }));
const school = { ...roster(people), groups, memberships, lessons };
const cfg = config({}, {
  tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true },
  groups: { from: ['yearGroups'], onEnd: 'delete' },
  classes: { from: ['teachingGroups'], team: true, onEnd: 'archive' },
  calendar: { enabled: true, windowDays: 30 },
  safety: { maxDeletions: { percent: 100 }, maxMembershipRemovals: { percent: 100 }, maxEventDeletions: { percent: 100 }, maxSourceDrop: { percent: 100 }, maxSuspensions: { percent: 100 } },
});
const edu = (s: Snapshot): Snapshot => ({ ...s, education: true });
const plan = (over: Partial<PlanInput>) => buildPlan({ config: cfg, roster: school, snapshot: edu(snapshot()), manualMatches: [], asOf, now: '', ...over });

/** The one change of `kind` and `action` in a plan. */
function only(p: Plan, kind: Change['kind'], action: Change['action'], where: (c: Change) => boolean = () => true): Change {
  const found = p.changes.filter((c) => c.kind === kind && c.action === action && where(c));
  expect(found, `${kind} ${action}`).toHaveLength(1);
  return found[0];
}

describe('one change key per object, whatever the action', () => {
  const first = plan({});
  const tenant = edu(playAll(first, edu(snapshot())));

  it('a MIS group: created and deleted under its nickname', () => {
    const created = only(first, 'group', 'create', (c) => (c.after as { mailNickname?: string }).mailNickname === 'ts-year-year-8');
    const later = plan({ roster: { ...school, groups: groups.filter((g) => g.id !== 'group:year:8'), memberships: memberships.filter((m) => m.group !== 'group:year:8') }, snapshot: tenant });
    expect(only(later, 'group', 'delete').key).toBe(created.key);
  });

  it('a class team: created, then archived when its class ends, under its class\'s MIS group', () => {
    const created = only(first, 'team', 'create');
    const later = plan({ roster: { ...school, groups: groups.filter((g) => g.id !== 'group:455'), memberships: memberships.filter((m) => m.group !== 'group:455'), lessons: [] }, snapshot: tenant });
    expect(only(later, 'team', 'archive').key).toBe(created.key);
  });

  it('a lesson in a calendar: created, then deleted when cancelled, under the person and the lesson', () => {
    const created = only(first, 'event', 'create', (c) => c.subject.person === 'student:1001' && c.key.endsWith(lessons[1].id));
    const later = plan({ roster: { ...school, lessons: [lessons[0]] }, snapshot: tenant });
    const deleted = later.changes.filter((c) => c.kind === 'event' && c.action === 'delete');
    expect(deleted.map((c) => c.key).sort()).toEqual([created.key, created.key.replace('student:1001', 'staff:31')].sort());
  });

  it('a security group: created, then deleted when no one belongs to it, under its nickname', () => {
    const sg = config({ students: { userPrincipalName: '{first}{last:1}@students.t.example', securityGroups: ['Students Y{yearGroup}'] } });
    const p1 = buildPlan({ config: sg, roster: roster(people), snapshot: snapshot(), manualMatches: [], asOf, now: '' });
    const created = only(p1, 'group', 'create', (c) => c.subject.name === 'Students Y8');
    const moved = roster(people.map((p) => (p.kind === 'student' ? { ...p, yearGroup: '9' } : p)));
    const p2 = buildPlan({ config: sg, roster: moved, snapshot: playAll(p1, snapshot()), manualMatches: [], asOf, now: '' });
    expect(only(p2, 'group', 'delete').key).toBe(created.key);
  });
});
