// The desired state of groups, classes and calendar events: what policy/ computes from the configuration and the
// roster, and what plan/ diffs against the Snapshot. Names, nicknames, descriptions and event bodies are final here;
// people are MIS person ids (plan/ resolves them to the accounts that are, or will be, theirs).
import type { ContactRelationship, GroupId, GroupKind, PersonId } from '../roster/types.js';

/** How Graph makes the group: a Microsoft 365 group (mail) or a security group. */
export interface MailSettings {
  groupTypes: string[];
  mailEnabled: boolean;
  securityEnabled: boolean;
}

interface DesiredGroupBase {
  /** The MIS group it comes from (`group:455`), its name and kind: what reasons and warnings speak of. */
  group: GroupId;
  name: string;
  kind: GroupKind;
  displayName: string;
  /** Students, and staff when groups.staffAs makes them members, in the MIS's order. */
  members: PersonId[];
  /** groups.extraMembers for this group: addresses of accounts added to, or kept out of, its members. */
  extraMembers: { include: readonly string[]; exclude: readonly string[] };
}

/** A group rollcall makes and owns: found again by its nickname, recognised by the mark in its description. */
export interface DesiredOwnGroup extends DesiredGroupBase {
  mappedTo?: undefined;
  mailNickname: string;
  /** What the group is, then rollcall's ownership mark. */
  description: string;
  mail: MailSettings;
  /** Staff, when groups.staffAs makes them owners. */
  owners: PersonId[];
}

/** A group of the school's that groups.map feeds: only its members are rollcall's, its owners are left alone. */
export interface DesiredMappedGroup extends DesiredGroupBase {
  /** The group's address, as groups.map gives it. */
  mappedTo: string;
}

export type DesiredGroup = DesiredOwnGroup | DesiredMappedGroup;

export interface DesiredGroups {
  /** groups.from names some kind of MIS group: without one, no group is planned and none ends. */
  enabled: boolean;
  /** The nickname prefix of rollcall's groups (`bts-`): a group made before marks is recognised by it. */
  prefix: string;
  /** The MIS groups current on the day, in the order of their ids. */
  groups: DesiredGroup[];
  /** Nickname → the academic year (`2025-26`) in which the MIS group it was made for ended. */
  endedIn: Map<string, string>;
  /** The academic year of the day before the run: the year of a group the MIS no longer lists at all. */
  yearBefore: string;
}

/**
 * Security groups named in users.*.securityGroups, rollcall's own: found again by nickname, marked in their
 * description. Who belongs follows each account's desired user (DesiredUser.securityGroups).
 */
export interface DesiredSecurityGroups {
  /** The nickname prefix of rollcall's security groups (`bts-sg-`). */
  prefix: string;
  /** Group name (as users.*.securityGroups renders it) → its nickname. */
  nicknames: Map<string, string>;
  /** The description every one of them gets, mark included. */
  description: string;
  mail: MailSettings;
}

/** An education class as it should be, with its externalId (the MIS group's id) linking it to the MIS. */
export interface DesiredClass {
  group: GroupId;
  name: string;
  kind: GroupKind;
  displayName: string;
  mailNickname: string;
  description: string;
  externalId: string;
  externalName: string;
  externalSource: 'sis';
  /** Teachers (the class's owners), and students, in the MIS's order. */
  teachers: PersonId[];
  students: PersonId[];
}

export interface DesiredClasses {
  /** classes.from names some kind of MIS group. */
  enabled: boolean;
  /** The nickname prefix of rollcall's classes (`bts-class-`): with the externalId, what makes a class rollcall's. */
  prefix: string;
  /** Each class gets a team (classes.team). */
  team: boolean;
  classes: DesiredClass[];
}

export interface EventTime {
  dateTime: string;
  timeZone: string;
}

/** The body of a lesson's event in Graph's terms, the same in every attendee's calendar. */
export interface EventBody {
  subject: string;
  start: EventTime;
  end: EventTime;
  location: { displayName: string };
  isReminderOn: boolean;
  reminderMinutesBeforeStart?: number;
  showAs: 'busy';
}

/** One lesson of the window: an event in each attendee's calendar. */
export interface DesiredLesson {
  /** The roster's stable lesson id. */
  lesson: string;
  /** The value of rollcall's extended property on the event (`bts:<lesson>`): how rollcall finds it again. */
  tag: string;
  body: EventBody;
  /** The lesson's instants (ISO with offset): an event the tenant stores in UTC is compared by these. */
  startsAt: string;
  endsAt: string;
  /** Students of the class and the lesson's staff whose calendars are in scope (calendar.users, exclude), sorted. */
  attendees: PersonId[];
}

export interface DesiredEvents {
  /** calendar.enabled. */
  enabled: boolean;
  /** What every tag of this school begins with (`bts:`): the events that are rollcall's. */
  tagPrefix: string;
  reminderMinutes?: number;
  /** The lessons of the window (calendar.windowDays from the day), by start time then id. */
  lessons: DesiredLesson[];
}

/** A student's parent or guardian as Graph's relatedContact should hold it (Teams Parent Connection reads these). */
export interface DesiredContact {
  displayName: string;
  emailAddress: string;
  /** Only with guardians.phones. */
  mobilePhone?: string;
  relationship: ContactRelationship;
  accessConsent: boolean;
}

export interface DesiredGuardians {
  /** The relationships rollcall manages (guardians.relationships): related contacts of any other are someone else's. */
  relationships: readonly ContactRelationship[];
  /** False when the source did not read contacts: unknown, so nothing is planned (never "nobody has any"). */
  read: boolean;
  /** Students in scope → their contacts as they should be, in a stable order; a student with none is absent. */
  byStudent: Map<PersonId, DesiredContact[]>;
  /** Contacts left out and why, in counts (no names). */
  warnings: string[];
}
