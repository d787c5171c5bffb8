// What rollcall sees of a tenant (Snapshot) and what it asks the tenant writer to do (TenantOp).
// The tenant layer never decides what should change; plan/ and apply/ do.
import type { MissingPermission } from '../errors.js';

export interface TenantUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mail?: string | null;
  accountEnabled: boolean;
  employeeId?: string | null;
  employeeType?: string | null;
  /** onPremisesExtensionAttributes.extensionAttribute1..15, keyed "extensionAttribute1" … */
  extensionAttributes?: Record<string, string | null>;
  employeeLeaveDateTime?: string | null;
  usageLocation?: string | null;
  /** Licences as Graph lists them (directly or through a group); read only when the config assigns licences. */
  assignedLicenses?: AssignedLicence[];
}

/** One licence on an account: the SKU and the service plans switched off (by servicePlanId). */
export interface AssignedLicence {
  skuId: string;
  disabledPlans: string[];
}

/** A SKU the tenant subscribes to (`/subscribedSkus`): its units and service plans. */
export interface TenantSku {
  skuId: string;
  skuPartNumber: string;
  /** `prepaidUnits.enabled`: units bought and usable. */
  enabled: number;
  /** `consumedUnits`: units assigned. */
  consumed: number;
  servicePlans: { servicePlanId: string; servicePlanName: string }[];
}

/** The tenant's SKUs as read, or why they could not be: unknown, never taken for "the tenant has none". */
export type LicencesRead = { skus: TenantSku[] } | { unread: string };

export interface TenantGroup {
  id: string;
  displayName: string;
  mailNickname: string;
  mail?: string | null;
  description?: string | null;
  groupTypes: string[];
  securityEnabled: boolean;
  mailEnabled: boolean;
  /** Directory object ids; read through /groups/delta, never one call per group. */
  members: string[];
  owners: string[];
}

export interface TenantClass {
  id: string;
  displayName: string;
  mailNickname: string;
  externalId?: string | null;
  teachers: string[];
  members: string[];
}

export interface TenantTeam {
  id: string;
  isArchived: boolean;
}

export interface TenantEvent {
  id: string;
  userId: string;
  /** Value of rollcall's single-value extended property: which lesson this event is. */
  tag: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  location?: string | null;
  reminderMinutes?: number | null;
}

/**
 * A user's education profile (/education/users/{id}): the role and the student or teacher data School Data Sync
 * writes. `primaryRole` is Graph's word as read (`none` for a user nobody set).
 */
export interface TenantEducationUser {
  id: string;
  primaryRole: string;
  student: { externalId: string | null; studentNumber: string | null; grade: string | null; graduationYear: string | null } | null;
  teacher: { externalId: string | null; teacherNumber: string | null } | null;
  /** The student's parents and guardians as Graph holds them; undefined when not read (guardians off), never "none". */
  relatedContacts?: TenantRelatedContact[];
}

/** One of an education user's relatedContacts, as read (Graph's relationship word kept as it comes). */
export interface TenantRelatedContact {
  displayName: string;
  emailAddress: string | null;
  mobilePhone: string | null;
  relationship: string;
  accessConsent: boolean | null;
}

/** Education profiles as read, or why they could not be: unknown, never taken for "nobody has one". */
export type EducationUsersRead = { profiles: TenantEducationUser[] } | { unread: string };

export interface Snapshot {
  readAt: string;
  domains: string[];
  education: boolean;
  /** Only on Education tenants (tenant.education and the tenant answered as one). */
  educationUsers?: EducationUsersRead;
  /** Only when the config assigns licences directly (users.*.licences). */
  licences?: LicencesRead;
  users: TenantUser[];
  groups: TenantGroup[];
  classes: TenantClass[];
  teams: TenantTeam[];
  events: TenantEvent[];
}

/** An id known now, or the id a previous op in the same execute() call produced (by its key). */
export type IdRef = string | { ref: string };

export type TenantOp =
  | { op: 'user.create'; key: string; body: Record<string, unknown> }
  | { op: 'user.update'; key: string; id: IdRef; patch: Record<string, unknown> }
  | { op: 'user.delete'; key: string; id: IdRef }
  | { op: 'user.restore'; key: string; id: IdRef }
  | { op: 'group.create'; key: string; body: Record<string, unknown> }
  | { op: 'group.update'; key: string; id: IdRef; patch: Record<string, unknown> }
  | { op: 'group.delete'; key: string; id: IdRef }
  | { op: 'member.add'; key: string; groupId: IdRef; memberIds: IdRef[]; role: 'member' | 'owner' }
  | { op: 'member.remove'; key: string; groupId: IdRef; memberId: IdRef; role: 'member' | 'owner' }
  | { op: 'educationUser.update'; key: string; id: IdRef; patch: Record<string, unknown> }
  /** POST /users/{id}/assignLicense: licences to add (or whose disabled plans change) and SKU ids to remove. */
  | { op: 'licence.assign'; key: string; id: IdRef; add: AssignedLicence[]; remove: string[] }
  | { op: 'class.create'; key: string; body: Record<string, unknown> }
  | { op: 'class.update'; key: string; id: IdRef; patch: Record<string, unknown> }
  | { op: 'class.delete'; key: string; id: IdRef }
  | { op: 'class.add'; key: string; classId: IdRef; userId: IdRef; role: 'teacher' | 'member' }
  | { op: 'class.remove'; key: string; classId: IdRef; userId: IdRef; role: 'teacher' | 'member' }
  | { op: 'team.create'; key: string; groupId: IdRef }
  | { op: 'team.archive'; key: string; teamId: IdRef }
  | { op: 'team.unarchive'; key: string; teamId: IdRef }
  | { op: 'event.create'; key: string; userId: IdRef; body: Record<string, unknown> }
  | { op: 'event.update'; key: string; userId: IdRef; id: string; patch: Record<string, unknown> }
  | { op: 'event.delete'; key: string; userId: IdRef; id: string }
  | { op: 'mail.send'; key: string; from: string; message: Record<string, unknown> };

export interface OpResult {
  key: string;
  status: 'done' | 'skipped' | 'failed';
  /** The id of the object created or adopted. */
  id?: string;
  /** True when a create found the object already there (a retried or interrupted run) and took it over. */
  adopted?: boolean;
  /** Why it was skipped (e.g. "already a member") or why it failed. */
  detail?: string;
  /** Graph's request-id of the answer, where there was one (what Microsoft support asks for); failures carry theirs in `error`. */
  requestId?: string;
  /** With a 403, the permissions the call needs (README's write set named first), for the run's closing error. */
  error?: { status: number; code: string; message: string; requestId?: string; missingPermissions?: MissingPermission[] };
}

export interface TenantWriter {
  /** `onResult` hears each op's result as it finishes (before the whole call does), so a journal can stream them. */
  execute(ops: TenantOp[], onProgress?: (done: number, total: number) => void, onResult?: (r: OpResult) => void): Promise<OpResult[]>;
}

export interface CalendarRead {
  /** Whose calendars to read: ids, or a choice made from the users just read (so users are read only once). */
  userIds: string[] | ((users: TenantUser[]) => string[]);
  from: string;
  to: string;
}

export interface TenantReader {
  /**
   * A complete snapshot or an error: never a partial one. `education` is false when the tenant is not an Education
   * tenant. `guardians` adds students' relatedContacts to the education profiles read; `licences` the tenant's
   * subscribed SKUs and accounts' assigned licences.
   */
  read(opts: { education: boolean; guardians?: boolean; calendar?: CalendarRead; licences?: boolean }): Promise<Snapshot>;
}
