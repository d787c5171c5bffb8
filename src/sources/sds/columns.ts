import type { HeaderSpec } from '../header-check.js';

/**
 * The columns of each School Data Sync v2.1 CSV file (Microsoft's SDS v2.1 format), plus middleName, which some
 * exporters add and rollcall reads.
 */
export const SDS_V21_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'users.csv': ['sourcedId', 'username', 'givenName', 'familyName', 'middleName', 'password', 'activeDirectoryMatchId', 'email', 'phone', 'sms'],
  'roles.csv': ['userSourcedId', 'orgSourcedId', 'role', 'sessionSourcedId', 'grade', 'isPrimary', 'roleStartDate', 'roleEndDate'],
  'orgs.csv': ['sourcedId', 'name', 'type', 'parentSourcedId'],
  'classes.csv': ['sourcedId', 'orgSourcedId', 'title', 'sessionSourcedIds', 'courseSourcedId'],
  'enrollments.csv': ['classSourcedId', 'userSourcedId', 'role'],
  'academicSessions.csv': ['sourcedId', 'title', 'type', 'schoolYear', 'startDate', 'endDate'],
  'courses.csv': ['sourcedId', 'orgSourcedId', 'title', 'code', 'schoolYearSourcedId', 'subject', 'grade'],
  'demographics.csv': ['userSourcedId', 'sex', 'birthDate', 'birthCity', 'birthState', 'birthCountry', 'ethnicityCodes', 'raceCodes'],
  'relationships.csv': ['userSourcedId', 'relationshipUserSourcedId', 'relationshipRole'],
  'userFlags.csv': ['userSourcedId', 'flag'],
};

export function sdsV21Spec(file: string): HeaderSpec {
  const siblings = Object.fromEntries(Object.entries(SDS_V21_COLUMNS).filter(([n]) => n !== file));
  return { standard: 'SDS v2.1', columns: SDS_V21_COLUMNS[file], extensionPrefixes: ['ext_'], siblings };
}
