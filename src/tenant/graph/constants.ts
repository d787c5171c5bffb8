// Names and $select lists shared by the reader and the writer.

// The event tag is shared with the planner, which writes it: one definition, in plan/.
export { ROLLCALL_PROPERTY_SET, ROLLCALL_EVENT_PROPERTY_ID } from '../../plan/event-property.js';

export const USER_SELECT = [
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'accountEnabled',
  'employeeId', 'employeeType', 'onPremisesExtensionAttributes', 'employeeLeaveDateTime', 'usageLocation',
];

/** Added to USER_SELECT only when the config assigns licences directly: a run without them reads no more than before. */
export const LICENCE_USER_SELECT = ['assignedLicenses'];

export const GROUP_SELECT = [
  'id', 'displayName', 'mailNickname', 'mail', 'description', 'groupTypes', 'securityEnabled', 'mailEnabled',
];

export const CLASS_SELECT = ['id', 'displayName', 'mailNickname', 'externalId'];

export const EDUCATION_USER_SELECT = ['id', 'primaryRole', 'student', 'teacher'];
/** Not among Graph's default properties: selected only when the config manages guardians. */
export const RELATED_CONTACTS = 'relatedContacts';

export const EVENT_SELECT = ['id', 'subject', 'start', 'end', 'location', 'isReminderOn', 'reminderMinutesBeforeStart'];

/** Graph's largest page for users and groups. */
export const PAGE_SIZE = 999;

/** JSON batching: at most 20 requests per $batch. */
export const BATCH_LIMIT = 20;

/**
 * Just under 20 writes/s so a first sync stays inside Graph's write quota (3,000 writes per 150 s per app and
 * tenant) instead of provoking 429s.
 */
export const DEFAULT_WRITES_PER_SECOND = 19.5;

/** Teams takes at most 10 POSTs a second (team create, archive, unarchive) apart from the directory's quota. */
export const DEFAULT_TEAMS_POSTS_PER_SECOND = 9.5;
export const TEAMS_POSTS_BURST = 10;

export const DEFAULT_CONCURRENCY = 4;

/** Pauses before each poll of a Teams async operation. Teams takes seconds to minutes to provision a team:
 * polling sooner than 5 s mostly asks too early and costs a request for nothing. */
export const TEAM_POLL_DELAYS_MS = [5000, 5000, 10_000, 15_000, 30_000, 30_000, 30_000];
