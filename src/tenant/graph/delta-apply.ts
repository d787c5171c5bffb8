// Applying one round of /users/delta or /groups/delta to the users and groups of the last read. Pure.
// Graph's rules (delta-query-overview, user-delta): an updated object comes with its id and at least the changed
// properties (by default all selected ones; a property set to null comes as null), so a property left out keeps its
// value; a new object comes whole; `@removed` (reason `changed`: soft-deleted, `deleted`: gone) removes it; a group's
// membership changes come as members@delta / owners@delta, each ref added or, with `@removed`, taken away; the same
// object may come more than once in a round (a big group's members spread over entries, or a replay), so applying
// is idempotent and in order.
import { z } from 'zod';
import { TenantError } from '../../errors.js';
import type { TenantGroup, TenantUser } from '../types.js';
import { GroupDeltaAnswer, UserAnswer } from './answers.js';
import { toUser } from './reader.js';

type UserRaw = z.infer<typeof UserAnswer>;

const removed = z.looseObject({ reason: z.string().nullish() });
/** A user entry of a delta round: an update may leave out what did not change, userPrincipalName included. */
export const UserDeltaEntry = UserAnswer.extend({ userPrincipalName: z.string().nullish(), '@removed': removed.nullish() });
export const GroupDeltaEntry = GroupDeltaAnswer.extend({ '@removed': removed.nullish() });
export type UserEntry = z.infer<typeof UserDeltaEntry>;
export type GroupEntry = z.infer<typeof GroupDeltaEntry>;

/** The answer a full read would have given for `u` (the inverse of toUser), to apply a partial update on. */
export function fromUser(u: TenantUser): UserRaw {
  return {
    id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, givenName: u.givenName ?? null, surname: u.surname ?? null,
    mail: u.mail ?? null, accountEnabled: u.accountEnabled, employeeId: u.employeeId ?? null, employeeType: u.employeeType ?? null,
    onPremisesExtensionAttributes: { ...(u.extensionAttributes ?? {}) }, employeeLeaveDateTime: u.employeeLeaveDateTime ?? null, usageLocation: u.usageLocation ?? null,
  };
}

const given = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && !k.includes('@')));

/** Users after `entries`, kept only in `inDomains`; and the ids Graph reported gone for good. */
export function applyUserChanges(users: TenantUser[], entries: UserEntry[], inDomains: (upn: string) => boolean): { users: TenantUser[]; gone: Set<string> } {
  const byId = new Map(users.map((u) => [u.id, u]));
  const gone = new Set<string>();
  for (const e of entries) {
    if (e['@removed']) {
      byId.delete(e.id);
      if (e['@removed'].reason === 'deleted') gone.add(e.id);
      continue;
    }
    const prior = byId.get(e.id);
    // A user the last read did not keep (new, or renamed into a managed domain) must come whole.
    if (!prior && typeof e.userPrincipalName !== 'string') {
      throw new TenantError('reading users (delta): a user new to this read came without its userPrincipalName', { status: 200, code: 'IncompleteDelta' });
    }
    const u = toUser({ ...(prior ? fromUser(prior) : {}), ...given(e) } as UserRaw);
    if (inDomains(u.userPrincipalName)) byId.set(u.id, u);
    else byId.delete(u.id);
  }
  return { users: [...byId.values()], gone };
}

/**
 * Groups after `entries`; and the ids Graph reported gone for good. Properties as the full read makes them
 * (reader.ts: null text stays null, a missing name is '', flags are true only when true).
 */
export function applyGroupChanges(groups: TenantGroup[], entries: GroupEntry[]): { groups: TenantGroup[]; gone: Set<string> } {
  const byId = new Map(groups.map((g) => [g.id, { ...g, memberSet: new Set(g.members), ownerSet: new Set(g.owners) }]));
  const gone = new Set<string>();
  for (const e of entries) {
    if (e['@removed']) {
      byId.delete(e.id);
      if (e['@removed'].reason === 'deleted') gone.add(e.id);
      continue;
    }
    let g = byId.get(e.id);
    if (!g) {
      g = { id: e.id, displayName: '', mailNickname: '', mail: null, description: null, groupTypes: [], securityEnabled: false, mailEnabled: false, members: [], owners: [], memberSet: new Set(), ownerSet: new Set() };
      byId.set(e.id, g);
    }
    const p = given(e) as Partial<GroupEntry>;
    if ('displayName' in p) g.displayName = p.displayName ?? '';
    if ('mailNickname' in p) g.mailNickname = p.mailNickname ?? '';
    if ('mail' in p) g.mail = p.mail ?? null;
    if ('description' in p) g.description = p.description ?? null;
    if ('groupTypes' in p) g.groupTypes = p.groupTypes ?? [];
    if ('securityEnabled' in p) g.securityEnabled = p.securityEnabled === true;
    if ('mailEnabled' in p) g.mailEnabled = p.mailEnabled === true;
    for (const [refs, set] of [[e['members@delta'], g.memberSet], [e['owners@delta'], g.ownerSet]] as const) {
      for (const ref of refs ?? []) {
        if (ref['@removed']) set.delete(ref.id);
        else set.add(ref.id);
      }
    }
  }
  return {
    groups: [...byId.values()].map(({ memberSet, ownerSet, ...g }) => ({ ...g, members: [...memberSet], owners: [...ownerSet] })),
    gone,
  };
}

/**
 * Members and owners that are soft-deleted now: Entra keeps a deleted user's memberships for a restore but does not
 * list them (nor, in the emulator, report them as removed), so the kept state holds them and the snapshot must not.
 */
export function withoutDeleted(groups: TenantGroup[], deleted: ReadonlySet<string>): TenantGroup[] {
  if (!deleted.size) return groups;
  return groups.map((g) => ({ ...g, members: g.members.filter((id) => !deleted.has(id)), owners: g.owners.filter((id) => !deleted.has(id)) }));
}
