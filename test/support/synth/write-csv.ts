import { toCsv } from './csv-text.js';
import type { SynthSchool } from './school.js';

/** The plain-CSV source's default layout (headers are the config keys). */
export function writePlainCsv(school: SynthSchool): Map<string, string> {
  const students = school.people.filter((p) => p.kind === 'student');
  const staff = school.people.filter((p) => p.kind === 'staff');
  const files = new Map<string, string>();
  files.set('students.csv', toCsv(
    ['id', 'first', 'middle', 'last', 'preferredFirst', 'preferredLast', 'yearGroup', 'registrationGroup', 'house', 'admissionNumber', 'upn', 'startDate', 'endDate', 'email'],
    students.map((p) => [p.misId, p.legal.first, p.legal.middle, p.legal.last, p.preferred.first, p.preferred.last, p.yearGroup, p.registrationGroup, p.house, p.admissionNumber, p.upn, p.startDate, p.endDate, p.workEmail]),
  ));
  files.set('staff.csv', toCsv(
    ['id', 'first', 'middle', 'last', 'preferredFirst', 'preferredLast', 'staffCode', 'email', 'startDate', 'endDate'],
    staff.map((p) => [p.misId, p.legal.first, p.legal.middle, p.legal.last, p.preferred.first, p.preferred.last, p.staffCode, p.workEmail, p.startDate, p.endDate]),
  ));
  files.set('groups.csv', toCsv(['id', 'name', 'kind', 'subject', 'startDate', 'endDate'], school.groups.map((g) => [g.misId, g.name, g.kind, g.subject, g.startDate, g.endDate])));
  files.set('memberships.csv', toCsv(['group', 'person', 'role'], school.memberships.map((m) => [m.group.slice('group:'.length), m.person, m.role])));
  files.set('lessons.csv', toCsv(['group', 'staff', 'room', 'period', 'start', 'end'], school.lessons.map((l) => [
    l.group.slice('group:'.length), l.staff.map((s) => s.slice(s.indexOf(':') + 1)).join(';'), l.room, l.period, l.start, l.end,
  ])));
  return files;
}
