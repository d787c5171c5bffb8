// Issue 12.2: a first sync in a school that already has accounts must not make a second account for anyone.
import { describe, expect, it } from 'vitest';
import { parseAddressOverrides, parseManualMatches } from '../engine/manual-matches.js';
import type { TenantUser } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import { NO_WORK_EMAIL } from './config-warnings.js';
import { config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
const plan = (over: Partial<PlanInput>) => buildPlan({ config: config(), roster: roster([]), snapshot: snapshot(), manualMatches: [], asOf, now: '', ...over });
// These rosters carry no e-mails, which the plan rightly says first; the tests here are about the other warnings.
const otherWarnings = (p: ReturnType<typeof plan>) => p.warnings.filter((w) => !w.startsWith(NO_WORK_EMAIL));
const userChanges = (p: ReturnType<typeof plan>) => p.changes.filter((c) => c.kind === 'user' && c.subject.person !== 'student:1' && c.subject.person !== 'student:9999').map((c) => [c.key, c.action, c.after?.userPrincipalName ?? c.target?.id]);

function account(id: string, upn: string, extra: Partial<TenantUser> = {}): TenantUser {
  return { id, userPrincipalName: upn, displayName: upn, accountEnabled: true, ...extra };
}

const ava = student('1042', 'Ava', 'Edwards');
const existingAva = account('ava', 'ava.edwards@students.t.example', { displayName: 'Ava Edwards' });
const rows = (text: string) => parseManualMatches(`misId,userPrincipalName\n${text}`, 'users.csv');

describe('a person who may already have an account', () => {
  it('is held, not created, with the candidate named, when an unlinked account has the same name', () => {
    const p = plan({ roster: roster([ava, student('1043', 'Ben', 'Fox')]), snapshot: snapshot([existingAva]) });
    expect(userChanges(p)).toEqual([['user:student:1043', 'create', 'benf@students.t.example']]);
    expect(p.unsynced).toEqual([expect.objectContaining({ person: 'student:1042', reason: 'possible-existing-account', account: 'ava.edwards@students.t.example' })]);
    expect(p.unsynced[0].detail).toContain('student:1042,create');
    // Nothing of hers is planned: no memberships for an account that does not exist.
    expect(p.changes.filter((c) => c.subject.person === 'student:1042')).toEqual([]);
  });

  it('is held on a preferred name, on the account\'s address alone, on the template\'s address and on the MIS e-mail', () => {
    const preferred = student('1042', 'Avaline', 'Edwards', { preferred: { first: 'Ava' } });
    expect(plan({ roster: roster([preferred]), snapshot: snapshot([existingAva]) }).unsynced.map((u) => u.reason)).toEqual(['possible-existing-account']);
    const byAddress = account('x', 'ava.edwards@students.t.example'); // no name on the account, only its address
    expect(plan({ roster: roster([ava]), snapshot: snapshot([byAddress]) }).unsynced.map((u) => u.account)).toEqual(['ava.edwards@students.t.example']);
    const template = account('y', 'avae@students.t.example', { displayName: 'Someone Else' });
    expect(plan({ roster: roster([ava]), snapshot: snapshot([template]) }).unsynced[0]).toMatchObject({ reason: 'possible-existing-account', detail: expect.stringContaining('already holds the address the template gives') });
    const cfg = config({ match: ['anchor', 'manual'] });
    const mail = account('z', 'a.e@t.example', { displayName: 'A E', mail: 'ava@t.example' });
    const p = plan({ config: cfg, roster: roster([{ ...ava, workEmail: 'Ava@t.example' }]), snapshot: snapshot([mail]) });
    expect(p.unsynced[0]).toMatchObject({ reason: 'possible-existing-account', account: 'a.e@t.example' });
  });

  it('is not held by a managed account, an account outside tenant.domains, or an account linked to someone else', () => {
    const managed = account('m', 'ava.edwards@students.t.example', { displayName: 'Ava Edwards', employeeId: 'ts:s9999' });
    const elsewhere = account('o', 'ava.edwards@other.example', { displayName: 'Ava Edwards' });
    const p = plan({ roster: roster([ava]), snapshot: snapshot([managed, elsewhere]) });
    expect(userChanges(p)).toEqual([['user:student:1042', 'create', 'avae@students.t.example']]);
    expect(p.unsynced).toEqual([]);
    // Her twin's work e-mail links the one Ava Edwards account to the twin, so Ava herself is created.
    const twin = staff('7', 'Ava', 'Edwards', { workEmail: 'ava.edwards@students.t.example' });
    const q = plan({ roster: roster([ava, twin]), snapshot: snapshot([existingAva]) });
    expect(userChanges(q)).toEqual([['user:student:1042', 'create', 'avae@students.t.example'], ['user:staff:7', 'update', 'ava']]);
  });

  it('is linked by a manual match: an update of the existing account, no create', () => {
    const p = plan({ roster: roster([ava]), snapshot: snapshot([existingAva]), manualMatches: rows('student:1042,ava.edwards@students.t.example\n') });
    expect(userChanges(p)).toEqual([['user:student:1042', 'update', 'ava']]);
    expect(p.changes.find((c) => c.key === 'user:student:1042')?.after).toMatchObject({ employeeId: 'ts:s1042' });
    expect(p.unsynced).toEqual([]);
  });

  it('is created when a manual-match row says create, with the next free address', () => {
    const held = account('y', 'avae@students.t.example', { displayName: 'Ava Edwards' });
    const p = plan({ roster: roster([ava]), snapshot: snapshot([held]), manualMatches: rows('student:1042,create\n') });
    expect(userChanges(p)).toEqual([['user:student:1042', 'create', 'avae2@students.t.example']]);
    expect(p.unsynced).toEqual([]);
  });
});

describe('manual-match rows that disagree', () => {
  const anchored = account('a', 'avae@students.t.example', { displayName: 'Ava Edwards', givenName: 'Ava', surname: 'Edwards', employeeId: 'ts:s1042', employeeType: 'Student', usageLocation: 'GB' });

  it('a row that contradicts the anchor is a conflict, and her account is left alone', () => {
    for (const order of [['anchor', 'workEmail', 'manual'], ['manual', 'anchor']] as const) {
      const p = plan({ config: config({ match: [...order] }), roster: roster([{ ...ava, legal: { first: 'Ava', last: 'Edwards-Cole' } }]), snapshot: snapshot([anchored, existingAva]), manualMatches: rows('student:1042,ava.edwards@students.t.example\n') });
      expect(p.unsynced).toEqual([expect.objectContaining({ person: 'student:1042', reason: 'conflict', detail: expect.stringContaining('users.manualMatches line 2 names ava.edwards@students.t.example, but student:1042 is anchored to avae@students.t.example') })]);
      expect(p.changes).toEqual([]);
    }
  });

  it('a row naming an account anchored to another person is a conflict, even for a person matched by anchor', () => {
    const other = account('b', 'bo@t.example', { employeeId: 'ts:t31' });
    const p = plan({ roster: roster([ava]), snapshot: snapshot([anchored, other]), manualMatches: rows('student:1042,bo@t.example\n') });
    expect(p.unsynced.map((u) => [u.person, u.reason])).toEqual([['student:1042', 'conflict']]);
    const q = plan({ roster: roster([ava]), snapshot: snapshot([other]), manualMatches: rows('student:1042,bo@t.example\n') });
    expect(q.unsynced[0]).toMatchObject({ reason: 'conflict', detail: expect.stringContaining('anchored to ts:t31') });
  });

  it('a row naming no account is a conflict (never a create), or a warning once the person is linked anyway', () => {
    const p = plan({ roster: roster([ava]), manualMatches: rows('student:1042,gone@students.t.example\n') });
    expect(p.unsynced).toEqual([expect.objectContaining({ reason: 'conflict', detail: 'users.manualMatches line 2: no account gone@students.t.example in the tenant' })]);
    expect(p.changes).toEqual([]);
    const q = plan({ roster: roster([ava]), snapshot: snapshot([anchored]), manualMatches: rows('student:1042,gone@students.t.example\n') });
    expect(q.unsynced).toEqual([]);
    expect(otherWarnings(q)).toEqual([expect.stringContaining('users.manualMatches line 2: no account gone@students.t.example')]);
  });

  it('a create row is satisfied by the account it created, and contradicted by a work e-mail match', () => {
    const done = plan({ roster: roster([ava]), snapshot: snapshot([anchored]), manualMatches: rows('student:1042,create\n') });
    expect([userChanges(done), done.unsynced]).toEqual([[], []]);
    const p = plan({ roster: roster([{ ...ava, workEmail: 'ava.edwards@students.t.example' }]), snapshot: snapshot([existingAva]), manualMatches: rows('student:1042,create\n') });
    expect(p.unsynced[0]).toMatchObject({ reason: 'conflict', detail: expect.stringContaining('says create') });
    expect(p.changes).toEqual([]);
  });

  it('a row for someone not in the MIS is a warning naming its line', () => {
    const p = plan({ roster: roster([ava]), manualMatches: rows('student:1042,create\nstudent:7777,x@t.example\n') });
    expect(otherWarnings(p)).toEqual(['users.manualMatches line 3: no one in the MIS in scope has that id, so the row is not used']);
  });

  it('a row naming an excluded account is a conflict', () => {
    const cfg = config({ exclusions: { misIds: [], userPrincipalNames: ['ava.edwards@students.t.example'], addresses: [] } });
    const p = plan({ config: cfg, roster: roster([ava]), snapshot: snapshot([existingAva]), manualMatches: rows('student:1042,ava.edwards@students.t.example\n') });
    expect(p.unsynced[0]).toMatchObject({ reason: 'conflict', detail: expect.stringContaining('users.exclusions') });
    expect(p.changes).toEqual([]);
  });
});

describe('a name with no letters a-z', () => {
  const li = student('1003', '李', '王');

  it('is linked by a manual match', () => {
    const acct = account('l', 'wang.li@students.t.example', { displayName: 'Wang Li' });
    const p = plan({ roster: roster([li]), snapshot: snapshot([acct]), manualMatches: rows('student:1003,wang.li@students.t.example\n') });
    expect(p.unsynced).toEqual([]);
    expect(userChanges(p)).toEqual([['user:student:1003', 'update', 'l']]);
  });

  it('is created with the address users.addressOverrides gives, exactly', () => {
    const overrides = parseAddressOverrides('misId,userPrincipalName\nstudent:1003,wangl@students.t.example\n', 'addresses.csv', ['t.example', 'students.t.example']);
    const p = plan({ roster: roster([li]), addressOverrides: overrides });
    expect(userChanges(p)).toEqual([['user:student:1003', 'create', 'wangl@students.t.example']]);
    const taken = plan({ roster: roster([li]), snapshot: snapshot([account('w', 'wangl@students.t.example', { employeeId: 'ts:s1' })]), addressOverrides: overrides });
    expect(taken.unsynced[0]).toMatchObject({ reason: 'conflict', detail: 'users.addressOverrides gives wangl@students.t.example, which another account already holds' });
    expect(userChanges(taken)).toEqual([]);
  });
});

describe('the manual-match and address-override readers', () => {
  it('read create rows and name the line of a bad one', () => {
    expect(rows('student:1,create\nstaff:2,a@t.example\n')).toEqual([{ misId: 'student:1', create: true, line: 2 }, { misId: 'staff:2', userPrincipalName: 'a@t.example', line: 3 }]);
    expect(() => rows('student:1,make\n')).toThrow('users.csv:2: "make" is not an address or create');
  });

  it('refuse an override outside tenant.domains, naming the line', () => {
    expect(() => parseAddressOverrides('misId,userPrincipalName\nstudent:1,a@t.example\nstudent:2,b@elsewhere.example\n', 'o.csv', ['t.example'])).toThrow('o.csv:3: b@elsewhere.example is not in tenant.domains (t.example)');
  });
});

describe('a plan with held people', async () => {
  const { renderPlan } = await import('../render/index.js');
  it('says so at the top, in text and markdown, and points to rollcall match', () => {
    const p = plan({ roster: roster([ava]), snapshot: snapshot([existingAva]) });
    const at = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(l));
    const HELD = /1 person held: a possible existing account.*rollcall match/i;
    const md = renderPlan(p, { format: 'markdown', personalData: 'full' }).split('\n');
    expect(at(md, HELD)).toBeGreaterThan(0);
    expect(at(md, HELD)).toBeLessThan(at(md, /\| kind|No changes/));
    // Text: the summary comes first (issue 15), the held line right after it, before any list.
    const text = renderPlan(p, { format: 'text', personalData: 'full' }).split('\n');
    expect(at(text, HELD)).toBeGreaterThan(at(text, /^Summary/));
    expect(at(text, HELD)).toBeLessThan(at(text, /^Not synced/));
  });
});
