import type { Config } from '../config/load.js';
import type { DesiredSecurityGroups } from '../policy/desired.js';
import type { PersonId } from '../roster/types.js';
import type { Snapshot, TenantGroup, TenantUser } from '../tenant/types.js';
import type { AnchorAttribute } from './anchor.js';
import { groupChangeKey, licenceGroupChangeKey } from './keys.js';
import { ownershipOf } from './ownership.js';
import type { Blocked, Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { removedMemberSubject } from './member-subject.js';

export interface GroupMembershipPlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
  /** Memberships in groups rollcall manages, before the plan: the base of maxMembershipRemovals. */
  managedMemberships: number;
}

const refKey = (r: ObjectRef) => r.id ?? `+${r.createdBy}`;

/**
 * Security groups named in users.*.securityGroups are rollcall's own (recognised by their mailNickname);
 * licence groups are the school's, and must exist. In both, rollcall only adds and removes its own accounts:
 * a member someone added by hand is left alone and said so.
 */
export function planUserGroups(config: Config, desired: DesiredSecurityGroups, snapshot: Snapshot, users: UserPlan): GroupMembershipPlan {
  const key = config.school.key;
  const attribute: AnchorAttribute = config.users.anchor;
  const { prefix, description } = desired;
  const changes: Change[] = [];
  const blocked: Blocked[] = [];
  const warnings: string[] = [];
  const managedUserIds = users.managedIds;
  // Account id → active person: only their memberships follow the MIS. A leaver keeps their groups until the
  // account itself goes, so a suspension is never accompanied by a wave of removals. Both indexes are made only
  // when a group has someone to remove: most nights none has.
  let byIdMemo: Map<string, TenantUser> | undefined;
  const byId = () => (byIdMemo ??= new Map(snapshot.users.map((u) => [u.id, u])));
  let activeByAccountMemo: Map<string, PersonId> | undefined;
  const activeByAccount = () => {
    if (!activeByAccountMemo) {
      activeByAccountMemo = new Map();
      for (const p of users.active) {
        const id = users.accountOf.get(p.person.id)?.id;
        if (id) activeByAccountMemo.set(id, p.person.id);
      }
    }
    return activeByAccountMemo;
  };
  let managedMemberships = 0;

  // Desired members per group name, security and licence alike.
  const wantSecurity = new Map<string, Map<string, { person: PersonId; ref: ObjectRef }>>();
  const wantLicence = new Map<string, Map<string, { person: PersonId; ref: ObjectRef }>>();
  for (const p of users.active) {
    const ref = users.accountOf.get(p.person.id);
    if (!ref) continue;
    for (const [names, into] of [[p.securityGroups, wantSecurity], [p.licenseGroups, wantLicence]] as const) {
      for (const name of names) {
        if (!into.has(name)) into.set(name, new Map());
        into.get(name)!.set(refKey(ref), { person: p.person.id, ref });
      }
    }
  }

  // rollcall's security groups: the `{key}-sg-` nickname and rollcall's mark (ownership.ts), never the prefix alone.
  const whose = (g: TenantGroup) => ownershipOf(g, key, 'sg', config.school.name, prefix);
  const existingByNick = new Map(snapshot.groups.filter((g) => g.mailNickname?.startsWith(prefix) && ['ours', 'legacy'].includes(whose(g))).map((g) => [g.mailNickname.toLowerCase(), g]));
  const anyByNick = new Map(snapshot.groups.map((g) => [g.mailNickname?.toLowerCase(), g]));
  const byName = new Map<string, TenantGroup[]>();
  for (const g of snapshot.groups) byName.set(g.displayName.toLowerCase(), [...(byName.get(g.displayName.toLowerCase()) ?? []), g]);

  for (const [name, members] of [...wantSecurity].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const nick = desired.nicknames.get(name)!;
    const existing = existingByNick.get(nick);
    const groupKey = groupChangeKey(nick);
    let groupRef: ObjectRef & { name: string };
    if (!existing && anyByNick.has(nick)) {
      warnings.push(`security group "${name}": the address ${nick} belongs to a group without rollcall's mark (its description was changed); it is left alone`);
      continue;
    }
    if (existing) {
      groupRef = { id: existing.id, name };
      existingByNick.delete(nick);
      if (whose(existing) === 'legacy') {
        changes.push({ action: 'update', kind: 'group', key: groupKey, destructive: false, reason: 'rollcall marks the group as its own', subject: { name }, target: { id: existing.id }, before: { description: existing.description }, after: { description } });
      }
    } else {
      changes.push({
        action: 'create', kind: 'group', key: groupKey, destructive: false,
        reason: 'security group named in users.*.securityGroups',
        subject: { name },
        after: { displayName: name, mailNickname: nick, securityEnabled: desired.mail.securityEnabled, mailEnabled: desired.mail.mailEnabled, groupTypes: desired.mail.groupTypes, description },
      });
      groupRef = { createdBy: groupKey, name };
    }
    membership(groupRef, groupKey, members, existing, 'security group');
  }

  // rollcall's security groups that no one belongs to any more are tidied away.
  for (const g of existingByNick.values()) {
    changes.push({
      action: 'delete', kind: 'group', key: groupChangeKey(g.mailNickname), destructive: true,
      reason: 'no account in scope belongs to it any more',
      subject: { name: g.displayName }, target: { id: g.id },
    });
  }

  for (const [name, members] of [...wantLicence].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const found = byName.get(name.toLowerCase()) ?? [];
    if (found.length !== 1) {
      blocked.push({
        rule: 'users.licenseGroups',
        message: found.length ? `licence group "${name}" is ambiguous: ${found.length} groups have that name` : `licence group "${name}" does not exist in the tenant: create it (with its licence) or fix the name`,
      });
      continue;
    }
    const g = found[0];
    membership({ id: g.id, name }, licenceGroupChangeKey(name), members, g, 'licence group');
  }

  return { changes, blocked, warnings, managedMemberships };

  function membership(group: ObjectRef & { name: string }, groupKey: string, want: Map<string, { person: PersonId; ref: ObjectRef }>, existing: TenantGroup | undefined, what: string) {
    const have = new Set(existing?.members ?? []);
    for (const id of have) if (managedUserIds.has(id)) managedMemberships++;
    for (const [, { person, ref }] of want) {
      if (ref.id && have.has(ref.id)) continue;
      changes.push({
        action: 'add-member', kind: 'membership', key: `member:${groupKey}:${person}`, destructive: false,
        reason: `in scope for ${what} "${group.name}"`,
        subject: { person, name: group.name }, group, member: ref,
      });
    }
    let foreign = 0;
    for (const id of have) {
      if (want.has(id)) continue;
      if (!managedUserIds.has(id)) { foreign++; continue; }
      const person = activeByAccount().get(id);
      if (!person) continue;
      changes.push({
        action: 'remove-member', kind: 'membership', key: `member:${groupKey}:${person}`, destructive: true,
        reason: `no longer in scope for ${what} "${group.name}"`,
        subject: removedMemberSubject(byId().get(id), attribute, group.name, person), group, member: { id },
      });
    }
    if (foreign && what === 'security group') warnings.push(`${foreign} member(s) of "${group.name}" are not managed by rollcall and were left alone`);
  }
}
