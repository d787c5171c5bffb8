import type { Config } from '../config/load.js';
import { EDUCATION_FIELDS, educationProfileOf, type EducationField } from '../policy/education-profile.js';
import { subjectOf } from '../policy/users.js';
import type { Snapshot, TenantEducationUser } from '../tenant/types.js';
import { educationUserChangeKey } from './keys.js';
import type { Change } from './types.js';
import type { UserPlan } from './users.js';

export interface EducationUserPlan {
  changes: Change[];
  warnings: string[];
}

/** A profile as the plan compares it: the same flattened fields the policy gives, null where Graph has nothing. */
function flatten(p: TenantEducationUser): Record<EducationField, string | null> {
  return {
    primaryRole: p.primaryRole,
    'student.externalId': p.student?.externalId ?? null,
    'student.studentNumber': p.student?.studentNumber ?? null,
    'student.grade': p.student?.grade ?? null,
    'student.graduationYear': p.student?.graduationYear ?? null,
    'teacher.externalId': p.teacher?.externalId ?? null,
    'teacher.teacherNumber': p.teacher?.teacherNumber ?? null,
  };
}

/** Nobody has set it: Graph's role for an account no one gave one, and no student or teacher data. */
function isUnset(have: Record<EducationField, string | null>): boolean {
  return (have.primaryRole === 'none' || have.primaryRole === 'unknownFutureValue') && EDUCATION_FIELDS.every((f) => f === 'primaryRole' || have[f] === null);
}

/**
 * Education profiles of the accounts rollcall manages, on Education tenants (`set` where nobody has set one,
 * `update` where it differs from the MIS). Only the properties that differ are changed, and only with what the MIS
 * gives. Profiles that could not be read are held, never guessed: the plan says why and plans none of them.
 */
export function planEducationUsers(config: Config, snapshot: Snapshot, users: UserPlan, asOf: string): EducationUserPlan {
  const out: EducationUserPlan = { changes: [], warnings: [] };
  if (!config.tenant.education || !users.active.length) return out;
  if (!snapshot.education) {
    out.warnings.push('education profiles are not written: the tenant did not answer as an Education tenant (no /education endpoints)');
    return out;
  }
  const read = snapshot.educationUsers ?? { unread: 'not read' };
  if ('unread' in read) {
    out.warnings.push(`education profiles of ${users.active.length} ${users.active.length === 1 ? 'person' : 'people'} held: /education/users could not be read, so no profile change is planned until it can (${read.unread})`);
    return out;
  }
  const yearStart = config.school.academicYearStart;
  const profiles = new Map(read.profiles.map((p) => [p.id, p]));
  const upnOf = new Map(snapshot.users.map((u) => [u.id, u.userPrincipalName]));
  const createdUpn = new Map(users.changes.filter((c) => c.kind === 'user' && c.action === 'create').map((c) => [c.key, String(c.after?.userPrincipalName ?? '')]));
  let missing = 0;

  for (const p of users.active) {
    const ref = users.accountOf.get(p.person.id);
    if (!ref) continue;
    const want = educationProfileOf(p.person, asOf, yearStart);
    const key = educationUserChangeKey(p.person.id);
    if (ref.createdBy) {
      // A new account has a profile nobody has set: all of it is written once the account exists.
      out.changes.push({
        action: 'set', kind: 'educationUser', key, destructive: false,
        reason: `education profile of a new ${want.primaryRole === 'student' ? 'student' : 'member of staff'}`,
        subject: subjectOf(p.person, createdUpn.get(ref.createdBy)), target: { createdBy: ref.createdBy }, after: { ...want },
      });
      continue;
    }
    const profile = profiles.get(ref.id!);
    // An account /education/users did not list (too new to be replicated there): unknown, so left for the next run.
    if (!profile) { missing++; continue; }
    const have = flatten(profile);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const f of EDUCATION_FIELDS) {
      const v = want[f];
      if (v !== undefined && have[f] !== v) { before[f] = have[f]; after[f] = v; }
    }
    if (!Object.keys(after).length) continue;
    const unset = isUnset(have);
    out.changes.push({
      action: unset ? 'set' : 'update', kind: 'educationUser', key, destructive: false,
      reason: unset ? 'no education profile yet' : `MIS and education profile differ (${Object.keys(after).join(', ')})`,
      subject: subjectOf(p.person, upnOf.get(ref.id!)), target: { id: ref.id }, before, after,
    });
  }
  if (missing) out.warnings.push(`${missing} account${missing === 1 ? ' was' : 's were'} not yet listed in /education/users: their education profiles wait for the next run`);
  return out;
}

/** The PATCH body for /education/users/{id} from a change's flattened `after` (`student.grade` → `student: { grade }`). */
export function educationUserPatch(after: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, Record<string, unknown> | unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    const dot = k.indexOf('.');
    if (dot < 0) { body[k] = v; continue; }
    const outer = k.slice(0, dot);
    ((body[outer] ??= {}) as Record<string, unknown>)[k.slice(dot + 1)] = v;
  }
  return body;
}
