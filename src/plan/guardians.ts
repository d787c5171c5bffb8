// Students' guardians (relatedContacts of /education/users/{id}): the contacts the MIS gives against those the
// tenant holds, per managed student. rollcall owns the related contacts of the relationships it is configured for,
// on the students whose accounts it manages; others (a doctor an administrator added, any contact of an excluded
// or unmanaged student) are never changed, and are written back as they are because Graph replaces the collection.
import type { Config } from '../config/load.js';
import type { DesiredContact, DesiredGuardians } from '../policy/desired.js';
import { subjectOf } from '../policy/users.js';
import type { Snapshot, TenantRelatedContact } from '../tenant/types.js';
import { guardianChangeKey } from './keys.js';
import type { Change } from './types.js';
import type { UserPlan } from './users.js';

export interface GuardianPlan {
  changes: Change[];
  warnings: string[];
  /** Related contacts rollcall manages in the tenant now: what safety.maxGuardianRemovals is a share of. */
  managed: number;
}

/** A related contact as a change carries it (and as the PATCH sends it). */
export type ContactRecord = DesiredContact | { displayName: string; emailAddress: string | null; mobilePhone?: string | null; relationship: string; accessConsent: boolean | null };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the tenant holds, in the shape rollcall writes (null properties left out, as a PATCH would send them). */
function record(c: TenantRelatedContact): ContactRecord {
  return {
    displayName: c.displayName,
    emailAddress: c.emailAddress,
    ...(c.mobilePhone ? { mobilePhone: c.mobilePhone } : {}),
    relationship: c.relationship,
    accessConsent: c.accessConsent,
  };
}

const emailOf = (c: ContactRecord) => (c.emailAddress ?? '').toLowerCase();
/** Equal as Parent Connection sees them: addresses case-insensitively, no consent the same as false. */
const identity = (c: ContactRecord) => JSON.stringify([c.relationship.toLowerCase(), c.displayName, emailOf(c), c.mobilePhone ?? null, c.accessConsent === true]);
const sameSet = (a: ContactRecord[], b: ContactRecord[]) => a.length === b.length && [...a.map(identity)].sort().join('\n') === [...b.map(identity)].sort().join('\n');

/** Contacts a change takes off a student (by address: a new name or phone for the same address is not a removal). */
export function guardiansTakenOff(c: Pick<Change, 'kind' | 'before' | 'after'>): number {
  if (c.kind !== 'guardian') return 0;
  const list = (side: Record<string, unknown> | undefined) => (side?.relatedContacts ?? []) as ContactRecord[];
  const after = new Set(list(c.after).map(emailOf));
  return list(c.before).filter((x) => !after.has(emailOf(x))).length;
}

/**
 * Guardians of the students whose accounts rollcall manages: `set` where rollcall's relationships have none yet,
 * `update` where they differ from the MIS, `remove` where the MIS lists none now. A new account's guardians follow
 * its create (after the education profile). Nothing is planned from what was not read: contacts the source did not
 * read, education profiles that could not be read, or a profile /education/users did not list yet.
 */
export function planGuardians(config: Config, desired: DesiredGuardians, snapshot: Snapshot, users: UserPlan): GuardianPlan {
  const out: GuardianPlan = { changes: [], warnings: [], managed: 0 };
  if (!config.guardians) return out;
  const students = users.active.filter((u) => u.person.kind === 'student' && users.accountOf.has(u.person.id));
  if (!students.length) return out;
  const held = (why: string) => {
    out.warnings.push(`guardians of ${plural(students.length, 'student')} held: ${why}, so no guardian change is planned until it can be`);
    return out;
  };
  if (!config.tenant.education) return held('guardians are written on education profiles, which need an Education tenant (tenant.education: true)');
  if (!snapshot.education) return held('the tenant did not answer as an Education tenant (no /education endpoints)');
  if (!desired.read) return held('the source did not read students\' contacts');
  const read = snapshot.educationUsers ?? { unread: 'not read' };
  if ('unread' in read) {
    return held(`/education/users could not be read with relatedContacts (${read.unread}); reading them needs EduRoster.Read.All, writing them EduRoster.ReadWrite.All`);
  }
  const owned = new Set<string>(desired.relationships);
  const profiles = new Map(read.profiles.map((p) => [p.id, p]));
  const upnOf = new Map(snapshot.users.map((u) => [u.id, u.userPrincipalName]));
  const createdUpn = new Map(users.changes.filter((c) => c.kind === 'user' && c.action === 'create').map((c) => [c.key, String(c.after?.userPrincipalName ?? '')]));
  let missing = 0;

  for (const p of students) {
    const ref = users.accountOf.get(p.person.id)!;
    const want: ContactRecord[] = desired.byStudent.get(p.person.id) ?? [];
    const key = guardianChangeKey(p.person.id);
    if (ref.createdBy) {
      if (!want.length) continue;
      out.changes.push({
        action: 'set', kind: 'guardian', key, destructive: false,
        reason: `${plural(want.length, 'guardian')} of a new student`,
        subject: subjectOf(p.person, createdUpn.get(ref.createdBy)), target: { createdBy: ref.createdBy }, after: { relatedContacts: want },
      });
      continue;
    }
    const profile = profiles.get(ref.id!);
    if (!profile?.relatedContacts) { missing++; continue; }
    const have = profile.relatedContacts.map(record);
    const ours = have.filter((c) => owned.has(c.relationship.toLowerCase()));
    out.managed += ours.length;
    if (sameSet(ours, want)) continue;
    // Someone else's related contacts stay, first, as they were: Graph replaces the whole collection.
    const after = [...have.filter((c) => !owned.has(c.relationship.toLowerCase())), ...want];
    const wantIds = new Set(want.map(emailOf));
    const haveBy = new Map(ours.map((c) => [emailOf(c), identity(c)]));
    const added = want.filter((c) => !haveBy.has(emailOf(c))).length;
    const changed = want.filter((c) => haveBy.has(emailOf(c)) && haveBy.get(emailOf(c)) !== identity(c)).length;
    const removed = ours.filter((c) => !wantIds.has(emailOf(c))).length;
    const action = !ours.length ? 'set' : !want.length ? 'remove' : 'update';
    const counts = [added && `${added} added`, changed && `${changed} changed`, removed && `${removed} removed`].filter(Boolean).join(', ');
    const reason = action === 'set' ? `${plural(want.length, 'guardian')} from the MIS`
      : action === 'remove' ? `the MIS lists no guardians now: ${plural(removed, 'guardian')} removed`
      : `guardians differ from the MIS${counts ? `: ${counts}` : ''}`;
    out.changes.push({
      action, kind: 'guardian', key, destructive: false, reason,
      subject: subjectOf(p.person, upnOf.get(ref.id!)), target: { id: ref.id }, before: { relatedContacts: have }, after: { relatedContacts: after },
    });
  }
  if (missing) out.warnings.push(`${plural(missing, 'student')}' education profiles were not yet listed in /education/users: their guardians wait for the next run`);
  return out;
}
