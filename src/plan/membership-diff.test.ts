// Memberships are diffed by account slot (account-slots.ts): a member's person is found by the number of its MIS id
// when that id is a plain number, by the Map otherwise. These pin what the diff must keep doing whatever the ids.
import { describe, expect, it } from 'vitest';
import type { Group, Membership } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import { buildPlan } from './build.js';
import { config, playAll, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const asOf = '2026-03-02';
// 7 and 007 are different people; A12 is no number; 1000000000 has more digits than the array takes.
const people = [
  student('7', 'Jack', 'Cole', { registrationGroup: '8A' }),
  student('007', 'Amy', 'Poe', { registrationGroup: '8A' }),
  student('A12', 'Raj', 'Iyer', { registrationGroup: '8A' }),
  student('1000000000', 'Zoe', 'Hart', { registrationGroup: '8A' }),
  staff('31', 'Ann', 'Lee'),
];
const groups: Group[] = [{ id: 'group:70', kind: 'registration', misId: '70', name: '8A' }];
const memberships: Membership[] = [
  ...people.filter((p) => p.kind === 'student').map((p) => ({ group: 'group:70' as const, person: p.id, role: 'member' as const })),
  { group: 'group:70' as const, person: 'staff:31' as const, role: 'tutor' as const },
];
const school = () => ({ ...roster(people), groups, memberships });
const withGroups = (extra: Record<string, { include?: string[]; exclude?: string[] }> = {}) => config({}, {
  groups: { from: ['registrationGroups'], type: 'security', displayName: '{name}', staffAs: 'owners', extraMembers: extra },
});
const plan = (cfg: ReturnType<typeof withGroups>, s: Snapshot) => buildPlan({ config: cfg, roster: school(), snapshot: s, manualMatches: [], asOf, now: '' });

describe('membership diff by account slot', () => {
  it('finds every member whatever its MIS id looks like: each joins once, and a second plan has nothing to do', () => {
    const first = plan(withGroups(), snapshot());
    const joins = first.changes.filter((c) => c.kind === 'membership' && c.subject.name === '8A');
    expect(joins.map((c) => `${c.action} ${c.subject.person}`).sort()).toEqual([
      'add-member student:007', 'add-member student:1000000000', 'add-member student:7', 'add-member student:A12', 'add-owner staff:31',
    ]);
    // Each member is the account made for that person, not another one's.
    for (const c of joins) expect(c.member?.createdBy).toBe(`user:${c.subject.person}`);
    expect(plan(withGroups(), playAll(first, snapshot())).changes).toEqual([]);
  });

  it('removes the member the MIS dropped and keeps the others, whatever their ids', () => {
    const tenant = playAll(plan(withGroups(), snapshot()), snapshot());
    const dropped = people.filter((p) => p.misId !== '007');
    const again = buildPlan({ config: withGroups(), roster: { ...roster(dropped), groups, memberships: memberships.filter((m) => m.person !== 'student:007') }, snapshot: tenant, manualMatches: [], asOf, now: '' });
    const memberChanges = again.changes.filter((c) => c.kind === 'membership' && c.subject.name === '8A');
    expect(memberChanges.map((c) => `${c.action} ${c.subject.person}`)).toEqual(['remove-member student:007']);
  });

  it('groups.extraMembers: an MIS member named in include joins as the extra it is named as; one named in exclude leaves', () => {
    const tenant = playAll(plan(withGroups(), snapshot()), snapshot());
    const upn = (misId: string) => tenant.users.find((u) => u.employeeId === `ts:s${misId}`)!.userPrincipalName;
    const jack = tenant.users.find((u) => u.userPrincipalName === upn('7'))!;
    const g = tenant.groups.find((x) => x.displayName === '8A')!;
    g.members = g.members.filter((id) => id !== jack.id);
    const again = plan(withGroups({ '8A': { include: [upn('7')], exclude: [upn('A12')] } }), tenant);
    const memberChanges = again.changes.filter((c) => c.kind === 'membership' && c.subject.name === '8A');
    expect(memberChanges.map((c) => ({ action: c.action, key: c.key, person: c.subject.person, reason: c.reason, member: c.member }))).toEqual([
      { action: 'add-member', key: `member:group:${g.mailNickname}:${jack.id}`, person: undefined, reason: 'groups.extraMembers includes 1 account(s)', member: { id: jack.id } },
      expect.objectContaining({ action: 'remove-member', person: 'student:A12' }),
    ]);
  });

  it('a tenant member listed twice, a device and a hand-added account are left alone as before (MIS groups count each listing, security groups each account), and a managed account listed twice is removed twice', () => {
    const tenant = playAll(plan(withGroups(), snapshot()), snapshot());
    const jack = tenant.users.find((u) => u.employeeId === 'ts:s7')!;
    const amy = tenant.users.find((u) => u.employeeId === 'ts:s007')!;
    const visitor = { id: 'u-visitor', accountEnabled: true, userPrincipalName: 'visitor@t.example', displayName: 'Sam Visitor', mailNickname: 'visitor' };
    tenant.users.push(visitor);
    const g = tenant.groups.find((x) => x.displayName === '8A')!;
    // Jack twice (wanted), a device twice, the visitor (no anchor) twice.
    g.members = [...g.members, jack.id, 'device-1', 'device-1', visitor.id, visitor.id];
    // The security group: the same.
    const sg = tenant.groups.find((x) => x.displayName === 'All Students')!;
    sg.members = [...sg.members, 'device-1', 'device-1', visitor.id, visitor.id];
    const same = plan(withGroups(), tenant);
    expect(same.changes).toEqual([]);
    expect(same.warnings).toEqual(expect.arrayContaining([
      '4 member(s) of "8A" are not managed by rollcall and were left alone',
      '2 member(s) of "All Students" are not managed by rollcall and were left alone',
    ]));
    // Amy leaves the MIS group but is listed twice: both listings go, each a removal of her account.
    g.members = [...g.members, amy.id];
    const dropped = buildPlan({ config: withGroups(), roster: { ...school(), memberships: memberships.filter((m) => m.person !== 'student:007') }, snapshot: tenant, manualMatches: [], asOf, now: '' });
    expect(dropped.changes.filter((c) => c.subject.name === '8A').map((c) => `${c.action} ${c.subject.person} ${c.member?.id}`)).toEqual([
      `remove-member student:007 ${amy.id}`, `remove-member student:007 ${amy.id}`,
    ]);
  });
});

