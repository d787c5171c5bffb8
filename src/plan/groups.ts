import type { Config } from '../config/load.js';
import { academicYearLabel, academicYearOf } from '../policy/academic-year.js';
import { globMatch } from '../policy/glob.js';
import { renderText } from '../policy/template.js';
import type { Group, GroupKind, Membership, PersonId, Roster } from '../roster/types.js';
import type { Snapshot, TenantGroup } from '../tenant/types.js';
import { isManagedBy, type AnchorAttribute } from './anchor.js';
import { compareTyped, nickname } from './keys.js';
import type { Blocked, Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';

export const KIND_OF_SOURCE: Record<string, GroupKind> = {
  yearGroups: 'year',
  registrationGroups: 'registration',
  houses: 'house',
  teachingGroups: 'teaching',
};

export interface MisGroupPlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
  managedGroups: number;
  managedMemberships: number;
}

export function groupTokens(g: Group, schoolKey: string, asOf: string, yearStart: string): Record<string, string | undefined> {
  const year = academicYearOf(g.startDate && g.startDate > asOf ? g.startDate : asOf, yearStart);
  return { academicYear: academicYearLabel(year), name: g.name, kind: g.kind, misId: g.misId, subject: g.subject, schoolKey };
}

/** Groups of the MIS that are current on `asOf` and of the kinds asked for, minus the excluded names. */
export function currentGroups(roster: Roster, from: string[], exclude: string[], asOf: string): Group[] {
  const kinds = new Set(from.map((f) => KIND_OF_SOURCE[f]));
  return roster.groups
    .filter((g) => kinds.has(g.kind) && !(g.endDate && g.endDate < asOf) && !exclude.some((p) => globMatch(p, g.name)))
    .sort((a, b) => compareTyped(a.id, b.id));
}

/** Who belongs to each group today: members (students) and staff (teachers and tutors). */
export function membersByGroup(memberships: Membership[], asOf: string): Map<string, { students: Set<PersonId>; staff: Set<PersonId> }> {
  const out = new Map<string, { students: Set<PersonId>; staff: Set<PersonId> }>();
  for (const m of memberships) {
    if ((m.endDate && m.endDate < asOf) || (m.startDate && m.startDate > asOf)) continue;
    let e = out.get(m.group);
    if (!e) out.set(m.group, (e = { students: new Set(), staff: new Set() }));
    (m.role === 'member' ? e.students : e.staff).add(m.person);
  }
  return out;
}

/**
 * Year, registration, house (and teaching) groups as Microsoft 365 or security groups ("Groups Provisioning").
 * rollcall's own groups are recognised by their nickname; groups fed through `groups.map` are the school's and
 * only their membership changes. In both, only rollcall's own accounts are removed.
 */
export function planMisGroups(config: Config, roster: Roster, snapshot: Snapshot, users: UserPlan, asOf: string): MisGroupPlan {
  const gc = config.groups;
  const out: MisGroupPlan = { changes: [], blocked: [], warnings: [], managedGroups: 0, managedMemberships: 0 };
  if (!gc?.from?.length) return out;
  const key = config.school.key;
  const yearStart = config.school.academicYearStart ?? '09-01';
  const attribute = (config.users?.anchor ?? 'employeeId') as AnchorAttribute;
  const type = gc.type ?? 'microsoft365';
  const staffAs = gc.staffAs ?? 'owners';
  const nickTemplate = gc.mailNickname ?? '{schoolKey}-{kind}-{misId}';
  const prefixes = gc.from.map((f) => nickname(renderText(nickTemplate, { schoolKey: key, kind: KIND_OF_SOURCE[f] }).replace(/[\s-]+$/, '')) + '-');
  const isOurs = (g: TenantGroup) => prefixes.some((p) => g.mailNickname?.toLowerCase().startsWith(p));

  const managedIds = new Set(snapshot.users.filter((u) => isManagedBy(u, attribute, key) && !users.untouchable.has(u.userPrincipalName.toLowerCase())).map((u) => u.id));
  const byUpn = new Map(snapshot.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
  const byMail = new Map(snapshot.groups.filter((g) => g.mail).map((g) => [g.mail!.toLowerCase(), g]));
  const ours = new Map(snapshot.groups.filter(isOurs).map((g) => [g.mailNickname.toLowerCase(), g]));
  out.managedGroups = ours.size;
  const activePeople = new Set(users.active.map((p) => p.person.id));
  const personByAccount = new Map<string, PersonId>();
  for (const [p, r] of users.accountOf) if (r.id) personByAccount.set(r.id, p);
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

  for (const g of currentGroups(roster, gc.from, gc.exclude ?? [], asOf)) {
    const tokens = groupTokens(g, key, asOf, yearStart);
    const displayName = renderText(gc.displayName ?? '{name}', tokens);
    const mapped = gc.map?.[g.name];
    let target: TenantGroup | undefined;
    let groupRef: ObjectRef & { name: string };
    const groupKey = `group:${g.id}`;
    if (mapped) {
      target = byMail.get(mapped.toLowerCase());
      if (!target) {
        out.blocked.push({ rule: 'groups.map', message: `groups.map sends "${g.name}" to ${mapped}, but no group has that address` });
        continue;
      }
      groupRef = { id: target.id, name: displayName };
    } else {
      const nick = nickname(renderText(nickTemplate, tokens));
      target = ours.get(nick);
      ours.delete(nick);
      if (target) {
        groupRef = { id: target.id, name: displayName };
        if (target.displayName !== displayName) {
          out.changes.push({ action: 'update', kind: 'group', key: groupKey, destructive: false, reason: 'the MIS name or the name template changed', subject: { name: displayName }, target: { id: target.id }, before: { displayName: target.displayName }, after: { displayName } });
        }
      } else {
        out.changes.push({
          action: 'create', kind: 'group', key: groupKey, destructive: false,
          reason: `${g.kind} group in the MIS`,
          subject: { name: displayName },
          after: {
            displayName, mailNickname: nick, description: `${g.name} (${g.kind} group, managed by rollcall)`,
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
    const extra = gc.extraMembers?.[g.name];
    for (const upn of extra?.include ?? []) {
      const u = byUpn.get(upn.toLowerCase());
      if (u) wantMembers.set(u.id, undefined);
      else out.warnings.push(`groups.extraMembers "${g.name}": no account ${upn}`);
    }
    for (const upn of extra?.exclude ?? []) {
      const u = byUpn.get(upn.toLowerCase());
      if (u) { wantMembers.delete(u.id); wantOwners.delete(u.id); }
    }
    sync(groupRef, groupKey, 'member', wantMembers, target?.members ?? [], extra?.include ?? []);
    if (!mapped) sync(groupRef, groupKey, 'owner', wantOwners, target?.owners ?? [], []);
  }

  // rollcall's groups the MIS no longer has are tidied away (a deletion: counted by safety.maxDeletions).
  for (const g of ours.values()) {
    out.changes.push({ action: 'delete', kind: 'group', key: `group:nick:${g.mailNickname}`, destructive: true, reason: 'the MIS no longer has this group', subject: { name: g.displayName }, target: { id: g.id } });
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
      out.changes.push({
        action: role === 'owner' ? 'remove-owner' : 'remove-member', kind: 'membership', key: `${role}:${groupKey}:${personByAccount.get(id) ?? id}`, destructive: true,
        reason: `no longer ${role === 'owner' ? 'staff of' : 'in'} ${group.name} in the MIS`,
        subject: { person: personByAccount.get(id), name: group.name }, group, member: { id },
      });
    }
    if (foreign && role === 'member') out.warnings.push(`${foreign} member(s) of "${group.name}" are not managed by rollcall and were left alone`);
  }
}
