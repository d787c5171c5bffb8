export type * from './types.js';
export { personId, groupId, parsePersonId, lessonId } from './ids.js';
export { countRoster } from './counts.js';
export { rosterDigest } from './digest.js';
export { sortRoster, canonicalJson } from './canonical.js';
export { personStatus, isValidIsoDate, addDays, today, type PersonStatus } from './dates.js';
export { RosterBuilder } from './builder.js';
export { deriveAttributeGroups } from './derive.js';
export { describeWhere, type Where } from './where.js';
