// Rollover deletes nothing that holds school data: groups.onEnd keep | archive | delete (issue 12.4).
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../config/schema.js';
import type { Group, Membership } from '../roster/types.js';
import type { TenantGroup } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const lastYear = '2026-06-15';
const nextYear = '2026-09-07';
const people = [student('1001', 'Jack', 'Cole', { yearGroup: '8' }), student('1002', 'Amy', 'Poe', { yearGroup: '8' }), staff('31', 'Ann', 'Lee')];
const form = (misId: string, name: string): Group => ({ id: `group:${misId}`, kind: 'registration', misId, name });
const inForm = (g: `group:${string}`): Membership[] => [
  { group: g, person: 'student:1001', role: 'member' },
  { group: g, person: 'student:1002', role: 'member' },
  { group: g, person: 'staff:31', role: 'tutor' },
];
// Tutor groups are new MIS groups each year: 8A (id 70) in 2025-26, 9A (id 90) in 2026-27.
const year1 = { ...roster(people), groups: [form('70', '8A')], memberships: inForm('group:70') };
const year2 = { ...roster(people), groups: [form('90', '9A')], memberships: inForm('group:90') };
const cfg = (onEnd?: 'keep' | 'archive' | 'delete') => config({}, {
  groups: { from: ['registrationGroups'], type: 'microsoft365', displayName: '{academicYear} {name}', staffAs: 'owners', ...(onEnd ? { onEnd } : {}) },
});
const plan = (c: ReturnType<typeof cfg>, over: Partial<PlanInput>) => buildPlan({ config: c, roster: year1, snapshot: snapshot(), manualMatches: [], asOf: lastYear, now: '', ...over });

function rehearse(onEnd?: 'keep' | 'archive' | 'delete') {
  const c = cfg(onEnd);
  const tenant = playAll(plan(c, {}), snapshot());
  const form8A = tenant.groups.find((g) => g.displayName === '2025-26 8A')!;
  expect(form8A.members).toHaveLength(2);
  const rollover = plan(c, { roster: year2, snapshot: tenant, asOf: nextYear });
  return { c, tenant, form8A, rollover, about8A: rollover.changes.filter((x) => x.target?.id === form8A.id || x.group?.id === form8A.id) };
}

describe('at rollover, a tutor group the MIS no longer has', () => {
  it('is kept by default: no deletion, its members stay; rollcall only records in the mark that it let the group go', () => {
    const { rollover, about8A, form8A } = rehearse();
    expect(rollover.changes.filter((x) => x.action === 'delete')).toEqual([]);
    expect(about8A).toEqual([expect.objectContaining({ action: 'update', kind: 'group', destructive: false, after: { description: '8A (registration group) [rollcall:ts:released 2025-26]' } })]);
    expect(form8A.description).toBe('8A (registration group) [rollcall:ts:group]');
    expect(rollover.changes.some((x) => x.action === 'create' && x.subject.name === '2026-27 9A')).toBe(true);
  });

  it('stays let go on later runs: not deleted when onEnd becomes delete, not adopted again when the MIS brings its group back', () => {
    const { rollover, tenant, form8A } = rehearse('keep');
    const after = playAll(rollover, tenant);
    // The school changes its mind about onEnd: what rollcall let go is no longer its to delete.
    const later = plan(cfg('delete'), { roster: year2, snapshot: after, asOf: '2026-09-08' });
    expect(later.changes).toEqual([]);
    // The MIS lists 8A (id 70) again: its address is held by the group rollcall let go, which stays the school's.
    const back = plan(cfg('keep'), { roster: { ...year2, groups: [...year2.groups, form('70', '8A')], memberships: [...year2.memberships, ...inForm('group:70')] }, snapshot: after, asOf: '2026-09-08' });
    expect(back.changes.filter((x) => x.target?.id === form8A.id || x.group?.id === form8A.id || x.key === 'group:ts-registration-70')).toEqual([]);
    expect(back.warnings.join('\n')).toMatch(/ts-registration-70 .*rollcall let it go when it ended/);
  });

  it('is archived with onEnd: archive: renamed with its academic year, rollcall\'s members removed (owners stay), hidden from the address list; then let go', () => {
    const { rollover, about8A, tenant, form8A } = rehearse('archive');
    const byAction = Object.fromEntries(about8A.map((x) => [`${x.action}${x.after?.hideFromAddressLists ? ':hide' : ''}`, x]));
    expect(Object.keys(byAction).sort()).toEqual(['archive', 'remove-member', 'update:hide']);
    expect(about8A.filter((x) => x.action === 'remove-member')).toHaveLength(2);
    expect(about8A.some((x) => x.action === 'remove-owner')).toBe(false);
    expect(byAction.archive).toMatchObject({ kind: 'group', destructive: true, after: { displayName: '2025-26 8A', description: '8A (registration group) [rollcall:ts:released 2025-26]' } });
    expect(byAction['update:hide'].after).toEqual({ hideFromAddressLists: true });
    expect(rollover.changes.filter((x) => x.action === 'delete')).toEqual([]);
    const ajv = new Ajv({ strict: true, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
    const validate = ajv.compile(loadSchema('plan.schema.json'));
    expect(validate({ ...rollover, createdAt: '2026-09-07T06:00:00Z' }) ? [] : validate.errors).toEqual([]);
    const after = playAll(rollover, tenant);
    expect(after.groups.find((g) => g.id === form8A.id)!.members).toEqual([]);
    expect(after.groups.find((g) => g.id === form8A.id)!.owners).toHaveLength(1);
    expect(plan(cfg('archive'), { roster: year2, snapshot: after, asOf: '2026-09-08' }).changes).toEqual([]);
  });

  it('adds the academic year to a name that lacks it, from the MIS end date when the MIS still lists the group', () => {
    const c = config({}, { groups: { from: ['registrationGroups'], type: 'microsoft365', displayName: '{name}', onEnd: 'archive' } });
    const tenant = playAll(plan(c, {}), snapshot());
    const ended = { ...year1, groups: [{ ...form('70', '8A'), endDate: '2026-07-20' }] };
    const p = plan(c, { roster: ended, snapshot: tenant, asOf: '2026-10-01' });
    expect(p.changes.find((x) => x.action === 'archive')!.after).toMatchObject({ displayName: '8A (2025-26)' });
  });

  it('is deleted with onEnd: delete, as a deletion counted by safety.maxDeletions', () => {
    const { rollover, about8A } = rehearse('delete');
    expect(about8A).toEqual([expect.objectContaining({ action: 'delete', kind: 'group', destructive: true })]);
    expect(rollover.blocked.map((b) => b.rule)).toEqual([]);
  });

  it('a security-type group is archived without the address-list step (Graph has it only on Microsoft 365 groups)', () => {
    const c = config({}, { groups: { from: ['registrationGroups'], type: 'security', displayName: '{name}', onEnd: 'archive' } });
    const tenant = playAll(plan(c, {}), snapshot());
    const g = tenant.groups.find((x: TenantGroup) => x.displayName === '8A')!;
    const p = plan(c, { roster: year2, snapshot: tenant, asOf: nextYear });
    expect(p.changes.filter((x) => x.target?.id === g.id).map((x) => x.action)).toEqual(['archive']);
  });
});
