// Applying a delta round: Graph's rules as the docs state them, including what the emulator does not produce on its
// own (a partial update, replays, a removal and a re-add in one round).
import { describe, expect, it } from 'vitest';
import type { TenantGroup, TenantUser } from '../types.js';
import { applyGroupChanges, applyUserChanges, fromUser, withoutDeleted } from './delta-apply.js';
import { toUser } from './reader.js';

const inDomains = (upn: string) => upn.endsWith('@school.test');
const ada: TenantUser = {
  id: 'u1', userPrincipalName: 'ada@school.test', displayName: 'Ada L', givenName: 'Ada', surname: 'L', mail: null, accountEnabled: true,
  employeeId: 'bts:s1', employeeType: 'Student', extensionAttributes: { extensionAttribute3: '7X' }, employeeLeaveDateTime: null, usageLocation: 'GB',
};
const group: TenantGroup = { id: 'g1', displayName: 'Year 7', mailNickname: 'y7', mail: null, description: null, groupTypes: [], securityEnabled: true, mailEnabled: false, members: ['u1', 'u2'], owners: [] };

describe('users', () => {
  it('fromUser is toUser\'s inverse', () => {
    expect(toUser(fromUser(ada))).toEqual(ada);
  });

  it('a property left out keeps its value; one sent as null is cleared', () => {
    const { users } = applyUserChanges([ada], [{ id: 'u1', displayName: 'Ada Lovelace', usageLocation: null }], inDomains);
    expect(users).toEqual([{ ...ada, displayName: 'Ada Lovelace', usageLocation: null }]);
  });

  it('a replayed change and a repeated removal change nothing more', () => {
    const round = [{ id: 'u1', displayName: 'Ada Lovelace' }, { id: 'u1', displayName: 'Ada Lovelace' }, { id: 'u9', '@removed': { reason: 'deleted' } }, { id: 'u9', '@removed': { reason: 'deleted' } }];
    const once = applyUserChanges([ada], round.slice(0, 1), inDomains).users;
    const r = applyUserChanges([ada], round, inDomains);
    expect(r.users).toEqual(once);
    expect([...r.gone]).toEqual(['u9']);
  });

  it('a user renamed out of the managed domains leaves; a new one without its address is not guessed at', () => {
    expect(applyUserChanges([ada], [{ id: 'u1', userPrincipalName: 'ada@elsewhere.test' }], inDomains).users).toEqual([]);
    expect(() => applyUserChanges([ada], [{ id: 'u2', displayName: 'Who' }], inDomains)).toThrow(/without its userPrincipalName/);
  });

  it('a soft delete (changed) removes the user without counting it gone for good', () => {
    const r = applyUserChanges([ada], [{ id: 'u1', '@removed': { reason: 'changed' } }], inDomains);
    expect(r.users).toEqual([]);
    expect(r.gone.size).toBe(0);
  });
});

describe('groups', () => {
  it('merges a big group\'s entries and applies member removals in order', () => {
    const r = applyGroupChanges([group], [
      { id: 'g1', 'members@delta': [{ id: 'u3' }, { id: 'u1', '@removed': { reason: 'deleted' } }] },
      { id: 'g1', 'members@delta': [{ id: 'u4' }], 'owners@delta': [{ id: 't1' }] },
    ]);
    expect(r.groups).toEqual([{ ...group, members: ['u2', 'u3', 'u4'], owners: ['t1'] }]);
  });

  it('a membership-only entry keeps the group\'s properties; a new group gets the full read\'s defaults', () => {
    const r = applyGroupChanges([group], [{ id: 'g1', 'members@delta': [] }, { id: 'g2', displayName: 'New', mailNickname: 'new', securityEnabled: true }]);
    expect(r.groups[0]).toEqual(group);
    expect(r.groups[1]).toEqual({ id: 'g2', displayName: 'New', mailNickname: 'new', mail: null, description: null, groupTypes: [], securityEnabled: true, mailEnabled: false, members: [], owners: [] });
  });

  it('removed, then back in the same round: the later entry wins', () => {
    const r = applyGroupChanges([group], [{ id: 'g1', '@removed': { reason: 'changed' } }, { id: 'g1', displayName: 'Year 7 again', mailNickname: 'y7', 'members@delta': [{ id: 'u5' }] }]);
    expect(r.groups.map((g) => [g.displayName, g.members])).toEqual([['Year 7 again', ['u5']]]);
  });

  it('soft-deleted members are not listed', () => {
    expect(withoutDeleted([group], new Set(['u2']))[0]!.members).toEqual(['u1']);
  });
});
