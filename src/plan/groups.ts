import type { Config } from '../config/load.js';
import type { DesiredGroups } from '../policy/desired.js';
import type { PersonId } from '../roster/types.js';
import type { Snapshot, TenantGroup, TenantUser } from '../tenant/types.js';
import type { AnchorAttribute } from './anchor.js';
import { groupChangeKey } from './keys.js';
import { ownershipOf, releasedDescription } from './ownership.js';
import type { Blocked, Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { removedMemberSubject } from './member-subject.js';
import { accountSlots, SlotMarks } from './account-slots.js';

export interface MisGroupPlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
  managedGroups: number;
  managedMemberships: number;
}

/**
 * Year, registration, house (and teaching) groups as Microsoft 365 or security groups ("Groups Provisioning"):
 * the desired groups (policy/groups.ts) against the tenant's. rollcall's own groups are recognised by their
 * ownership mark (see ownership.ts) and found by their nickname; groups fed through `groups.map` are the school's
 * and only their membership changes. In both, only rollcall's own accounts are removed. A group the MIS no longer
 * has ends as `groups.onEnd` says.
 */
export function planMisGroups(config: Config, desired: DesiredGroups, snapshot: Snapshot, users: UserPlan): MisGroupPlan {
  const gc = config.groups;
  const out: MisGroupPlan = { changes: [], blocked: [], warnings: [], managedGroups: 0, managedMemberships: 0 };
  if (!desired.enabled) return out;
  const key = config.school.key;
  const attribute: AnchorAttribute = config.users.anchor;
  const { onEnd } = gc;
  const whose = (g: TenantGroup) => ownershipOf(g, key, 'group', config.school.name, desired.prefix);

  // Indexes of every account, made only when a group needs one (extra members, a removal): most nights none does.
  let byUpnMemo: Map<string, TenantUser> | undefined;
  const byUpn = () => (byUpnMemo ??= new Map(snapshot.users.map((u) => [u.userPrincipalName.toLowerCase(), u])));
  const byMail = new Map(snapshot.groups.filter((g) => g.mail).map((g) => [g.mail!.toLowerCase(), g]));
  const ours = new Map(snapshot.groups.filter((g) => ['ours', 'legacy'].includes(whose(g))).map((g) => [g.mailNickname.toLowerCase(), g]));
  const byNick = new Map(snapshot.groups.map((g) => [g.mailNickname?.toLowerCase(), g]));
  out.managedGroups = ours.size;
  let personByAccountMemo: Map<string, PersonId> | undefined;
  const personByAccount = () => {
    if (!personByAccountMemo) {
      personByAccountMemo = new Map();
      for (const [p, r] of users.accountOf) if (r.id) personByAccountMemo.set(r.id, p);
    }
    return personByAccountMemo;
  };
  let byIdMemo: Map<string, TenantUser> | undefined;
  const byId = () => (byIdMemo ??= new Map(snapshot.users.map((u) => [u.id, u])));
  // Accounts by slot (account-slots.ts): each desired member's person is looked up once among the trust's accounts;
  // the tenant's members are then looked up among the group's desired members (a small Map), and only those it
  // does not want among all accounts. An account is keyed by its id, or by "+" and the key of the change that
  // creates it: the key is the reference.
  const slots = accountSlots(users, snapshot);
  const { managedIds } = users;
  const memberWho: (PersonId | undefined)[] = new Array(slots.size);
  const ownerWho: (PersonId | undefined)[] = new Array(slots.size);
  const present = new SlotMarks(slots.size);
  let wantedAt = new Int32Array(64);
  const refFromKey = (k: string): ObjectRef => (k.startsWith('+') ? { createdBy: k.slice(1) } : { id: k });

  for (const d of desired.groups) {
    const { displayName } = d;
    let target: TenantGroup | undefined;
    let groupRef: ObjectRef & { name: string };
    // A mapped group is the school's and only its membership changes: keyed by the MIS group that feeds it.
    let groupKey = `group:${d.group}`;
    if (d.mappedTo !== undefined) {
      target = byMail.get(d.mappedTo.toLowerCase());
      if (!target) {
        out.blocked.push({ rule: 'groups.map', message: `groups.map sends "${d.name}" to ${d.mappedTo}, but no group has that address` });
        continue;
      }
      groupRef = { id: target.id, name: displayName };
    } else {
      const nick = d.mailNickname;
      groupKey = groupChangeKey(nick);
      const description = d.description;
      target = ours.get(nick);
      ours.delete(nick);
      const taken = !target ? byNick.get(nick) : undefined;
      if (taken) {
        // rollcall's address, not rollcall's mark: a group it let go (groups.onEnd) or one whose description
        // someone rewrote. Never adopted again and never made twice (Graph would refuse the address anyway).
        out.warnings.push(`group "${displayName}": the address ${nick} belongs to "${taken.displayName}", which does not carry rollcall's mark (${whose(taken) === 'released' ? 'rollcall let it go when it ended' : 'its description was changed'}); it is left alone and no group is made for ${d.group}`);
        continue;
      }
      if (target) {
        groupRef = { id: target.id, name: displayName };
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        if (target.displayName !== displayName) { before.displayName = target.displayName; after.displayName = displayName; }
        if (whose(target) === 'legacy') { before.description = target.description; after.description = description; }
        if (Object.keys(after).length) {
          out.changes.push({ action: 'update', kind: 'group', key: groupKey, destructive: false, reason: after.displayName ? 'the MIS name or the name template changed' : 'rollcall marks the group as its own', subject: { name: displayName }, target: { id: target.id }, before, after });
        }
      } else {
        out.changes.push({
          action: 'create', kind: 'group', key: groupKey, destructive: false,
          reason: `${d.kind} group in the MIS`,
          subject: { name: displayName },
          after: { displayName, mailNickname: nick, description, ...d.mail },
        });
        groupRef = { createdBy: groupKey, name: displayName };
      }
    }

    // Desired owners and members from the MIS, then the manual extras on top: account key → slot, and slot → person
    // (none for extras).
    const wantMembers = new Map<string, number>();
    const wantOwners = new Map<string, number>();
    for (const p of d.members) { const s = slots.ofPerson(p); if (s !== undefined) { wantMembers.set(slots.key[s], s); memberWho[s] = p; } }
    if (d.mappedTo === undefined) for (const p of d.owners) { const s = slots.ofPerson(p); if (s !== undefined) { wantOwners.set(slots.key[s], s); ownerWho[s] = p; } }
    const extra = d.extraMembers;
    for (const upn of extra.include) {
      const u = byUpn().get(upn.toLowerCase());
      if (u) { const s = slots.ofId.get(u.id)!; wantMembers.set(slots.key[s], s); memberWho[s] = undefined; }
      else out.warnings.push(`groups.extraMembers "${d.name}": no account ${upn}`);
    }
    for (const upn of extra.exclude) {
      const u = byUpn().get(upn.toLowerCase());
      if (u) { wantMembers.delete(u.id); wantOwners.delete(u.id); }
    }
    sync(groupRef, groupKey, 'member', wantMembers, memberWho, target?.members ?? [], extra.include);
    if (d.mappedTo === undefined) sync(groupRef, groupKey, 'owner', wantOwners, ownerWho, target?.owners ?? [], []);
  }

  // rollcall's groups the MIS no longer has end as groups.onEnd says. Keep and archive let the group go: its mark
  // becomes the released tag, so later runs neither adopt nor archive nor delete it again.
  for (const g of ours.values()) {
    const groupKey = groupChangeKey(g.mailNickname);
    // The academic year it ended in: its MIS end date; else the year its name already carries (a displayName with
    // {academicYear} is renamed every year, so it says which year rollcall last kept it for); else the year of the
    // day before the run (a rehearsal runs --as-of the first day of the new year).
    const year = desired.endedIn.get(g.mailNickname.toLowerCase()) ?? /\b\d{4}-\d{2}\b/.exec(g.displayName)?.[0] ?? desired.yearBefore;
    const released = releasedDescription(g.description, key, 'group', year);
    if (onEnd === 'delete') {
      out.changes.push({ action: 'delete', kind: 'group', key: groupKey, destructive: true, reason: 'the MIS no longer has this group (groups.onEnd: delete; its files and conversations go with it)', subject: { name: g.displayName }, target: { id: g.id } });
    } else if (onEnd === 'keep') {
      out.changes.push({ action: 'update', kind: 'group', key: groupKey, destructive: false, reason: `the MIS no longer has this group: rollcall lets it go and leaves it and its members as they are (groups.onEnd: keep)`, subject: { name: g.displayName }, target: { id: g.id }, before: { description: g.description ?? null }, after: { description: released } });
    } else {
      const displayName = g.displayName.includes(year) ? g.displayName : `${g.displayName} (${year})`.slice(0, 256);
      const ref = { id: g.id, name: g.displayName };
      out.changes.push({ action: 'archive', kind: 'group', key: groupKey, destructive: true, reason: `the MIS no longer has this group: renamed with its academic year and let go, its files and conversations kept (groups.onEnd: archive)`, subject: { name: g.displayName }, target: { id: g.id }, before: { displayName: g.displayName, description: g.description ?? null }, after: { displayName, description: released } });
      // Graph takes hideFromAddressLists only in a PATCH of its own, and only on a Microsoft 365 group.
      if (g.groupTypes.includes('Unified')) {
        out.changes.push({ action: 'update', kind: 'group', key: `${groupKey}:hide`, destructive: false, reason: 'an archived group is hidden from the address list', subject: { name: g.displayName }, target: { id: g.id }, after: { hideFromAddressLists: true } });
      }
      // Members (rollcall's accounts) leave; owners stay, so staff can still reach the group's files.
      sync(ref, groupKey, 'member', new Map(), memberWho, g.members, []);
    }
  }
  return out;

  function sync(group: ObjectRef & { name: string }, groupKey: string, role: 'member' | 'owner', want: Map<string, number>, who: readonly (PersonId | undefined)[], have: readonly string[], included: readonly string[]) {
    // The tenant's members the group wants, by slot (-1: not wanted); a member listed twice counts twice, as before.
    present.next();
    if (wantedAt.length < have.length) wantedAt = new Int32Array(Math.max(have.length, wantedAt.length * 2));
    for (let i = 0; i < have.length; i++) {
      const s = want.size ? want.get(have[i]) : undefined;
      if (s === undefined) wantedAt[i] = -1;
      else { wantedAt[i] = s; present.add(s); }
    }
    for (const [k, s] of want) {
      if (present.has(s)) continue;
      const person = who[s];
      out.changes.push({
        action: role === 'owner' ? 'add-owner' : 'add-member', kind: 'membership', key: `${role}:${groupKey}:${person ?? k}`, destructive: false,
        reason: person ? `${role === 'owner' ? 'staff' : 'in'} ${group.name} in the MIS` : `groups.extraMembers includes ${included.length} account(s)`,
        subject: { person, name: group.name }, group, member: refFromKey(k),
      });
    }
    let foreign = 0;
    // One pass over the tenant's members: counted (the base of maxMembershipRemovals), kept, or removed.
    for (let i = 0; i < have.length; i++) {
      const s = wantedAt[i];
      if (s >= 0) {
        if (slots.managed[s] === 1) out.managedMemberships++;
        continue;
      }
      const id = have[i];
      if (!managedIds.has(id)) { foreign++; continue; }
      out.managedMemberships++;
      const subject = removedMemberSubject(byId().get(id), attribute, group.name, personByAccount().get(id));
      out.changes.push({
        action: role === 'owner' ? 'remove-owner' : 'remove-member', kind: 'membership', key: `${role}:${groupKey}:${subject.person ?? id}`, destructive: true,
        reason: `no longer ${role === 'owner' ? 'staff of' : 'in'} ${group.name} in the MIS`,
        subject, group, member: { id },
      });
    }
    if (foreign && role === 'member') out.warnings.push(`${foreign} member(s) of "${group.name}" are not managed by rollcall and were left alone`);
  }
}
