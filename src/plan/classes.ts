import type { Config } from '../config/load.js';
import type { DesiredClasses } from '../policy/desired.js';
import { groupId } from '../roster/ids.js';
import type { PersonId } from '../roster/types.js';
import type { Snapshot, TenantClass, TenantUser } from '../tenant/types.js';
import type { AnchorAttribute } from './anchor.js';
import { teamChangeKey } from './keys.js';
import type { Blocked, Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { removedMemberSubject } from './member-subject.js';
import { accountSlots } from './account-slots.js';

export interface ClassMatch { misGroupId: string; classMail: string; line: number }

export interface ClassPlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
  managedMemberships: number;
}

/**
 * Education classes and class teams ("Classroom Provisioning"): the desired classes (policy/classes.ts) against
 * the tenant's. A class is the MIS group with the same externalId, so a class whose MIS id carries over into a new
 * academic year keeps its team (and is renamed to the new year); classes that end are archived, never deleted.
 * Only Education tenants have classes.
 */
export function planClasses(config: Config, desired: DesiredClasses, snapshot: Snapshot, users: UserPlan, matches: ClassMatch[]): ClassPlan {
  const out: ClassPlan = { changes: [], blocked: [], warnings: [], managedMemberships: 0 };
  if (!desired.enabled) return out;
  if (!config.tenant.education || !snapshot.education) {
    out.blocked.push({
      rule: 'classes',
      message: config.tenant.education
        ? 'the tenant did not answer as an Education tenant (no /education/classes): classes need Microsoft 365 Education; remove `classes:` or fix the tenant'
        : '`classes:` needs an Education tenant: set tenant.education: true on a Microsoft 365 Education tenant, or use `groups:` instead',
    });
    return out;
  }
  const attribute: AnchorAttribute = config.users.anchor;
  const prefix = desired.prefix;
  // Excluded and protected people's accounts are not rollcall's to move (UserPlan.managedIds leaves them out): their
  // class places stay as they are.
  const { managedIds } = users;
  const teamOf = new Map(snapshot.teams.map((t) => [t.id, t]));
  const byExternal = new Map(snapshot.classes.filter((c) => c.externalId).map((c) => [c.externalId!, c]));
  const byNick = new Map(snapshot.classes.map((c) => [c.mailNickname.toLowerCase(), c]));
  const adopt = new Map(matches.map((m) => [m.misGroupId, m]));
  // An active person's account, by slot (account-slots.ts): one lookup a class place.
  const slots = accountSlots(users, snapshot);
  const refOf = (p: PersonId) => { const s = slots.ofPerson(p); return s === undefined ? undefined : slots.ref(s); };
  // Made only when a class has someone to remove.
  let userByIdMemo: Map<string, TenantUser> | undefined;
  const userById = () => (userByIdMemo ??= new Map(snapshot.users.map((u) => [u.id, u])));
  const wantTeam = desired.team;
  const seen = new Set<string>();

  for (const d of desired.classes) {
    const { displayName } = d;
    const classKey = `class:${d.group}`;
    let existing: TenantClass | undefined = byExternal.get(d.externalId);
    const match = adopt.get(d.group);
    if (!existing && match) {
      existing = byNick.get(match.classMail.split('@')[0].toLowerCase());
      if (!existing) {
        out.warnings.push(`classes.matches line ${match.line}: no class with address ${match.classMail}; a new class will be created for ${d.group}`);
      } else {
        out.changes.push({ action: 'update', kind: 'class', key: classKey, destructive: false, reason: `adopted from classes.matches (line ${match.line})`, subject: { name: displayName }, target: { id: existing.id }, before: { externalId: existing.externalId ?? null }, after: { externalId: d.externalId } });
      }
    }
    let ref: ObjectRef & { name: string };
    if (existing) {
      seen.add(existing.id);
      ref = { id: existing.id, name: displayName };
      if (existing.displayName !== displayName && !match) {
        out.changes.push({ action: 'update', kind: 'class', key: classKey, destructive: false, reason: 'a new academic year or name', subject: { name: displayName }, target: { id: existing.id }, before: { displayName: existing.displayName }, after: { displayName } });
      }
    } else {
      out.changes.push({
        action: 'create', kind: 'class', key: classKey, destructive: false, reason: `${d.kind} group in the MIS`,
        subject: { name: displayName },
        after: { displayName, mailNickname: d.mailNickname, description: d.description, externalId: d.externalId, externalName: d.externalName, externalSource: d.externalSource },
      });
      ref = { createdBy: classKey, name: displayName };
    }

    const teachers = new Map<string, PersonId>();
    const students = new Map<string, PersonId>();
    for (const p of d.teachers) { const r = refOf(p); if (r) teachers.set(r.id ?? `+${r.createdBy}`, p); }
    for (const p of d.students) { const r = refOf(p); if (r) students.set(r.id ?? `+${r.createdBy}`, p); }
    // Teachers must be both teachers and members of a class (Graph's rule).
    const allMembers = new Map([...students, ...teachers]);
    sync(ref, classKey, 'owner', teachers, existing?.teachers ?? []);
    sync(ref, classKey, 'member', allMembers, existing?.members ?? []);

    const team = existing ? teamOf.get(existing.id) : undefined;
    if (wantTeam && !team && teachers.size === 0) {
      // Graph refuses a team without an owner, and a class's owners are its teachers.
      out.warnings.push(`class "${displayName}" has no teacher with an account: its team waits until it has one`);
    } else if (wantTeam && !team) {
      out.changes.push({ action: 'create', kind: 'team', key: teamChangeKey(d.group), destructive: false, reason: 'class team from the educationClass template', subject: { name: displayName }, target: ref });
    } else if (team?.isArchived) {
      out.changes.push({ action: 'unarchive', kind: 'team', key: teamChangeKey(d.group), destructive: false, reason: 'the class is current again', subject: { name: displayName }, target: { id: team.id } });
    }
  }

  // rollcall's classes that ended: their teams are archived (read-only, kept), never deleted.
  for (const c of snapshot.classes) {
    // rollcall's classes carry the MIS group's externalId as well as its nickname prefix (issue 12.6: never a prefix alone).
    if (seen.has(c.id) || !c.externalId || !c.mailNickname.toLowerCase().startsWith(prefix)) continue;
    const team = teamOf.get(c.id);
    if (config.classes?.onEnd === 'archive' && team && !team.isArchived) {
      out.changes.push({ action: 'archive', kind: 'team', key: teamChangeKey(groupId(c.externalId)), destructive: true, reason: 'the class has ended in the MIS', subject: { name: c.displayName }, target: { id: team.id } });
    }
  }
  return out;

  function sync(cls: ObjectRef & { name: string }, classKey: string, role: 'owner' | 'member', want: Map<string, PersonId>, have: string[]) {
    const haveSet = new Set(have);
    out.managedMemberships += have.filter((id) => managedIds.has(id)).length;
    for (const [k, person] of want) {
      if (!k.startsWith('+') && haveSet.has(k)) continue;
      const member = users.accountOf.get(person)!;
      out.changes.push({
        // A class is a Microsoft 365 group: its members join 20 to a request through the group, as any group's do.
        // Teachers go through the class, which makes them the group's owners and Teams' teachers.
        action: role === 'owner' ? 'add-owner' : 'add-member', kind: 'membership', ...(role === 'owner' ? { via: 'class' as const } : {}), key: `${role === 'owner' ? 'teacher' : 'student'}:${classKey}:${person}`, destructive: false,
        reason: `${role === 'owner' ? 'teaches' : 'in'} ${cls.name} in the MIS`,
        subject: { person, name: cls.name }, group: cls, member,
      });
    }
    for (const id of have) {
      if (want.has(id) || !managedIds.has(id)) continue;
      // Named by the person, as an add is: the key stays the same object's whichever way it changes.
      const subject = removedMemberSubject(userById().get(id), attribute, cls.name);
      out.changes.push({
        action: role === 'owner' ? 'remove-owner' : 'remove-member', kind: 'membership', via: 'class', key: `${role === 'owner' ? 'teacher' : 'student'}:${classKey}:${subject.person ?? id}`, destructive: true,
        reason: `no longer ${role === 'owner' ? 'teaches' : 'in'} ${cls.name} in the MIS`,
        subject, group: cls, member: { id },
      });
    }
  }
}
