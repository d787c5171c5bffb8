import { describe, expect, it } from 'vitest';
import type { TenantUser } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import { numberedFrom } from './numbered.js';
import { applyToSnapshot, config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
const plan = (over: Partial<PlanInput>) => buildPlan({ config: config(), roster: roster([]), snapshot: snapshot(), manualMatches: [], asOf, now: '2026-03-02T06:00:00Z', ...over });
const keysOf = (p: ReturnType<typeof plan>, action: string) => p.changes.filter((c) => c.action === action).map((c) => c.key);

function account(id: string, upn: string, extra: Partial<TenantUser> = {}): TenantUser {
  return { id, userPrincipalName: upn, displayName: upn, accountEnabled: true, ...extra };
}

describe('a first sync', () => {
  const people = [
    student('1002', 'Jack', 'Craig'),
    student('1001', 'Jack', 'Cole', { yearGroup: '9' }),
    student('1010', 'Jack', 'Carr'),
    student('1003', '李', '王'),
    staff('31', 'Ann', 'Lee'),
  ];

  it('creates accounts with addresses that collide in MIS id order', () => {
    const p = plan({ roster: roster(people) });
    const upn = (pid: string) => p.changes.find((c) => c.key === `user:${pid}`)?.after?.userPrincipalName;
    expect(upn('student:1001')).toBe('jackc@students.t.example');
    expect(upn('student:1002')).toBe('jackc2@students.t.example');
    expect(upn('student:1010')).toBe('jackc3@students.t.example');
    expect(upn('staff:31')).toBe('alee@t.example');
    const create = p.changes.find((c) => c.key === 'user:student:1001')!;
    expect(create.after).toMatchObject({ employeeId: 'ts:s1001', employeeType: 'Student', usageLocation: 'GB', accountEnabled: true, displayName: 'Jack Cole' });
    expect(JSON.stringify(p.changes)).not.toMatch(/password/i);
  });

  it('says in the reason which creates got a number, and which address the template gave', () => {
    const p = plan({ roster: roster(people) });
    const numbered = p.changes.filter((c) => numberedFrom(c)).map((c) => [c.key, numberedFrom(c)]);
    expect(numbered).toEqual([['user:student:1002', 'jackc@students.t.example'], ['user:student:1010', 'jackc@students.t.example']]);
    expect(p.changes.find((c) => c.key === 'user:student:1002')?.reason).toBe('new student in the MIS; numbered because jackc@students.t.example is taken');
  });

  it('reports a name with no ASCII letters as unsynced instead of creating it half-formed', () => {
    const p = plan({ roster: roster(people) });
    expect(p.unsynced).toEqual([expect.objectContaining({ person: 'student:1003', reason: 'no-ascii-name' })]);
    expect(keysOf(p, 'create')).not.toContain('user:student:1003');
  });

  it('creates the security groups it owns and adds members to them', () => {
    const p = plan({ roster: roster(people) });
    expect(p.changes.filter((c) => c.kind === 'group').map((c) => c.after?.mailNickname)).toEqual(['ts-sg-all-staff', 'ts-sg-all-students', 'ts-sg-students-y8', 'ts-sg-students-y9']);
    expect(p.summary.membership?.['add-member']).toBe(3 + 3 + 1);
    // Groups are created before users, users before memberships.
    const firstMember = p.changes.findIndex((c) => c.kind === 'membership');
    expect(p.changes.slice(0, firstMember).every((c) => c.action === 'create')).toBe(true);
  });

  it('plans nothing once the plan is applied, and keeps its checksum for the same changes', () => {
    const first = plan({ roster: roster(people) });
    const again = plan({ roster: roster(people), now: '2026-03-03T06:00:00Z', asOf: '2026-03-02' });
    expect(again.checksum).toBe(first.checksum);
    const after = plan({ roster: roster(people), snapshot: applyToSnapshot(first, snapshot()) });
    expect(after.changes).toEqual([]);
    expect(after.blocked).toEqual([]);
  });

  it('keeps an existing account\'s address when a lower MIS id arrives with the same name', () => {
    const existing = account('a1', 'jackc@students.t.example', { employeeId: 'ts:s1002', displayName: 'Jack Craig', givenName: 'Jack', surname: 'Craig', employeeType: 'Student', usageLocation: 'GB' });
    const p = plan({ roster: roster([student('1002', 'Jack', 'Craig'), student('1001', 'Jack', 'Cole')]), snapshot: snapshot([existing]) });
    expect(p.changes.find((c) => c.key === 'user:student:1001')?.after?.userPrincipalName).toBe('jackc2@students.t.example');
    expect(p.changes.filter((c) => c.key === 'user:student:1002')).toEqual([]);
  });

  it('never takes an address held by an account it does not manage', () => {
    const p = plan({ roster: roster([student('1001', 'Jack', 'Cole')]), snapshot: snapshot([account('x', 'jackc@students.t.example')]) });
    expect(p.unsynced[0]).toMatchObject({ person: 'student:1001', reason: 'possible-existing-account', account: 'jackc@students.t.example' });
    expect(keysOf(p, 'create').filter((k) => k.startsWith('user:'))).toEqual([]);
  });

  it('honours exclusions and blocked addresses', () => {
    const cfg = config({ exclusions: { misIds: ['student:1002'], userPrincipalNames: [], addresses: ['jackc@*'] } });
    const p = plan({ config: cfg, roster: roster([student('1001', 'Jack', 'Cole'), student('1002', 'Jack', 'Craig')]) });
    expect(p.unsynced.map((u) => [u.person, u.reason])).toEqual([['student:1001', 'blocked-address'], ['student:1002', 'excluded']]);
    expect(p.changes.filter((c) => c.kind === 'user')).toEqual([]);
  });
});

describe('matching', () => {
  it('links by work e-mail and manual match, writing the anchor', () => {
    const p = plan({
      roster: roster([staff('31', 'Ann', 'Lee', { workEmail: 'A.Lee@t.example' }), staff('32', 'Bo', 'Ng')]),
      snapshot: snapshot([account('a', 'a.lee@t.example'), account('b', 'bo@t.example')]),
      manualMatches: [{ misId: 'staff:32', userPrincipalName: 'bo@t.example', line: 2 }],
    });
    expect(p.changes.filter((c) => c.kind === 'user').map((c) => [c.key, c.action, c.after?.employeeId])).toEqual([
      ['user:staff:31', 'update', 'ts:t31'],
      ['user:staff:32', 'update', 'ts:t32'],
    ]);
  });

  it('reports two people claiming one account, and a manual match to someone else\'s account', () => {
    const p = plan({
      roster: roster([staff('31', 'Ann', 'Lee', { workEmail: 'x@t.example' }), staff('32', 'Bo', 'Ng', { workEmail: 'x@t.example' }), staff('33', 'Cy', 'Oz')]),
      snapshot: snapshot([account('x', 'x@t.example'), account('y', 'y@t.example', { employeeId: 'ts:t99' })]),
      manualMatches: [{ misId: 'staff:33', userPrincipalName: 'y@t.example', line: 2 }],
    });
    expect(p.unsynced.map((u) => [u.person, u.reason])).toEqual([['staff:31', 'conflict'], ['staff:32', 'conflict'], ['staff:33', 'conflict']]);
    expect(p.changes.filter((c) => c.kind === 'user' && c.action === 'create')).toEqual([]);
  });
});

describe('link mode', () => {
  it('never creates, suspends or deletes', () => {
    const cfg = config({ mode: 'link' });
    const gone = account('g', 'gone@t.example', { employeeId: 'ts:t77' });
    const p = plan({ config: cfg, roster: roster([staff('31', 'Ann', 'Lee'), student('1001', 'Jack', 'Cole', { endDate: '2025-07-20' })]), snapshot: snapshot([gone]) });
    const actions = new Set(p.changes.filter((c) => c.kind === 'user').map((c) => c.action));
    expect([...actions].filter((a) => ['create', 'suspend', 'delete', 'restore'].includes(a))).toEqual([]);
    expect(p.unsynced).toEqual([expect.objectContaining({ person: 'staff:31', reason: 'no-matching-account' })]);
  });
});

describe('leavers', () => {
  const managed = (id: string, anchor: string, extra: Partial<TenantUser> = {}) =>
    account(id, `${id}@students.t.example`, { employeeId: anchor, displayName: 'X', givenName: 'Jack', surname: 'Cole', employeeType: 'Student', usageLocation: 'GB', ...extra });

  it('records the leave date first, suspends after the grace period, deletes after deleteAfterDays', () => {
    const left = (end: string, extra: Partial<TenantUser> = {}) =>
      plan({ roster: roster([student('1001', 'Jack', 'Cole', { endDate: end })]), snapshot: snapshot([managed('a', 'ts:s1001', extra)]) }).changes.filter((c) => c.kind === 'user');
    expect(left('2026-02-27')).toEqual([expect.objectContaining({ action: 'update', after: { employeeLeaveDateTime: '2026-02-27T00:00:00Z' }, destructive: false })]);
    expect(left('2026-02-20')).toEqual([expect.objectContaining({ action: 'suspend', after: { accountEnabled: false, employeeLeaveDateTime: '2026-02-20T00:00:00Z' }, destructive: true })]);
    expect(left('2025-10-01', { accountEnabled: false, employeeLeaveDateTime: '2025-10-01T00:00:00Z' })).toEqual([expect.objectContaining({ action: 'delete', destructive: true })]);
    expect(left('2026-01-01', { accountEnabled: false, employeeLeaveDateTime: '2026-01-01T00:00:00Z' })).toEqual([]);
  });

  it('counts from the day it first saw a person gone when the MIS has no end date', () => {
    const first = plan({ roster: roster([]), snapshot: snapshot([managed('a', 'ts:s1001')]) });
    expect(first.changes).toEqual([expect.objectContaining({ key: 'user:student:1001', action: 'update', after: { employeeLeaveDateTime: '2026-03-02T00:00:00Z' } })]);
    const later = buildPlan({ config: config(), roster: roster([]), snapshot: snapshot([managed('a', 'ts:s1001', { employeeLeaveDateTime: '2026-03-02T00:00:00Z' })]), manualMatches: [], asOf: '2026-03-09', now: '' });
    expect(later.changes.map((c) => c.action)).toEqual(['suspend']);
  });

  it('re-enables a returning pupil instead of creating a second account', () => {
    const p = plan({ roster: roster([student('1001', 'Jack', 'Cole')]), snapshot: snapshot([managed('a', 'ts:s1001', { accountEnabled: false, employeeLeaveDateTime: '2025-07-20T00:00:00Z', displayName: 'Jack Cole' })]) });
    const userChanges = p.changes.filter((c) => c.kind === 'user');
    expect(userChanges).toEqual([expect.objectContaining({ action: 'restore', after: expect.objectContaining({ accountEnabled: true, employeeLeaveDateTime: null }) })]);
  });

  it('leaves excluded and scope-unknown people\'s accounts alone', () => {
    const cfg = config({ exclusions: { misIds: ['student:1001'], userPrincipalNames: [], addresses: [] }, students: { userPrincipalName: '{first}{last:1}@students.t.example', scope: { yearGroups: ['8'] } } });
    const p = plan({ config: cfg, roster: roster([student('1001', 'Jack', 'Cole'), student('1002', 'Amy', 'Poe', { yearGroup: undefined })]), snapshot: snapshot([managed('a', 'ts:s1001'), managed('b', 'ts:s1002')]) });
    expect(p.changes.filter((c) => c.kind === 'user')).toEqual([]);
    expect(p.unsynced.map((u) => u.reason)).toEqual(['excluded', 'scope-unknown']);
  });
});

describe('safety', () => {
  const school = Array.from({ length: 20 }, (_, i) => student(String(1000 + i), `Pupil${String.fromCharCode(97 + i)}`, 'Test'));

  it('blocks a 40 % drop in MIS people against active managed accounts', () => {
    const first = plan({ roster: roster(school) });
    const tenant = applyToSnapshot(first, snapshot());
    const p = plan({ roster: roster(school.slice(0, 12)), snapshot: tenant });
    expect(p.blocked.map((b) => b.rule)).toContain('safety.maxSourceDrop');
    expect(p.blocked.find((b) => b.rule === 'safety.maxSourceDrop')).toMatchObject({ count: 8, total: 20 });
  });

  it('blocks suspensions past the limit, naming the figures', () => {
    const cfg = config({}, { safety: { maxSuspensions: { count: 1 }, maxSourceDrop: { percent: 100 } } });
    const tenant = applyToSnapshot(plan({ config: cfg, roster: roster(school) }), snapshot());
    const gone = school.map((s, i) => (i < 3 ? { ...s, endDate: '2026-01-01' } : s));
    const p = plan({ config: cfg, roster: roster(gone), snapshot: tenant });
    expect(p.blocked).toEqual([expect.objectContaining({ rule: 'safety.maxSuspensions', count: 3, total: 20, limit: { count: 1 } })]);
  });

  it('blocks when a licence group does not exist, naming it', () => {
    const cfg = config({ staff: { userPrincipalName: '{first:1}{last}@t.example', licenseGroups: ['Licence - A3 Staff'] } });
    const p = plan({ config: cfg, roster: roster([staff('31', 'Ann', 'Lee')]) });
    expect(p.blocked).toEqual([expect.objectContaining({ rule: 'users.licenseGroups', message: expect.stringContaining('"Licence - A3 Staff" does not exist') })]);
  });
});

describe('match suggestions', async () => {
  const { desiredUsers } = await import('../policy/users.js');
  const { matchAccounts } = await import('./match.js');
  const { suggestMatches } = await import('./suggest.js');
  const { manualMatchCsv } = await import('../render/match-csv.js');
  const { parseManualMatches } = await import('../engine/manual-matches.js');

  it('ranks likely, possible and none, and writes a CSV the manual-match reader accepts', () => {
    const cfg = config({ mode: 'link' });
    const people = roster([student('1001', 'Jack', 'Cole'), student('1002', 'Amira', 'Haddad'), student('1003', 'Zed', 'Quill'), staff('31', 'Ann', 'Lee')]);
    const accounts = [
      account('a', 'jack.cole@students.t.example', { givenName: 'Jack', surname: 'Cole' }),
      account('b', 'amirah@t.example', { givenName: 'Amyra', surname: 'Haddad' }),
      account('c', 'ann.lee@t.example', { displayName: 'Ann Lee', employeeType: 'Staff' }),
      account('d', 'ann.lee2@t.example', { displayName: 'Ann Lee', employeeType: 'Staff' }),
    ];
    const policy = desiredUsers(cfg, people, asOf);
    const m = matchAccounts(policy.users, accounts, { order: ['anchor'], anchor: 'employeeId', manual: [], excludedAccounts: new Set() });
    const s = suggestMatches(policy.users, accounts, m, 'employeeId');
    expect(s.map((x) => [x.person.person.id, x.confidence, x.account?.id])).toEqual([
      ['student:1001', 'likely', 'a'],
      ['student:1002', 'possible', 'b'],
      ['student:1003', 'none', undefined],
      ['staff:31', 'possible', 'c'],
    ]);
    const csv = manualMatchCsv(s);
    // Only the likely link is a row; the possible ones are there to accept by removing their "# ".
    expect(parseManualMatches(csv, 'suggested.csv').map((r) => r.misId)).toEqual(['student:1001']);
    expect(csv).toContain('\n# staff:31,ann.lee@t.example\n');
    expect(csv).toContain('\n# student:1003,none,no unlinked account with a similar name\n');
    const accepted = csv.replace('# staff:31,', 'staff:31,');
    expect(parseManualMatches(accepted, 'suggested.csv').map((r) => [r.misId, r.userPrincipalName])).toEqual([['student:1001', 'jack.cole@students.t.example'], ['staff:31', 'ann.lee@t.example']]);
  });

  it('names the line of a bad manual-match row', () => {
    expect(() => parseManualMatches('misId,userPrincipalName\nstudent:1,a@t.example\n1002,b@t.example\n', 'm.csv')).toThrow('m.csv:3: "1002" is not a MIS id; write student:<id> or staff:<id>');
    expect(() => parseManualMatches('misId,userPrincipalName\nstudent:1,a@t.example\nstudent:1,b@t.example\n', 'm.csv')).toThrow('m.csv:3: student:1 is already matched on line 2');
    expect(() => parseManualMatches('id,upn\n', 'm.csv')).toThrow('m.csv:1: the first line must be the header');
    // Comment lines between rows (as rollcall match writes them) count: the error names the line in the file.
    expect(() => parseManualMatches('misId,userPrincipalName\n# note\nstudent:1,a@t.example\n# likely,same name\n1002,b@t.example\n', 'm.csv')).toThrow('m.csv:5: "1002" is not a MIS id');
  });
});

describe('name changes', () => {
  const existing = (extra: Partial<TenantUser> = {}) =>
    account('a', 'jackc@students.t.example', { employeeId: 'ts:s1001', displayName: 'Jack Cole', givenName: 'Jack', surname: 'Cole', employeeType: 'Student', usageLocation: 'GB', ...extra });
  const renamed = [student('1001', 'Jack', 'Zephyr')];

  it('keeps the address and updates the name with onNameChange: keep', () => {
    const p = plan({ roster: roster(renamed), snapshot: snapshot([existing()]) });
    const u = p.changes.find((c) => c.kind === 'user')!;
    expect(u.after).toEqual({ displayName: 'Jack Zephyr', surname: 'Zephyr' });
  });

  it('also gives a new address with onNameChange: rename, avoiding taken ones', () => {
    const cfg = config({ onNameChange: 'rename' });
    const p = plan({ config: cfg, roster: roster(renamed), snapshot: snapshot([existing(), account('b', 'jackz@students.t.example')]) });
    const u = p.changes.find((c) => c.kind === 'user')!;
    expect(u.after).toMatchObject({ userPrincipalName: 'jackz2@students.t.example', mailNickname: 'jackz2', displayName: 'Jack Zephyr' });
    expect(u.before).toMatchObject({ userPrincipalName: 'jackc@students.t.example' });
  });
});
