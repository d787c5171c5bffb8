// The MIS model: what every source produces and everything after it reads.
// Ids are typed strings so a student id can never be confused with a staff or group id.

export type PersonKind = 'student' | 'staff';
export type PersonId = `student:${string}` | `staff:${string}`;
export type GroupId = `group:${string}`;
export type GroupKind = 'year' | 'registration' | 'house' | 'teaching';
export type MembershipRole = 'member' | 'teacher' | 'tutor';

/** Dates are ISO calendar dates (YYYY-MM-DD) in the school's time zone; undefined means "not given". */
export type IsoDate = string;

export interface Person {
  id: PersonId;
  kind: PersonKind;
  /** The MIS's own id for the person, as text (e.g. "1001"). `id` is `${kind}:${misId}`. */
  misId: string;
  legal: { first: string; middle?: string; last: string };
  /** Preferred names where the MIS has them; templates fall back to the legal name. */
  preferred: { first?: string; last?: string };
  startDate?: IsoDate;
  endDate?: IsoDate;
  yearGroup?: string;
  registrationGroup?: string;
  house?: string;
  admissionNumber?: string;
  /** DfE unique pupil number (students). */
  upn?: string;
  staffCode?: string;
  workEmail?: string;
}

export interface Group {
  id: GroupId;
  kind: GroupKind;
  misId: string;
  name: string;
  subject?: string;
  startDate?: IsoDate;
  endDate?: IsoDate;
}

export interface Membership {
  group: GroupId;
  person: PersonId;
  role: MembershipRole;
  startDate?: IsoDate;
  endDate?: IsoDate;
}

export interface Lesson {
  /** Stable id of this lesson occurrence: the same lesson read twice has the same id. */
  id: string;
  group: GroupId;
  staff: PersonId[];
  room?: string;
  period?: string;
  /** ISO date-times with offset. */
  start: string;
  end: string;
}

/**
 * Graph's educationContactRelationship values (educationRelatedContact.relationship); each source maps its own
 * words onto these, so policy and plan never see an MIS's vocabulary.
 */
export type ContactRelationship = 'parent' | 'guardian' | 'relative' | 'aide' | 'doctor' | 'child' | 'other';

/**
 * A student's parent, guardian or other contact as the MIS holds them (Teams Parent Connection reads them from
 * the student's relatedContacts). Personal data: e-mail and phone are masked wherever output is masked.
 */
export interface Contact {
  /** The student the contact belongs to. */
  student: PersonId;
  /** The MIS's own id of the contact person (or of the row, for a plain CSV); stable between reads. */
  misId: string;
  displayName: string;
  email?: string;
  mobilePhone?: string;
  relationship: ContactRelationship;
  /** What the MIS says of the contact's consent (e.g. "may be contacted", a parental-responsibility flag); undefined = the MIS does not say. */
  consent?: boolean;
  /** The MIS's order among this student's contacts (1 = first); undefined = not given. */
  priority?: number;
}

export interface RosterCounts {
  students: number;
  staff: number;
  groups: number;
  memberships: number;
  lessons: number;
}

export interface Roster {
  source: { kind: 'bromcom' | 'oneroster' | 'sds' | 'csv'; asOf: IsoDate };
  people: Person[];
  groups: Group[];
  memberships: Membership[];
  lessons: Lesson[];
  /**
   * Students' contacts, read only when the config asks for guardians. Undefined means "not read" (never "none"):
   * a plan must not remove guardians because a source did not send them.
   */
  contacts?: Contact[];
  /** Things the source could read but that a person should look at (a sharp drop in records, skipped rows). */
  warnings: string[];
}
