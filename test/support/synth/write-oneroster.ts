import { toCsv } from './csv-text.js';
import type { SynthSchool } from './school.js';

const SCHOOL = 'org-1';
const TERM = 'term-1';
const MODIFIED = '2025-09-01T00:00:00Z';

/**
 * OneRoster 1.2 CSV (bulk). UK-specific fields ride in places the standard allows: admission number and staff
 * code in `identifier`, the UPN in `userIds`, the house in a `metadata.house` extension column, the year as
 * `grades`. OneRoster has no timetable, so lessons are not written.
 */
export function writeOneRoster12(school: SynthSchool): Map<string, string> {
  const files = new Map<string, string>();
  const manifest: [string, string][] = [
    ['manifest.version', '1.0'], ['oneroster.version', '1.2'],
    ['file.academicSessions', 'bulk'], ['file.categories', 'absent'], ['file.classes', 'bulk'], ['file.classResources', 'absent'],
    ['file.courses', 'bulk'], ['file.courseResources', 'absent'], ['file.demographics', 'absent'], ['file.enrollments', 'bulk'],
    ['file.lineItemLearningObjectiveIds', 'absent'], ['file.lineItems', 'absent'], ['file.lineItemScoreScales', 'absent'],
    ['file.orgs', 'bulk'], ['file.resources', 'absent'], ['file.resultLearningObjectiveIds', 'absent'], ['file.results', 'absent'],
    ['file.resultScoreScales', 'absent'], ['file.roles', 'bulk'], ['file.scoreScales', 'absent'], ['file.userProfiles', 'absent'],
    ['file.userResources', 'absent'], ['file.users', 'bulk'],
    ['source.systemName', 'rollcall synthetic school'], ['source.systemCode', 'synth'],
  ];
  files.set('manifest.csv', toCsv(['propertyName', 'value'], manifest));
  files.set('orgs.csv', toCsv(['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'], [[SCHOOL, '', MODIFIED, school.name, 'school', '', '']]));
  files.set('academicSessions.csv', toCsv(['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
    [[TERM, '', MODIFIED, `${school.academicYear.start.slice(0, 4)}-${school.academicYear.end.slice(2, 4)}`, 'schoolYear', school.academicYear.start, school.academicYear.end, '', school.academicYear.end.slice(0, 4)]]));
  const subjects = [...new Set(school.groups.map((g) => g.subject ?? 'Registration'))].sort();
  files.set('courses.csv', toCsv(['sourcedId', 'status', 'dateLastModified', 'schoolYearSourcedId', 'title', 'courseCode', 'grades', 'orgSourcedId', 'subjects', 'subjectCodes'],
    subjects.map((s) => [`course-${s}`, '', MODIFIED, TERM, s, s, '', SCHOOL, s, ''])));
  files.set('classes.csv', toCsv(['sourcedId', 'status', 'dateLastModified', 'title', 'grades', 'courseSourcedId', 'classCode', 'classType', 'location', 'schoolSourcedId', 'termSourcedIds', 'subjects', 'subjectCodes', 'periods'],
    school.groups.map((g) => [g.misId, '', MODIFIED, g.name, '', `course-${g.subject ?? 'Registration'}`, g.name, g.kind === 'registration' ? 'homeroom' : 'scheduled', '', SCHOOL, TERM, g.subject, '', ''])));
  files.set('users.csv', toCsv(
    ['sourcedId', 'status', 'dateLastModified', 'enabledUser', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier', 'email', 'sms', 'phone', 'agentSourcedIds', 'grades', 'password', 'userMasterIdentifier', 'resourceSourcedIds', 'preferredGivenName', 'preferredMiddleName', 'preferredFamilyName', 'primaryOrgSourcedId', 'pronouns', 'metadata.house'],
    school.people.map((p) => [
      p.misId, '', MODIFIED, 'true', p.workEmail ?? '', p.upn ? `{UPN:${p.upn}}` : '', p.legal.first, p.legal.last, p.legal.middle,
      p.kind === 'student' ? p.admissionNumber : p.staffCode, p.workEmail, '', '', '', p.yearGroup ? p.yearGroup.padStart(2, '0') : '', '', '', '',
      p.preferred.first, '', p.preferred.last, SCHOOL, '', p.house,
    ]),
  ));
  files.set('roles.csv', toCsv(['sourcedId', 'status', 'dateLastModified', 'userSourcedId', 'roleType', 'role', 'beginDate', 'endDate', 'orgSourcedId', 'userProfileSourcedId'],
    school.people.map((p) => [`role-${p.misId}`, '', MODIFIED, p.misId, 'primary', p.kind === 'student' ? 'student' : 'teacher', p.startDate, p.endDate, SCHOOL, ''])));
  files.set('enrollments.csv', toCsv(['sourcedId', 'status', 'dateLastModified', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'primary', 'beginDate', 'endDate'],
    school.memberships.map((m, i) => [`enr-${i + 1}`, '', MODIFIED, m.group.slice('group:'.length), SCHOOL, m.person.slice(m.person.indexOf(':') + 1), m.role === 'member' ? 'student' : 'teacher', m.role === 'member' ? 'false' : 'true', m.startDate, m.endDate])));
  return files;
}
