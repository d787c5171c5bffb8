import { describe, expect, it } from 'vitest';
import { applyToSnapshot, config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';
import type { Person } from '../roster/types.js';
import type { Snapshot, TenantSku, TenantUser } from '../tenant/types.js';
import { buildPlan, phaseOf } from './build.js';
import { refusalOf } from './refusal.js';

const asOf = '2026-03-02';
const sku = (part: string, skuId: string, enabled: number, consumed = 0): TenantSku => ({
  skuId, skuPartNumber: part, enabled, consumed,
  servicePlans: [{ servicePlanId: `${skuId}-exo`, servicePlanName: 'EXCHANGE_S_STANDARD' }, { servicePlanId: 'yammer-id', servicePlanName: 'YAMMER_EDU' }],
});
const STUDENT = 'sku-student';
const FACULTY = 'sku-faculty';
const skus = (studentUnits = 100, facultyUnits = 10, consumed = 0) => [sku('STANDARDWOFFPACK_STUDENT', STUDENT, studentUnits, consumed), sku('STANDARDWOFFPACK_FACULTY', FACULTY, facultyUnits)];
const licensed = (users: TenantUser[] = [], list: TenantSku[] | { unread: string } = skus()): Snapshot => ({
  ...snapshot(users), licences: Array.isArray(list) ? { skus: list } : list,
});
const withLicences = (extra: Record<string, unknown> = {}) => config({
  students: { userPrincipalName: '{first}{last:1}@students.t.example', usageLocation: 'GB', licences: ['STANDARDWOFFPACK_STUDENT'] },
  staff: { userPrincipalName: '{first:1}{last}@t.example', usageLocation: 'GB', licences: [{ sku: 'STANDARDWOFFPACK_FACULTY', disabledPlans: ['YAMMER_EDU'] }] },
  ...extra,
} as never);
const people = (): Person[] => [student('1001', 'Jack', 'Cole'), student('1002', 'Amy', 'Poe'), staff('31', 'Ann', 'Lee')];
const account = (id: string, upn: string, anchor: string, extra: Partial<TenantUser> = {}): TenantUser => ({
  id, userPrincipalName: upn, displayName: 'X', givenName: 'X', surname: 'Y', accountEnabled: true, employeeId: anchor,
  employeeType: anchor.includes(':s') ? 'Student' : 'Staff', usageLocation: 'GB', assignedLicenses: [], ...extra,
});
const build = (snap: Snapshot, c = withLicences(), who = people(), only?: Parameters<typeof buildPlan>[0]['only']) =>
  buildPlan({ config: c, roster: roster(who), snapshot: snap, manualMatches: [], asOf, now: '', ...(only ? { only } : {}) });
const licenceChanges = (p: ReturnType<typeof build>) => p.changes.filter((c) => c.kind === 'licence');

describe('licences assigned directly, in the plan', () => {
  it('assigns each new account its role\'s licences, with the disabled plans by id, after the create that sets its usage location', () => {
    const p = build(licensed());
    expect(licenceChanges(p).map((c) => [c.action, c.key, c.target, c.after])).toEqual([
      ['assign', 'licence:staff:31:STANDARDWOFFPACK_FACULTY', { createdBy: 'user:staff:31' }, { sku: 'STANDARDWOFFPACK_FACULTY', skuId: FACULTY, disabledPlans: ['YAMMER_EDU'], disabledPlanIds: ['yammer-id'] }],
      ['assign', 'licence:student:1001:STANDARDWOFFPACK_STUDENT', { createdBy: 'user:student:1001' }, { sku: 'STANDARDWOFFPACK_STUDENT', skuId: STUDENT, disabledPlans: [], disabledPlanIds: [] }],
      ['assign', 'licence:student:1002:STANDARDWOFFPACK_STUDENT', { createdBy: 'user:student:1002' }, { sku: 'STANDARDWOFFPACK_STUDENT', skuId: STUDENT, disabledPlans: [], disabledPlanIds: [] }],
    ]);
    const create = p.changes.find((c) => c.key === 'user:student:1001')!;
    expect(create.after).toMatchObject({ usageLocation: 'GB' });
    expect(phaseOf(licenceChanges(p)[0])).toBeGreaterThan(phaseOf(create));
    expect(phaseOf(licenceChanges(p)[0])).toBeGreaterThan(phaseOf({ kind: 'user', action: 'update' }));
    expect(p.summary.licence).toEqual({ assign: 3 });
    expect(p.blocked).toEqual([]);
  });

  it('plans nothing once the accounts hold them: a re-plan after apply is empty', () => {
    const first = build(licensed());
    expect(build(applyToSnapshot(first, licensed())).changes).toEqual([]);
  });

  it('an existing account lacking the SKU gets it, one whose disabled plans differ is updated, one that holds it is left', () => {
    const p = build(licensed([
      account('a', 'jackc@students.t.example', 'ts:s1001'),
      account('b', 'amyp@students.t.example', 'ts:s1002', { assignedLicenses: [{ skuId: STUDENT, disabledPlans: [] }] }),
      account('c', 'alee@t.example', 'ts:t31', { assignedLicenses: [{ skuId: FACULTY, disabledPlans: [] }, { skuId: 'someone-elses', disabledPlans: [] }] }),
    ]));
    expect(licenceChanges(p).map((c) => [c.action, c.key, c.before, c.after?.disabledPlans])).toEqual([
      ['update', 'licence:staff:31:STANDARDWOFFPACK_FACULTY', { sku: 'STANDARDWOFFPACK_FACULTY', disabledPlans: [] }, ['YAMMER_EDU']],
      ['assign', 'licence:student:1001:STANDARDWOFFPACK_STUDENT', undefined, []],
    ]);
    // A licence the config does not list is never touched on anyone, leaver or not.
    expect(p.changes.some((c) => JSON.stringify(c).includes('someone-elses'))).toBe(false);
  });

  it('an unknown SKU or service plan is a configuration problem naming it and listing what the tenant has', () => {
    const c = withLicences({ students: { userPrincipalName: '{first}{last:1}@students.t.example', usageLocation: 'GB', licences: ['M365EDU_A3_STUDENT', { sku: 'STANDARDWOFFPACK_STUDENT', disabledPlans: ['SWAY'] }] } });
    const p = build(licensed(), c);
    expect(p.blocked).toEqual([
      { rule: 'users.students.licences', message: 'SKU M365EDU_A3_STUDENT is not one the tenant subscribes to (it has: STANDARDWOFFPACK_FACULTY, STANDARDWOFFPACK_STUDENT)' },
      { rule: 'users.students.licences', message: 'STANDARDWOFFPACK_STUDENT has no service plan SWAY (it has: EXCHANGE_S_STANDARD, YAMMER_EDU)' },
    ]);
    expect(refusalOf(p, { checksum: p.checksum })?.approvable).toBe(false);
  });

  it('blocks the plan with the counts when the SKU has too few free units, whatever approval is given', () => {
    const who = Array.from({ length: 240 }, (_, i) => student(String(2000 + i), `Kid${String.fromCharCode(97 + (i % 26))}${i}`, `Surname${i}`));
    const p = build(licensed([], [sku('STANDARDWOFFPACK_STUDENT', STUDENT, 1500, 1300), sku('STANDARDWOFFPACK_FACULTY', FACULTY, 10)]), withLicences(), who);
    expect(licenceChanges(p)).toHaveLength(240);
    expect(p.blocked).toEqual([{ rule: 'users.licences', message: 'STANDARDWOFFPACK_STUDENT: needs 240, available 200 (1,500 enabled, 1,300 consumed): buy more, or narrow the scope', count: 240, total: 200 }]);
    expect(refusalOf(p, { checksum: p.checksum })).toMatchObject({ approvable: false });
    // Exactly enough is not blocked.
    expect(build(licensed([], [sku('STANDARDWOFFPACK_STUDENT', STUDENT, 1540, 1300), sku('STANDARDWOFFPACK_FACULTY', FACULTY, 10)]), withLicences(), who).blocked).toEqual([]);
    // One starter selected from the same plan needs one unit, not 240.
    expect(build(licensed([], [sku('STANDARDWOFFPACK_STUDENT', STUDENT, 1500, 1300), sku('STANDARDWOFFPACK_FACULTY', FACULTY, 10)]), withLicences(), who, [{ text: 'student:2000', type: 'person', person: 'student:2000' }]).blocked).toEqual([]);
  });

  it('counts the units a leaver\'s suspension frees against what the plan assigns', () => {
    const leaver = account('z', 'oldk@students.t.example', 'ts:s999', { employeeLeaveDateTime: '2026-01-01T00:00:00Z', assignedLicenses: [{ skuId: STUDENT, disabledPlans: [] }] });
    // Two new pupils, one unit free, one freed by the leaver: enough.
    const p = build(licensed([leaver], [sku('STANDARDWOFFPACK_STUDENT', STUDENT, 2, 1), sku('STANDARDWOFFPACK_FACULTY', FACULTY, 10)]));
    const units = (x: ReturnType<typeof build>) => x.blocked.filter((b) => b.rule === 'users.licences');
    expect(units(p)).toEqual([]);
    const removal = licenceChanges(p).find((c) => c.action === 'unassign')!;
    expect(removal).toMatchObject({ key: 'licence:student:999:STANDARDWOFFPACK_STUDENT', destructive: true, target: { id: 'z' }, before: { sku: 'STANDARDWOFFPACK_STUDENT', skuId: STUDENT } });
    expect(phaseOf(removal)).toBeLessThan(phaseOf(licenceChanges(p).find((c) => c.action === 'assign')!));
    // Without the leaver's unit it is one short, and the message says what was freed.
    const short = build(licensed([{ ...leaver }], [sku('STANDARDWOFFPACK_STUDENT', STUDENT, 1, 1), sku('STANDARDWOFFPACK_FACULTY', FACULTY, 10)]));
    expect(units(short).map((b) => b.message)).toEqual(['STANDARDWOFFPACK_STUDENT: needs 1 (2 assigned, 1 freed), available 0 (1 enabled, 1 consumed): buy more, or narrow the scope']);
  });

  it('removes licences only from rollcall\'s own leavers once suspended, only SKUs the config lists, never from others', () => {
    const held = (extra: Partial<TenantUser> = {}) => ({ assignedLicenses: [{ skuId: STUDENT, disabledPlans: [] }, { skuId: 'other-sku', disabledPlans: [] }], ...extra });
    const users = [
      // Left, grace period over: suspended by this plan, licence removed with it.
      account('due', 'due@students.t.example', 'ts:s901', held({ employeeLeaveDateTime: '2026-01-01T00:00:00Z' })),
      // Left, still in the grace period: keeps everything.
      account('grace', 'grace@students.t.example', 'ts:s902', held({ employeeLeaveDateTime: '2026-03-01T00:00:00Z' })),
      // Suspended earlier (before licences were configured): its licence goes now.
      account('gone', 'gone@students.t.example', 'ts:s903', held({ accountEnabled: false, employeeLeaveDateTime: '2026-02-01T00:00:00Z' })),
      // Another school's account, and an unanchored one: never rollcall's.
      account('other', 'x@students.t.example', 'zz:s904', held({ accountEnabled: false })),
      account('hand', 'y@students.t.example', '', held({ accountEnabled: false, employeeId: null })),
      // Excluded by address: hands off even though anchored and suspended.
      account('excl', 'excluded@students.t.example', 'ts:s905', held({ accountEnabled: false })),
    ];
    const c = withLicences({ exclusions: { misIds: [], userPrincipalNames: ['excluded@students.t.example'], addresses: [] } });
    const p = build(licensed(users), c, []);
    const removals = licenceChanges(p).filter((x) => x.action === 'unassign');
    expect(removals.map((x) => [x.key, x.target?.id])).toEqual([
      ['licence:student:901:STANDARDWOFFPACK_STUDENT', 'due'],
      ['licence:student:903:STANDARDWOFFPACK_STUDENT', 'gone'],
    ]);
    expect(p.changes.find((x) => x.key === 'user:student:901')!.action).toBe('suspend');
    expect(removals.every((x) => x.destructive)).toBe(true);
    expect(build(applyToSnapshot(p, licensed(users)), c, []).changes.filter((x) => x.kind === 'licence')).toEqual([]);

    // leavers.licences: keep leaves them; action: delete frees them by deleting, so nothing separate is planned.
    const keep = withLicences({ exclusions: c.users.exclusions, leavers: { action: 'suspend', graceDays: 7, licences: 'keep' } });
    expect(licenceChanges(build(licensed(users), keep, []))).toEqual([]);
    const del = withLicences({ exclusions: c.users.exclusions, leavers: { action: 'delete', graceDays: 7 } });
    const deleting = build(licensed(users), del, []);
    expect(deleting.changes.find((x) => x.key === 'user:student:901')!.action).toBe('delete');
    expect(licenceChanges(deleting).map((x) => x.target?.id)).toEqual(['gone']);
    // Link mode never suspends, so it never takes a licence back.
    expect(licenceChanges(build(licensed(users), withLicences({ mode: 'link', exclusions: c.users.exclusions }), [])).filter((x) => x.action === 'unassign')).toEqual([]);
  });

  it('an account excluded by an address in another case or by a pattern keeps its licences, as one excluded as written', () => {
    const held = { assignedLicenses: [{ skuId: STUDENT, disabledPlans: [] }], accountEnabled: false, employeeLeaveDateTime: '2026-02-01T00:00:00Z' };
    const users = [
      account('gone', 'gone@students.t.example', 'ts:s903', held),
      account('case', 'Excluded@Students.T.example', 'ts:s905', held),
      account('pattern', 'keep-me@students.t.example', 'ts:s906', held),
    ];
    const c = withLicences({ exclusions: { misIds: [], userPrincipalNames: ['excluded@students.t.example'], addresses: ['keep-*@students.t.example'] } });
    const removals = licenceChanges(build(licensed(users), c, [])).filter((x) => x.action === 'unassign');
    expect(removals.map((x) => x.target?.id)).toEqual(['gone']);
  });

  it('a returning leaver whose licence was removed gets it back with the restore', () => {
    const back = account('r', 'jackc@students.t.example', 'ts:s1001', { accountEnabled: false, employeeLeaveDateTime: '2026-01-01T00:00:00Z' });
    const p = build(licensed([back]), withLicences(), [student('1001', 'Jack', 'Cole')]);
    expect(p.changes.map((c) => [c.action, c.key])).toEqual([['restore', 'user:student:1001'], ['assign', 'licence:student:1001:STANDARDWOFFPACK_STUDENT']]);
  });

  it('holds every licence change, saying why, when the SKUs could not be read; accounts are still created', () => {
    const p = build(licensed([], { unread: 'reading subscribed SKUs (page 1): 403 Authorization_RequestDenied' }));
    expect(licenceChanges(p)).toEqual([]);
    expect(p.changes.filter((c) => c.kind === 'user' && c.action === 'create')).toHaveLength(3);
    expect(p.warnings).toContain('licences held: /subscribedSkus could not be read, so no licence is assigned or removed until it can; 3 accounts that should hold licences are created or kept without them meanwhile (reading subscribed SKUs (page 1): 403 Authorization_RequestDenied)');
  });

  it('waits, saying so, for an account without a usage location that this plan does not give one (link mode)', () => {
    const linked = account('a', 'jackc@students.t.example', 'ts:s1001', { usageLocation: null });
    const p = build(licensed([linked]), withLicences({ mode: 'link' }), [student('1001', 'Jack', 'Cole')]);
    expect(licenceChanges(p)).toEqual([]);
    expect(p.warnings).toContain('1 account has no usageLocation, which Graph needs before a licence: their licences wait until the account has one');
    // In create mode the update that writes the usage location comes first, then the licence.
    const created = build(licensed([linked]), withLicences(), [student('1001', 'Jack', 'Cole')]);
    expect(created.changes.map((c) => [c.action, c.key, c.after?.usageLocation ?? c.after?.sku])).toEqual([['update', 'user:student:1001', 'GB'], ['assign', 'licence:student:1001:STANDARDWOFFPACK_STUDENT', 'STANDARDWOFFPACK_STUDENT']]);
  });

  it('a configuration without licences reads and plans none', () => {
    const p = build(snapshot([account('a', 'jackc@students.t.example', 'ts:s1001', { assignedLicenses: undefined, accountEnabled: false })]), config(), []);
    expect(licenceChanges(p)).toEqual([]);
  });
});
