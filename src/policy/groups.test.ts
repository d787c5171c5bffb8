import { describe, expect, it } from 'vitest';
import type { Group, Membership } from '../roster/types.js';
import { config, roster, student } from '../../test/support/plan-kit.js';
import { desiredGroups, groupNickname } from './groups.js';
import { nickname } from './nickname.js';

describe('groupNickname', () => {
  it('is what nickname() makes of a rendered template, whether it takes the short way or not', () => {
    const rendered = [
      'ts-registration-100', 'ts-teaching-7a-ma1', 'a', '0-1-2', `ts-${'x'.repeat(61)}`, `ts-${'x'.repeat(62)}`, `ts-${'x'.repeat(60)}-y`,
      'TS-Registration-100', 'ts--teaching', '-ts-x', 'ts-x-', 'ts_x', 'ts x', 'ts-zoë', 'ts-٣', 'ts-x.y', '', '-',
    ];
    for (const r of rendered) expect(groupNickname(r), r).toBe(nickname(r));
  });
});

describe('desiredGroups', () => {
  it('a group whose MIS name is also the name of an Object property (constructor, toString) has no extra members', () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
    const groups: Group[] = names.map((name, i) => ({ id: `group:${i + 1}`, kind: 'registration', misId: String(i + 1), name }));
    const memberships: Membership[] = groups.map((g) => ({ group: g.id, person: 'student:1', role: 'member' }));
    const cfg = config({}, { groups: { from: ['registrationGroups'], type: 'security', displayName: '{name}', extraMembers: { toString: { include: ['a@t.example'], exclude: [] } } } });
    const out = desiredGroups(cfg, { ...roster([student('1', 'Jack', 'Cole')]), groups, memberships }, '2026-03-02');
    expect(out.groups.map((g) => [g.name, g.members, g.extraMembers.include, g.extraMembers.exclude, g.mappedTo])).toEqual([
      ['constructor', ['student:1'], [], [], undefined],
      ['toString', ['student:1'], ['a@t.example'], [], undefined],
      ['__proto__', ['student:1'], [], [], undefined],
      ['hasOwnProperty', ['student:1'], [], [], undefined],
    ]);
  });
});
