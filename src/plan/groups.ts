import type { Config } from '../config/load.js';
import { academicYearLabel, academicYearOf } from '../policy/academic-year.js';
import { addDays } from '../roster/dates.js';
import { renderText } from '../policy/template.js';
import type { PersonId, Roster } from '../roster/types.js';
import type { Snapshot, TenantGroup } from '../tenant/types.js';
import { isManagedBy, type AnchorAttribute } from './anchor.js';
import { groupChangeKey, nickname } from './keys.js';
import { currentGroups, groupKindsOf, groupTokens, membersByGroup } from '../policy/groups.js';
import { markedDescription, ownershipOf, releasedDescription } from './ownership.js';
import type { Blocked, Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { removedMemberSubject } from './member-subject.js';

export interface MisGroupPlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
  managedGroups: number;
  managedMemberships: number;
}

/**
 * Year, registration, house (and teaching) groups as Microsoft 365 or security groups ("Groups Provisioning").
 * rollcall's own groups are recognised by their ownership mark (see ownership.ts) and found by their nickname;
 * groups fed through `groups.map` are the school's and only their membership changes. In both, only rollcall's
 * own accounts are removed. A group the MIS no longer has ends as `groups.onEnd` says.
 */
/** A group with no `groups.extraMembers` entry. */
const NO_EXTRAS: { include: string[]; exclude: string[] } = { include: [], exclude: [] };

export function planMisGroups(config: Config, roster: Roster, snapshot: Snapshot, users: UserPlan, asOf: string): MisGroupPlan {
  const gc = config.groups;
  const out: MisGroupPlan = { changes: [], blocked: [], warnings: [], managedGroups: 0, managedMemberships: 0 };
  if (!gc.from.length) return out;
  const key = config.school.key;
  const yearStart = config.school.academicYearStart;
  const attribute: AnchorAttribute = config.users.anchor;
  const { type, staffAs, onEnd, mailNickname: nickTemplate } = gc;
  const prefix = `${nickname(key)}-`;
  const whose = (g: TenantGroup) => ownershipOf(g, key, 'group', config.school.name, prefix);

  const managedIds = new Set(snapshot.users.filter((u) => isManagedBy(u, attribute, key) && !users.untouchable.has(u.userPrincipalName.toLowerCase())).map((u) => u.id));
  const byUpn = new Map(snapshot.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
  const byMail = new Map(snapshot.groups.filter((g) => g.mail).map((g) => [g.mail!.toLowerCase(), g]));
  const ours = new Map(snapshot.groups.filter((g) => ['ours', 'legacy'].includes(whose(g))).map((g) => [g.mailNickname.toLowerCase(), g]));
  const byNick = new Map(snapshot.groups.map((g) => [g.mailNickname?.toLowerCase(), g]));
  out.managedGroups = ours.size;
  const activePeople = new Set(users.active.map((p) => p.person.id));
  const personByAccount = new Map<string, PersonId>();
  for (const [p, r] of users.accountOf) if (r.id) personByAccount.set(r.id, p);
  const byId = new Map(snapshot.users.map((u) => [u.id, u]));
  // An account is keyed by its id, or by "+" and the key of the change that creates it: the key is the reference.
  // Made once per active person: memberships ask for it hundreds of thousands of times in a trust.
  const accountKey = new Map<PersonId, string>();
  for (const p of activePeople) {
    const r = users.accountOf.get(p);
    if (r) accountKey.set(p, r.id ?? `+${r.createdBy}`);
  }
  const keyOf = (p: PersonId): string | undefined => accountKey.get(p);
  const refFromKey = (k: string): ObjectRef => (k.startsWith('+') ? { createdBy: k.slice(1) } : { id: k });
  const members = membersByGroup(roster.memberships, asOf);

  for (const g of currentGroups(roster, gc.from, gc.exclude, asOf)) {
    const tokens = groupTokens(g, key, asOf, yearStart);
    const displayName = renderText(gc.displayName, tokens);
    const mapped = gc.map?.[g.name];
    let target: TenantGroup | undefined;
    let groupRef: ObjectRef & { name: string };
    // A mapped group is the school's and only its membership changes: keyed by the MIS group that feeds it.
    let groupKey = `group:${g.id}`;
    if (mapped) {
      target = byMail.get(mapped.toLowerCase());
      if (!target) {
        out.blocked.push({ rule: 'groups.map', message: `groups.map sends "${g.name}" to ${mapped}, but no group has that address` });
        continue;
      }
      groupRef = { id: target.id, name: displayName };
    } else {
      const nick = nickname(renderText(nickTemplate, tokens));
      groupKey = groupChangeKey(nick);
      const description = markedDescription(`${g.name} (${g.kind} group)`, key, 'group');
      target = ours.get(nick);
      ours.delete(nick);
      const taken = !target ? byNick.get(nick) : undefined;
      if (taken) {
        // rollcall's address, not rollcall's mark: a group it let go (groups.onEnd) or one whose description
        // someone rewrote. Never adopted again and never made twice (Graph would refuse the address anyway).
        out.warnings.push(`group "${displayName}": the address ${nick} belongs to "${taken.displayName}", which does not carry rollcall's mark (${whose(taken) === 'released' ? 'rollcall let it go when it ended' : 'its description was changed'}); it is left alone and no group is made for ${g.id}`);
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
          reason: `${g.kind} group in the MIS`,
          subject: { name: displayName },
          after: {
            displayName, mailNickname: nick, description,
            ...(type === 'microsoft365' ? { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false } : { groupTypes: [], mailEnabled: false, securityEnabled: true }),
          },
        });
        groupRef = { createdBy: groupKey, name: displayName };
      }
    }

    // Desired owners and members from the MIS, then the manual extras on top: account key → person (none for extras).
    const e = members.get(g.id);
    const wantMembers = new Map<string, PersonId | undefined>();
    const wantOwners = new Map<string, PersonId | undefined>();
    for (const p of e?.students ?? []) { const k = keyOf(p); if (k) wantMembers.set(k, p); }
    for (const p of e?.staff ?? []) {
      const k = keyOf(p);
      if (!k) continue;
      if (staffAs !== 'members') wantOwners.set(k, p);
      if (staffAs !== 'owners') wantMembers.set(k, p);
    }
    const extra = gc.extraMembers[g.name] ?? NO_EXTRAS;
    for (const upn of extra.include) {
      const u = byUpn.get(upn.toLowerCase());
      if (u) wantMembers.set(u.id, undefined);
      else out.warnings.push(`groups.extraMembers "${g.name}": no account ${upn}`);
    }
    for (const upn of extra.exclude) {
      const u = byUpn.get(upn.toLowerCase());
      if (u) { wantMembers.delete(u.id); wantOwners.delete(u.id); }
    }
    sync(groupRef, groupKey, 'member', wantMembers, target?.members ?? [], extra.include);
    if (!mapped) sync(groupRef, groupKey, 'owner', wantOwners, target?.owners ?? [], []);
  }

  // rollcall's groups the MIS no longer has end as groups.onEnd says. Keep and archive let the group go: its mark
  // becomes the released tag, so later runs neither adopt nor archive nor delete it again.
  const endedIn = endedYears(roster, gc.from, nickTemplate, key, asOf, yearStart);
  for (const g of ours.values()) {
    const groupKey = groupChangeKey(g.mailNickname);
    // The academic year it ended in: its MIS end date; else the year its name already carries (a displayName with
    // {academicYear} is renamed every year, so it says which year rollcall last kept it for); else the year of the
    // day before the run (a rehearsal runs --as-of the first day of the new year).
    const year = endedIn.get(g.mailNickname.toLowerCase()) ?? /\b\d{4}-\d{2}\b/.exec(g.displayName)?.[0] ?? academicYearLabel(academicYearOf(addDays(asOf, -1), yearStart));
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
      sync(ref, groupKey, 'member', new Map(), g.members, []);
    }
  }
  return out;

  function sync(group: ObjectRef & { name: string }, groupKey: string, role: 'member' | 'owner', want: Map<string, PersonId | undefined>, have: string[], included: string[]) {
    const haveSet = new Set(have);
    for (const id of have) if (managedIds.has(id)) out.managedMemberships++;
    for (const [k, who] of want) {
      if (haveSet.has(k)) continue;
      const ref = refFromKey(k);
      out.changes.push({
        action: role === 'owner' ? 'add-owner' : 'add-member', kind: 'membership', key: `${role}:${groupKey}:${who ?? k}`, destructive: false,
        reason: who ? `${role === 'owner' ? 'staff' : 'in'} ${group.name} in the MIS` : `groups.extraMembers includes ${included.length} account(s)`,
        subject: { person: who, name: group.name }, group, member: ref,
      });
    }
    let foreign = 0;
    for (const id of have) {
      if (want.has(id)) continue;
      if (!managedIds.has(id)) { foreign++; continue; }
      const subject = removedMemberSubject(byId.get(id), attribute, group.name, personByAccount.get(id));
      out.changes.push({
        action: role === 'owner' ? 'remove-owner' : 'remove-member', kind: 'membership', key: `${role}:${groupKey}:${subject.person ?? id}`, destructive: true,
        reason: `no longer ${role === 'owner' ? 'staff of' : 'in'} ${group.name} in the MIS`,
        subject, group, member: { id },
      });
    }
    if (foreign && role === 'member') out.warnings.push(`${foreign} member(s) of "${group.name}" are not managed by rollcall and were left alone`);
  }
}

/**
 * The academic year each ended group of the MIS ended in, by the nickname it was made with: the MIS still lists a
 * group that ended during the year (with its end date). A group the MIS no longer lists at all (next year's
 * export) takes the year of the day before the run.
 */
function endedYears(roster: Roster, from: string[], template: string, key: string, asOf: string, yearStart: string): Map<string, string> {
  const kinds = groupKindsOf(from);
  const out = new Map<string, string>();
  for (const g of roster.groups) {
    if (!kinds.has(g.kind) || !g.endDate || g.endDate >= asOf) continue;
    const ended = academicYearOf(g.endDate, yearStart);
    const tokens = groupTokens({ ...g, startDate: undefined }, key, g.endDate, yearStart);
    out.set(nickname(renderText(template, tokens)), academicYearLabel(ended));
  }
  return out;
}
