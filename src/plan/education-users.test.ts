import { describe, expect, it } from 'vitest';
import { renderPlan } from '../render/index.js';
import { pseudonymiser } from '../render/mask.js';
import type { Snapshot, TenantEducationUser, TenantUser } from '../tenant/types.js';
import { buildPlan, phaseOf } from './build.js';
import { educationUserPatch } from './education-users.js';
import { applyToSnapshot, config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
const people = () => [
  student('1001', 'Jack', 'Cole', { yearGroup: '8', admissionNumber: 'A1001' }),
  student('1002', 'Amy', 'Poe', { yearGroup: '7', admissionNumber: 'A1002' }),
  staff('31', 'Ann', 'Lee', { staffCode: 'ALE' }),
];
const tenant = (education: boolean) => ({ tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'] as [string, ...string[]], education } });
const cfg = config({}, tenant(true));
const account = (id: string, upn: string, anchor: string, type: string): TenantUser => ({
  id, userPrincipalName: upn, displayName: upn.split('@')[0], givenName: null, surname: null, accountEnabled: true, employeeId: anchor, employeeType: type,
});
const none = (id: string): TenantEducationUser => ({ id, primaryRole: 'none', student: null, teacher: null });
const edu = (users: TenantUser[], profiles: TenantEducationUser[] | { unread: string }): Snapshot => ({
  ...snapshot(users), education: true, educationUsers: Array.isArray(profiles) ? { profiles } : profiles,
});
const plan = (snap: Snapshot, who = people(), c = cfg) => buildPlan({ config: c, roster: roster(who), snapshot: snap, manualMatches: [], asOf, now: '' });
const eduChanges = (p: ReturnType<typeof plan>) => p.changes.filter((c) => c.kind === 'educationUser');

describe('education profiles in the plan', () => {
  it('a first sync sets the profile of every new account, after the account is created', () => {
    const p = plan(edu([], []));
    const changes = eduChanges(p);
    expect(changes.map((c) => [c.action, c.key, c.target])).toEqual([
      ['set', 'educationUser:staff:31', { createdBy: 'user:staff:31' }],
      ['set', 'educationUser:student:1001', { createdBy: 'user:student:1001' }],
      ['set', 'educationUser:student:1002', { createdBy: 'user:student:1002' }],
    ]);
    expect(changes.find((c) => c.key === 'educationUser:student:1001')!.after).toEqual({
      primaryRole: 'student', 'student.externalId': '1001', 'student.studentNumber': 'A1001', 'student.grade': '8', 'student.graduationYear': '2031',
    });
    expect(changes.find((c) => c.key === 'educationUser:staff:31')!.after).toEqual({ primaryRole: 'teacher', 'teacher.externalId': '31', 'teacher.teacherNumber': 'ALE' });
    const create = p.changes.findIndex((c) => c.key === 'user:student:1001');
    expect(p.changes.findIndex((c) => c.key === 'educationUser:student:1001')).toBeGreaterThan(create);
    expect(phaseOf(changes[0])).toBeGreaterThan(phaseOf(p.changes[create]));
    expect(p.summary.educationUser).toEqual({ set: 3 });
  });

  it('plans nothing once the tenant holds what the MIS says: a re-plan after apply is empty', () => {
    const first = plan(edu([], []));
    const after = applyToSnapshot(first, edu([], []));
    expect(plan(after).changes).toEqual([]);
  });

  it('existing accounts: sets a profile nobody set, updates only what differs, leaves equal ones alone', () => {
    const users = [account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student'), account('u2', 'amyp@students.t.example', 'ts:s1002', 'Student'), account('u3', 'alee@t.example', 'ts:t31', 'Staff')];
    const p = plan(edu(users, [
      none('u1'),
      { id: 'u2', primaryRole: 'student', student: { externalId: '1002', studentNumber: 'A1002', grade: '6', graduationYear: '2032' }, teacher: null },
      { id: 'u3', primaryRole: 'teacher', student: null, teacher: { externalId: '31', teacherNumber: 'ALE' } },
    ]));
    const changes = eduChanges(p);
    expect(changes.map((c) => [c.action, c.key])).toEqual([['set', 'educationUser:student:1001'], ['update', 'educationUser:student:1002']]);
    expect(changes[0]).toMatchObject({ target: { id: 'u1' }, before: { primaryRole: 'none', 'student.grade': null }, after: { primaryRole: 'student', 'student.grade': '8' } });
    expect(changes[1]).toMatchObject({ target: { id: 'u2' }, before: { 'student.grade': '6' }, after: { 'student.grade': '7' }, reason: 'MIS and education profile differ (student.grade)' });
    expect(Object.keys(changes[1].after!)).toEqual(['student.grade']);
  });

  it('a year-group change updates the grade, and nothing else (the graduation year stays)', () => {
    const users = [account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student')];
    const before = plan(edu(users, [none('u1')]), [people()[0]]);
    const synced = applyToSnapshot(before, edu(users, [none('u1')]));
    const moved = plan(synced, [student('1001', 'Jack', 'Cole', { yearGroup: '9', admissionNumber: 'A1001' })], cfg);
    // Next academic year: Year 9 graduates in the same summer as Year 8 did a year before.
    const nextYear = buildPlan({ config: cfg, roster: roster([student('1001', 'Jack', 'Cole', { yearGroup: '9', admissionNumber: 'A1001' })]), snapshot: synced, manualMatches: [], asOf: '2026-09-07', now: '' });
    expect(eduChanges(nextYear).map((c) => [c.action, c.before, c.after])).toEqual([['update', { 'student.grade': '8' }, { 'student.grade': '9' }]]);
    // Mid-year (a correction in the MIS) the graduation year follows the year group.
    expect(eduChanges(moved)[0].after).toEqual({ 'student.grade': '9', 'student.graduationYear': '2030' });
  });

  it('never clears what the MIS does not give: a pupil without an admission number keeps the studentNumber the tenant has', () => {
    const users = [account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student')];
    const p = plan(edu(users, [{ id: 'u1', primaryRole: 'student', student: { externalId: '1001', studentNumber: 'OLD-9', grade: '8', graduationYear: '2031' }, teacher: null }]),
      [student('1001', 'Jack', 'Cole', { yearGroup: '8' })]);
    expect(eduChanges(p)).toEqual([]);
  });

  it('holds every profile change with the reason when /education/users could not be read; accounts are planned as ever', () => {
    const reason = 'reading education users (page 1): 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.';
    const p = plan(edu([account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student')], { unread: reason }));
    expect(eduChanges(p)).toEqual([]);
    expect(p.changes.filter((c) => c.kind === 'user' && c.action === 'create').map((c) => c.key)).toEqual(['user:staff:31', 'user:student:1002']);
    expect(p.warnings).toContain(`education profiles of 3 people held: /education/users could not be read, so no profile change is planned until it can (${reason})`);
  });

  it('an account /education/users did not list is left for the next run, not taken for one without a profile', () => {
    const p = plan(edu([account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student')], []), [people()[0]]);
    expect(eduChanges(p)).toEqual([]);
    expect(p.warnings).toContain('1 account was not yet listed in /education/users: their education profiles wait for the next run');
  });

  it('writes no profile on a tenant not configured as an Education tenant, nor for excluded people', () => {
    expect(eduChanges(plan({ ...snapshot([]), education: false }, people(), config({}, tenant(false))))).toEqual([]);
    const excluded = config({ exclusions: { misIds: ['student:1001'], userPrincipalNames: [], addresses: [] } }, tenant(true));
    const p = plan(edu([account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student')], [none('u1')]), people(), excluded);
    expect(eduChanges(p).map((c) => c.key)).not.toContain('educationUser:student:1001');
  });

  it('the PATCH body nests the flattened properties', () => {
    expect(educationUserPatch({ primaryRole: 'student', 'student.grade': '8', 'student.studentNumber': 'A1' })).toEqual({ primaryRole: 'student', student: { grade: '8', studentNumber: 'A1' } });
    expect(educationUserPatch({ 'teacher.teacherNumber': 'ALE' })).toEqual({ teacher: { teacherNumber: 'ALE' } });
  });

  it('masked plans show role, grade and graduation year but never the MIS id or a pupil\'s numbers', () => {
    const p = plan(edu([account('u1', 'jackc@students.t.example', 'ts:s1001', 'Student')], [none('u1')]), [people()[0]]);
    const json = renderPlan(pseudonymiser()(p), { format: 'json', personalData: 'masked' });
    const text = renderPlan(p, { format: 'text', personalData: 'masked', detail: true });
    for (const out of [json, text]) {
      expect(out).not.toContain('A1001');
      expect(out).not.toMatch(/"1001"/);
    }
    expect(text).toContain('set educationUser student:1001');
    expect(text).toContain('student.grade: null → "8"');
    expect(JSON.parse(json).changes.find((c: { kind: string }) => c.kind === 'educationUser').after).toMatchObject({ primaryRole: 'student', 'student.externalId': '•••', 'student.studentNumber': '•••', 'student.grade': '8' });
  });
});
