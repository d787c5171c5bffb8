// The plan: plain data with a stable order (octoDNS style). It is what reviewers read, what the checksum
// covers and what apply executes; `schema/plan.schema.json` describes its JSON form.
import type { PersonId } from '../roster/types.js';

export type ChangeAction =
  | 'create' | 'update' | 'suspend' | 'restore' | 'delete'
  /** A first write of something that exists but nobody has set (an account's education profile). */
  | 'set'
  | 'add-member' | 'remove-member' | 'add-owner' | 'remove-owner'
  /** Takes away what rollcall set on an object that stays (a student's guardians, when the MIS lists none). */
  | 'remove'
  | 'archive' | 'unarchive'
  /** A licence given to an account directly (assignLicense), or taken back from a leaver's. */
  | 'assign' | 'unassign';

export type ChangeKind = 'user' | 'educationUser' | 'licence' | 'group' | 'class' | 'team' | 'event' | 'membership' | 'guardian';

/**
 * Every kind, in the order a reviewer reads them (summary tables, mail), for whoever must name them all (`--only
 * kind:K`); a Record, so a kind added above must be added here.
 */
const EVERY_KIND: Record<ChangeKind, true> = { user: true, educationUser: true, licence: true, group: true, class: true, team: true, event: true, membership: true, guardian: true };
export const CHANGE_KINDS = Object.keys(EVERY_KIND) as ChangeKind[];

/** Who or what a change is about, in the words a reviewer needs; render/ masks it per report.personalData. */
export interface Subject {
  /** MIS person id (`student:1001`) when the change is about a person. */
  person?: PersonId;
  /** Sign-in address (users) or group address/name. */
  name?: string;
  displayName?: string;
  /** Year group of a student, shown even when names are masked. */
  yearGroup?: string;
  /** Initials, for masked output. */
  initials?: string;
}

/** A reference to a tenant object: its id when it exists, or the key of the change that creates it. */
export interface ObjectRef {
  id?: string;
  createdBy?: string;
}

export interface Change {
  action: ChangeAction;
  kind: ChangeKind;
  /** Stable id of the change: the same change planned twice has the same key (e.g. `user:student:1001`). */
  key: string;
  /** Why, in one line a school's IT lead understands. */
  reason: string;
  subject: Subject;
  /**
   * Suspend, delete, member/owner removal and archive of anything but calendar events: shown first and marked, and
   * what the merge gate compares. buildPlan sets it from `isDestructive` (destructive.ts), whatever a planner wrote.
   */
  destructive: boolean;
  /** The object changed, for updates, suspends, deletes and memberships. */
  target?: ObjectRef;
  /** For memberships: the group and the member. */
  group?: ObjectRef & { name: string };
  /** Memberships of an education class go through the class (teachers and students), not the plain group. */
  via?: 'class';
  member?: ObjectRef;
  /** Properties before and after, where it applies (only the properties that change). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export type UnsyncedReason =
  | 'excluded'
  | 'blocked-address'
  | 'no-ascii-name'
  | 'address-taken-by-unmanaged-account'
  /** Held before a create: an account rollcall does not manage may already be this person's (`account` names it). */
  | 'possible-existing-account'
  | 'conflict'
  | 'no-matching-account'
  | 'scope-unknown'
  | 'anchor-too-long'
  | 'future-starter';

export interface Unsynced {
  person?: PersonId;
  /** The account the entry is about, e.g. the possible existing account a held person may already have. */
  account?: string;
  reason: UnsyncedReason;
  detail: string;
  subject: Subject;
}

export interface Blocked {
  /** The safety rule, e.g. `safety.maxSuspensions`, or another reason the plan cannot go ahead. */
  rule: string;
  message: string;
  /** The figures: how many the plan would do, out of how many, against which limit. */
  count?: number;
  total?: number;
  limit?: { percent?: number; count?: number };
}

export type SummaryCounts = Record<string, Partial<Record<ChangeAction, number>>>;

export interface Plan {
  version: 1;
  /** sha256 over the canonical form of everything below but `createdAt`; what reviewers approve. */
  checksum: string;
  createdAt: string;
  school: { key: string; name: string };
  mode: 'create' | 'link';
  asOf: string;
  source: { kind: string; digest: string; counts: Record<string, number> };
  tenant: { domains: string[]; users: number; managedUsers: number };
  /** Counts per kind and action, e.g. `{ user: { create: 12, suspend: 1 } }`. */
  summary: SummaryCounts;
  changes: Change[];
  warnings: string[];
  blocked: Blocked[];
  unsynced: Unsynced[];
  /** Things a person must do that rollcall cannot (e.g. hand out passwords). */
  notes: string[];
}
