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
  // Every group by address and by nickname: made only when a mapped group or a missing one needs them.
  let byMailMemo: Map<string, TenantGroup> | undefined;
  const byMail = () => (byMailMemo ??= new Map(snapshot.groups.filter((g) => g.mail).map((g) => [g.mail!.toLowerCase(), g])));
  const ours = new Map(snapshot.groups.filter((g) => { const o = whose(g); return o === 'ours' || o === 'legacy'; }).map((g) => [g.mailNickname.toLowerCase(), g]));
  let byNickMemo: Map<string | undefined, TenantGroup> | undefined;
  const byNick = () => (byNickMemo ??= new Map(snapshot.groups.map((g) => [g.mailNickname?.toLowerCase(), g])));
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
  // Accounts by slot (account-slots.ts): each desired member's person and each tenant member's id are looked up once
  // among the trust's accounts; what the group wants is then marked by slot, with no Map or string key per group or
  // member. An account is keyed by its id, or by "+" and the key of the change that creates it: the key is the
  // reference.
  const slots = accountSlots(users, snapshot);
  const who: (PersonId | undefined)[] = new Array(slots.size);
  const wanted = new SlotMarks(slots.size);
  const present = new SlotMarks(slots.size);
  // The wanted slots of the group at hand, in the order they were first wanted (a slot taken out stays listed, unmarked).
  let list = new Int32Array(64);
  let listed = 0;
  let at = new Int32Array(64);
  const refFromKey = (k: string): ObjectRef => (k.startsWith('+') ? { createdBy: k.slice(1) } : { id: k });
  const want = (s: number, p: PersonId | undefined) => {
    if (!wanted.has(s)) {
      if (listed === list.length) { const longer = new Int32Array(list.length * 2); longer.set(list); list = longer; }
      list[listed++] = s;
      wanted.add(s);
    }
    who[s] = p;
  };
  const wantPeople = (people: readonly PersonId[]) => {
    wanted.next();
    listed = 0;
    for (const p of people) { const s = slots.ofPerson(p); if (s !== undefined) want(s, p); }
  };

  for (const d of desired.groups) {
    const { displayName } = d;
    let target: TenantGroup | undefined;
    let groupRef: ObjectRef & { name: string };
    // A mapped group is the school's and only its membership changes: keyed by the MIS group that feeds it.
    let groupKey = `group:${d.group}`;
    if (d.mappedTo !== undefined) {
      target = byMail().get(d.mappedTo.toLowerCase());
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
      const taken = !target ? byNick().get(nick) : undefined;
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

    // Desired members from the MIS, then the manual extras on top (no person: an extra is named by its account);
    // then the owners. Those named in extraMembers.exclude are neither.
    const extra = d.extraMembers;
    wantPeople(d.members);
    for (const upn of extra.include) {
      const u = byUpn().get(upn.toLowerCase());
      if (u) want(slots.ofId(u.id), undefined);
      else out.warnings.push(`groups.extraMembers "${d.name}": no account ${upn}`);
    }
    unwant(extra.exclude);
    sync(groupRef, groupKey, 'member', target?.members ?? [], extra.include);
    if (d.mappedTo === undefined) {
      wantPeople(d.owners);
      unwant(extra.exclude);
      sync(groupRef, groupKey, 'owner', target?.owners ?? [], []);
    }
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
      wantPeople([]);
      sync(ref, groupKey, 'member', g.members, []);
    }
  }
  return out;

  function unwant(upns: readonly string[]) {
    for (const upn of upns) {
      const u = byUpn().get(upn.toLowerCase());
      if (u) wanted.remove(slots.ofId(u.id));
    }
  }

  /** The tenant's members (or owners) against the wanted slots: adds, removals and the count of rollcall's. */
  function sync(group: ObjectRef & { name: string }, groupKey: string, role: 'member' | 'owner', have: readonly string[], included: readonly string[]) {
    // Each tenant member's slot (-1: no account), and the wanted ones marked present; a member listed twice counts
    // twice.
    present.next();
    if (at.length < have.length) at = new Int32Array(Math.max(have.length, at.length * 2));
    for (let i = 0; i < have.length; i++) {
      const s = slots.ofId(have[i]);
      at[i] = s;
      if (s >= 0 && wanted.has(s)) present.add(s);
    }
    for (let j = 0; j < listed; j++) {
      const s = list[j];
      if (!wanted.has(s) || present.has(s)) continue;
      const person = who[s];
      const k = slots.key[s];
      out.changes.push({
        action: role === 'owner' ? 'add-owner' : 'add-member', kind: 'membership', key: `${role}:${groupKey}:${person ?? k}`, destructive: false,
        reason: person ? `${role === 'owner' ? 'staff' : 'in'} ${group.name} in the MIS` : `groups.extraMembers includes ${included.length} account(s)`,
        subject: { person, name: group.name }, group, member: refFromKey(k),
      });
    }
    let foreign = 0;
    // One pass over the tenant's members: counted (the base of maxMembershipRemovals), kept, or removed.
    for (let i = 0; i < have.length; i++) {
      const s = at[i];
      if (s < 0 || slots.managed[s] !== 1) {
        if (s < 0 || !wanted.has(s)) foreign++;
        continue;
      }
      out.managedMemberships++;
      if (wanted.has(s)) continue;
      const id = have[i];
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
