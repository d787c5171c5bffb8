import type { HeaderSpec } from '../header-check.js';

/**
 * The columns of each OneRoster CSV file, 1.1 and 1.2 together (a 1.2 column in a 1.1 file is read the same way),
 * from the IMS OneRoster CSV binding, plus the preferred-name spellings some exporters use, which rollcall reads.
 */
const COMMON = ['sourcedId', 'status', 'dateLastModified'];
export const ONEROSTER_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'manifest.csv': ['propertyName', 'value'],
  'users.csv': [...COMMON, 'enabledUser', 'orgSourcedIds', 'role', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier', 'email', 'sms', 'phone', 'agentSourcedIds', 'grades', 'password', 'userMasterIdentifier', 'resourceSourcedIds', 'preferredGivenName', 'preferredMiddleName', 'preferredFamilyName', 'preferredFirstName', 'preferredLastName', 'primaryOrgSourcedId', 'pronouns'],
  'roles.csv': [...COMMON, 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId', 'userProfileSourcedId'],
  'orgs.csv': [...COMMON, 'name', 'type', 'identifier', 'parentSourcedId'],
  'classes.csv': [...COMMON, 'title', 'grades', 'courseSourcedId', 'classCode', 'classType', 'location', 'schoolSourcedId', 'termSourcedIds', 'subjects', 'subjectCodes', 'periods', 'resources'],
  'enrollments.csv': [...COMMON, 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'primary', 'beginDate', 'endDate'],
  'academicSessions.csv': [...COMMON, 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
  'courses.csv': [...COMMON, 'schoolYearSourcedId', 'title', 'courseCode', 'grades', 'orgSourcedId', 'subjects', 'subjectCodes', 'resources'],
  'demographics.csv': [...COMMON, 'birthDate', 'sex', 'americanIndianOrAlaskaNative', 'asian', 'blackOrAfricanAmerican', 'nativeHawaiianOrOtherPacificIslander', 'white', 'demographicRaceTwoOrMoreRaces', 'hispanicOrLatinoEthnicity', 'countryOfBirthCode', 'stateOfBirthAbbreviation', 'cityOfBirth', 'publicSchoolResidenceStatus'],
};

/** The header spec of one OneRoster file: its own columns, `ext_`/`metadata.` extensions, the other files. */
export function oneRosterSpec(name: string): HeaderSpec {
  const siblings = Object.fromEntries(Object.entries(ONEROSTER_COLUMNS).filter(([n]) => n !== `${name}.csv`));
  return { standard: 'OneRoster', columns: ONEROSTER_COLUMNS[`${name}.csv`], extensionPrefixes: ['ext_', 'ext.', 'metadata.'], siblings };
}
