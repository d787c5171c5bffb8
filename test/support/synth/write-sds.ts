import { toCsv } from './csv-text.js';
import type { SynthSchool } from './school.js';

const SCHOOL = 'org-1';
const SESSION = 'session-1';

/**
 * School Data Sync v2.1. SDS has no registration groups, houses, preferred names, admission numbers or timetable,
 * so only people, classes (teaching groups) and their enrolments are written.
 */
export function writeSdsV21(school: SynthSchool): Map<string, string> {
  const files = new Map<string, string>();
  files.set('orgs.csv', toCsv(['sourcedId', 'name', 'type', 'parentSourcedId'], [[SCHOOL, school.name, 'school', '']]));
  files.set('academicSessions.csv', toCsv(['sourcedId', 'title', 'type', 'schoolYear', 'startDate', 'endDate'],
    [[SESSION, 'School year', 'schoolYear', school.academicYear.end.slice(0, 4), school.academicYear.start, school.academicYear.end]]));
  files.set('users.csv', toCsv(['sourcedId', 'username', 'givenName', 'familyName', 'password', 'activeDirectoryMatchId', 'email', 'phone', 'sms'],
    school.people.map((p) => [p.misId, p.workEmail ?? `${p.kind}-${p.misId}@school.example`, p.legal.first, p.legal.last, '', '', p.workEmail, '', ''])));
  files.set('roles.csv', toCsv(['userSourcedId', 'orgSourcedId', 'role', 'sessionSourcedId', 'grade', 'isPrimary', 'roleStartDate', 'roleEndDate'],
    school.people.map((p) => [p.misId, SCHOOL, p.kind === 'student' ? 'student' : 'teacher', SESSION, p.yearGroup ?? '', 'TRUE', p.startDate, p.endDate])));
  const teaching = school.groups.filter((g) => g.kind === 'teaching');
  const subjects = [...new Set(teaching.map((g) => g.subject ?? ''))].sort();
  files.set('courses.csv', toCsv(['sourcedId', 'orgSourcedId', 'title', 'code', 'schoolYearSourcedId', 'subject', 'grade'], subjects.map((s) => [`course-${s}`, SCHOOL, s, s, SESSION, '', ''])));
  files.set('classes.csv', toCsv(['sourcedId', 'orgSourcedId', 'title', 'sessionSourcedIds', 'courseSourcedId'], teaching.map((g) => [g.misId, SCHOOL, g.name, SESSION, `course-${g.subject ?? ''}`])));
  const ids = new Set(teaching.map((g) => g.id));
  files.set('enrollments.csv', toCsv(['classSourcedId', 'userSourcedId', 'role'], school.memberships.filter((m) => ids.has(m.group)).map((m) => [
    m.group.slice('group:'.length), m.person.slice(m.person.indexOf(':') + 1), m.role === 'member' ? 'student' : 'teacher',
  ])));
  return files;
}
