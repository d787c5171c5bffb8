import type { Config } from '../config/load.js';
import type { DesiredSecurityGroups } from '../policy/desired.js';
import type { Snapshot, TenantGroup, TenantUser } from '../tenant/types.js';
import type { AnchorAttribute } from './anchor.js';
import { groupChangeKey, licenceGroupChangeKey } from './keys.js';
import { ownershipOf } from './ownership.js';
import type { Blocked, Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { removedMemberSubject } from './member-subject.js';
import { accountSlots, SlotMarks } from './account-slots.js';

export interface GroupMembershipPlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
  /** Memberships in groups rollcall manages, before the plan: the base of maxMembershipRemovals. */
  managedMemberships: number;
}

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
  // Accounts by slot (account-slots.ts): a tenant member is looked up once among the accounts; whether the group
  // wants it, whether rollcall manages it and whose it is are then read by slot. Only an active person's memberships
  // follow the MIS: a leaver keeps their groups until the account itself goes, so a suspension is never accompanied
  // by a wave of removals.
  const slots = accountSlots(users, snapshot);
  const present = new SlotMarks(slots.size);
  const wanted = new SlotMarks(slots.size);
  let at = new Int32Array(64);
  let byIdMemo: Map<string, TenantUser> | undefined;
  const byId = () => (byIdMemo ??= new Map(snapshot.users.map((u) => [u.id, u])));
  let managedMemberships = 0;

  // Desired members per group name, security and licence alike: the slots of their accounts, in the order of
  // users.active (a person naming a group twice is in it once).
  const wantSecurity = new Map<string, number[]>();
  const wantLicence = new Map<string, number[]>();
  // People share their lists of names (policy/users.ts makes one per role and combination of values): each list is
  // resolved once, by identity, to its groups' lists of slots, so a person costs no lookup of a name.
  const securityTargets = new Map<readonly string[], number[][]>();
  const licenceTargets = new Map<readonly string[], number[][]>();
  for (let i = 0; i < users.active.length; i++) {
    const slot = slots.activeSlot[i];
    if (slot < 0) continue;
    const p = users.active[i];
    // Two calls, not a loop over a list of pairs: that list would be three arrays per person of a trust.
    wantOf(p.securityGroups, wantSecurity, securityTargets, slot);
    wantOf(p.licenseGroups, wantLicence, licenceTargets, slot);
  }

  // rollcall's security groups: the `{key}-sg-` nickname and rollcall's mark (ownership.ts), never the prefix alone.
  const whose = (g: TenantGroup) => ownershipOf(g, key, 'sg', config.school.name, prefix);
  const existingByNick = new Map(snapshot.groups.filter((g) => g.mailNickname?.startsWith(prefix) && ['ours', 'legacy'].includes(whose(g))).map((g) => [g.mailNickname.toLowerCase(), g]));
  // Every group by nickname and by name: made only when a security group is missing or a licence group named.
  let anyByNickMemo: Map<string | undefined, TenantGroup> | undefined;
  const anyByNick = () => (anyByNickMemo ??= new Map(snapshot.groups.map((g) => [g.mailNickname?.toLowerCase(), g])));
  let byNameMemo: Map<string, TenantGroup[]> | undefined;
  const byName = () => {
    if (!byNameMemo) {
      byNameMemo = new Map();
      for (const g of snapshot.groups) {
        const name = g.displayName.toLowerCase();
        const list = byNameMemo.get(name);
        if (list) list.push(g);
        else byNameMemo.set(name, [g]);
      }
    }
    return byNameMemo;
  };

  for (const [name, members] of [...wantSecurity].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const nick = desired.nicknames.get(name)!;
    const existing = existingByNick.get(nick);
    const groupKey = groupChangeKey(nick);
    let groupRef: ObjectRef & { name: string };
    if (!existing && anyByNick().has(nick)) {
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
    const found = byName().get(name.toLowerCase()) ?? [];
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

  function wantOf(names: readonly string[], into: Map<string, number[]>, targets: Map<readonly string[], number[][]>, slot: number) {
    if (names.length === 0) return;
    let lists = targets.get(names);
    if (!lists) {
      lists = names.map((name) => {
        let list = into.get(name);
        if (!list) into.set(name, (list = []));
        return list;
      });
      targets.set(names, lists);
    }
    // A name listed twice is the same list twice: the person goes in once.
    for (const list of lists) if (list[list.length - 1] !== slot) list.push(slot);
  }

  function membership(group: ObjectRef & { name: string }, groupKey: string, want: readonly number[], existing: TenantGroup | undefined, what: string) {
    // The tenant's members as a set: each account once (slot -2 for a repeat), ids that are no account -1.
    const ids = existing?.members ?? [];
    present.next();
    if (at.length < ids.length) at = new Int32Array(Math.max(ids.length, at.length * 2));
    for (let i = 0; i < ids.length; i++) {
      const s = slots.ofId(ids[i]);
      if (s < 0) at[i] = -1;
      else if (present.has(s)) at[i] = -2;
      else {
        at[i] = s;
        present.add(s);
        if (slots.managed[s] === 1) managedMemberships++;
      }
    }
    wanted.next();
    for (const s of want) wanted.add(s);
    for (const s of want) {
      if (present.has(s)) continue;
      const person = slots.person[s]!;
      changes.push({
        action: 'add-member', kind: 'membership', key: `member:${groupKey}:${person}`, destructive: false,
        reason: `in scope for ${what} "${group.name}"`,
        subject: { person, name: group.name }, group, member: slots.ref(s)!,
      });
    }
    let foreign = 0;
    let unknown: Set<string> | undefined;
    for (let i = 0; i < ids.length; i++) {
      const s = at[i];
      if (s === -2) continue;
      if (s === -1) {
        // Not an account of the snapshot (a device, a contact): never rollcall's, counted once.
        if (!(unknown ??= new Set()).has(ids[i])) { unknown.add(ids[i]); foreign++; }
        continue;
      }
      if (wanted.has(s)) continue;
      if (slots.managed[s] !== 1) { foreign++; continue; }
      const person = slots.person[s];
      if (!person) continue;
      const id = ids[i];
      changes.push({
        action: 'remove-member', kind: 'membership', key: `member:${groupKey}:${person}`, destructive: true,
        reason: `no longer in scope for ${what} "${group.name}"`,
        subject: removedMemberSubject(byId().get(id), attribute, group.name, person), group, member: { id },
      });
    }
    if (foreign && what === 'security group') warnings.push(`${foreign} member(s) of "${group.name}" are not managed by rollcall and were left alone`);
  }
}
