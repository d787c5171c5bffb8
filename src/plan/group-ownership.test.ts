// rollcall's own groups are recognised by a mark read from the bulk list, not only by a nickname prefix (issue 12.6).
import { resolveConfig } from '../config/load.js';
import { describe, expect, it } from 'vitest';
import type { Group, Membership } from '../roster/types.js';
import type { Snapshot, TenantGroup } from '../tenant/types.js';
import { buildPlan, type PlanInput } from './build.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
const people = [
  student('1001', 'Jack', 'Cole', { yearGroup: '8', registrationGroup: '8A' }),
  student('1002', 'Amy', 'Poe', { yearGroup: '8', registrationGroup: '8A' }),
  student('1003', 'Raj', 'Iyer', { yearGroup: '9', registrationGroup: '9B' }),
  staff('31', 'Ann', 'Lee'),
];
const groups: Group[] = [
  { id: 'group:year:8', kind: 'year', misId: 'year:8', name: 'Year 8' },
  { id: 'group:70', kind: 'registration', misId: '70', name: '8A' },
  { id: 'group:71', kind: 'registration', misId: '71', name: '9B' },
  { id: 'group:455', kind: 'teaching', misId: '455', name: '8A/Ma1', subject: 'Maths' },
  { id: 'group:456', kind: 'teaching', misId: '456', name: '9B/En1', subject: 'English' },
];
const memberships: Membership[] = [
  { group: 'group:year:8', person: 'student:1001', role: 'member' },
  { group: 'group:year:8', person: 'student:1002', role: 'member' },
  { group: 'group:70', person: 'student:1001', role: 'member' },
  { group: 'group:70', person: 'student:1002', role: 'member' },
  { group: 'group:70', person: 'staff:31', role: 'tutor' },
  { group: 'group:71', person: 'student:1003', role: 'member' },
  { group: 'group:455', person: 'student:1001', role: 'member' },
  { group: 'group:455', person: 'staff:31', role: 'teacher' },
  { group: 'group:456', person: 'student:1003', role: 'member' },
  { group: 'group:456', person: 'staff:31', role: 'teacher' },
];
const school = () => ({ ...roster(people), groups, memberships });
const withNickname = (mailNickname: string) => config({}, {
  tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true },
  groups: { from: ['yearGroups', 'registrationGroups'], type: 'microsoft365', displayName: '{name}', staffAs: 'owners', mailNickname },
  classes: { from: ['teachingGroups'], displayName: '{academicYear}-{name}', team: true, onEnd: 'archive' },
});
const edu = (s: Snapshot): Snapshot => ({ ...s, education: true });
const plan = (cfg: ReturnType<typeof withNickname>, over: Partial<PlanInput> = {}) =>
  buildPlan({ config: cfg, roster: school(), snapshot: edu(snapshot()), manualMatches: [], asOf, now: '', ...over });

describe('a mailNickname template whose prefix every rollcall group shares', () => {
  for (const template of ['{schoolKey}-{academicYear}-{misId}', '{schoolKey}-{name}', '{name}-{schoolKey}']) {
    it(`${template}: apply, then plan again: nothing to do (no class or security group deleted, no group made twice)`, () => {
      const cfg = withNickname(template);
      const first = plan(cfg);
      expect(first.changes.filter((c) => c.kind === 'group' && c.action === 'create').length).toBe(3 + 4); // 3 MIS groups, 4 security groups
      const tenant = playAll(first, edu(snapshot()));
      expect(tenant.groups.length).toBe(3 + 4 + 2); // and 2 classes, which are groups too
      const again = plan(cfg, { snapshot: tenant });
      expect(again.changes.map((c) => `${c.action} ${c.kind} ${c.subject.name}`)).toEqual([]);
      expect(again.blocked).toEqual([]);
    });
  }

  it('leaves alone a group that has rollcall\'s address but not its mark, and says so, instead of making another', () => {
    const cfg = withNickname('{schoolKey}-{kind}-{misId}');
    const tenant = playAll(plan(cfg), edu(snapshot()));
    // An owner rewrote the description in Teams: the mark is gone.
    const g = tenant.groups.find((x) => x.displayName === '8A')!;
    g.description = 'Our form group';
    const again = plan(cfg, { snapshot: tenant });
    expect(again.changes.filter((c) => c.kind === 'group' || c.group?.name === '8A')).toEqual([]);
    expect(again.warnings.join('\n')).toMatch(/ts-registration-70.*does not carry rollcall's mark/);
  });

  it('recognises groups made before the mark by their old description, and writes the mark onto them', () => {
    const cfg = withNickname('{schoolKey}-{kind}-{misId}');
    const tenant = playAll(plan(cfg), edu(snapshot()));
    for (const g of tenant.groups) {
      if (g.mailNickname.startsWith('ts-year-') || g.mailNickname.startsWith('ts-registration-')) g.description = g.description!.replace(/ \[rollcall:ts:group\]$/, '').replace(/\) \(/, ' (').replace(/ group\)$/, ' group, managed by rollcall)');
      if (g.mailNickname.startsWith('ts-sg-')) g.description = 'Managed by rollcall for Test School';
    }
    expect(tenant.groups.some((g) => g.description?.includes('[rollcall:'))).toBe(false);
    const again = plan(cfg, { snapshot: tenant });
    expect(again.changes.every((c) => c.kind === 'group' && c.action === 'update' && /\[rollcall:ts:(group|sg)\]$/.test(String(c.after?.description)))).toBe(true);
    expect(again.changes.length).toBe(7);
    const settled = plan(cfg, { snapshot: playAll(again, tenant) });
    expect(settled.changes).toEqual([]);
  });

  it('never claims a group of another school in the same tenant, even with the same nickname prefix', () => {
    const cfg = withNickname('{schoolKey}-{kind}-{misId}');
    const tenant = playAll(plan(cfg), edu(snapshot()));
    const other: TenantGroup = { id: 'o1', displayName: 'Year 10', mailNickname: 'ts-year-year-10', description: 'Year 10 (year group) [rollcall:tsb:group]', groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true, members: [], owners: [] };
    const again = plan(cfg, { snapshot: { ...tenant, groups: [...tenant.groups, other] } });
    expect(again.changes).toEqual([]);
  });

  it('counts only groups rollcall manages as the base of safety.maxDeletions, not every group whose nickname starts with the key', () => {
    const cfg = withNickname('{schoolKey}-{kind}-{misId}');
    const tenant = playAll(plan(cfg), edu(snapshot()));
    const lookalikes: TenantGroup[] = Array.from({ length: 100 }, (_, i) => ({ id: `x${i}`, displayName: `TS Club ${i}`, mailNickname: `ts-club-${i}`, description: 'a club', groupTypes: ['Unified'], securityEnabled: false, mailEnabled: true, members: [], owners: [] }));
    const noYear8 = { ...school(), groups: groups.filter((g) => g.id !== 'group:year:8'), memberships: memberships.filter((m) => m.group !== 'group:year:8') };
    const p = plan(resolveConfig({ ...cfg, groups: { ...cfg.groups, onEnd: 'delete' }, safety: { maxDeletions: { percent: 5 } } }), { roster: noYear8, snapshot: { ...tenant, groups: [...tenant.groups, ...lookalikes] } });
    // 4 accounts, 3 MIS groups, 4 security groups and 2 classes: 1 deletion of 13 is past 5%.
    expect(p.blocked).toEqual([expect.objectContaining({ rule: 'safety.maxDeletions', count: 1, total: 13 })]);
  });
});
