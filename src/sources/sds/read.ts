import path from 'node:path';
import { SourceError } from '../../errors.js';
import { RosterBuilder } from '../../roster/builder.js';
import { groupId, personId } from '../../roster/ids.js';
import type { PersonId, PersonKind, Roster } from '../../roster/types.js';
import type { SdsSourceConfig } from '../config.js';
import { exists, exportDir, type FileSourceOptions } from '../file-options.js';
import { warnIfSeveralSchools } from '../multi-school.js';
import { LeftOut, orgsOf, selectSchools } from '../school-filter.js';
import { readTable, type Row, type Table } from '../table.js';
import { sdsV21Spec } from './columns.js';
import { readSdsV1Contacts, readSdsV21Contacts } from './contacts.js';
import { kindOfRole, normaliseYearGroup, parseDate } from '../values.js';

const STAFF_ROLES = new Set(['teacher', 'professor', 'administrator', 'aide', 'principal', 'counselor', 'staff', 'districtadministrator', 'siteadministrator', 'systemadministrator', 'proctor', 'instructor', 'lecturer', 'teachingassistant', 'faculty', 'officialstaff']);
const NOT_PROVISIONED = new Set(['guardian', 'parent', 'relative', 'externaluser']);

async function need(dir: string, name: string, required: string[], v21 = false): Promise<Table> {
  if (!(await exists(path.join(dir, name)))) throw new SourceError(`the SDS export has no ${name}`, { file: name });
  return readTable(path.join(dir, name), { required, spec: v21 ? sdsV21Spec(name) : undefined });
}

export async function readSds(cfg: SdsSourceConfig, opts: FileSourceOptions): Promise<Roster> {
  const dir = await exportDir(opts.baseDir, cfg.dir, 'sds');
  const b = new RosterBuilder('sds', opts.asOf, opts.log);
  const leftOut = new LeftOut();
  const contacts = opts.contacts ?? false;
  if ((cfg.format ?? 'v2.1') === 'v2.1') await readV21(dir, b, cfg.schools, leftOut, contacts);
  else await readV1(dir, b, cfg.format === 'uk', cfg.schools, leftOut, contacts);
  const out = leftOut.describe('sds');
  if (out) opts.log.info(out);
  if (opts.calendar) opts.log.info('sds: School Data Sync files carry no timetable; no lessons read');
  return b.build();
}

/** SDS v2.1: people are the users with a student or staff role; a user with only a guardian role is not one. */
async function readV21(dir: string, b: RosterBuilder, schools: string[] | undefined, leftOut: LeftOut, contacts: boolean): Promise<void> {
  const orgs = (await exists(path.join(dir, 'orgs.csv'))) ? await readTable(path.join(dir, 'orgs.csv'), { required: ['sourcedId', 'type'], spec: sdsV21Spec('orgs.csv') }) : undefined;
  const selected = selectSchools(schools, 'source.sds.schools', orgs && orgsOf(orgs, 'sourcedId', 'name', 'type'));
  if (!selected) warnIfSeveralSchools(b, orgs, (r) => r.get('type')?.toLowerCase() === 'school');
  const users = await need(dir, 'users.csv', ['sourcedId', 'givenName', 'familyName'], true);
  const roles = await need(dir, 'roles.csv', ['userSourcedId', 'role', ...(selected ? ['orgSourcedId'] : [])], true);
  const primary = new Map<string, Row>();
  const elsewhere = new Set<string>();
  for (const r of roles.rows) {
    const u = r.get('userSourcedId') ?? '';
    if (selected) {
      const org = r.get('orgSourcedId');
      if (!org) throw new SourceError(`${roles.file}:${r.line}: orgSourcedId is empty; source.sds.schools needs it to tell whose school a role is`, { file: roles.file, line: r.line });
      if (!selected.has(org)) { elsewhere.add(u); continue; }
    }
    const isPrimary = r.get('isPrimary')?.toLowerCase() === 'true';
    if (isPrimary || !primary.has(u)) primary.set(u, r);
  }
  const idOf = new Map<string, PersonId>();
  for (const r of users.rows) {
    const where = { file: users.file, line: r.line };
    const sourcedId = r.get('sourcedId');
    if (!sourcedId) throw new SourceError(`${users.file}:${r.line}: sourcedId is empty`, where);
    const role = primary.get(sourcedId);
    if (!role && elsewhere.has(sourcedId)) { leftOut.people++; continue; }
    if (!role) continue; // guardians and contacts appear in users.csv without a role
    const roleWhere = { file: roles.file, line: role.line };
    const kind = kindOfRole(role.get('role'), STAFF_ROLES, NOT_PROVISIONED);
    if (kind === 'skip') continue;
    if (!kind) throw new SourceError(`${roles.file}:${role.line}: role "${role.get('role') ?? ''}" is not an SDS role rollcall knows`, roleWhere);
    const id = personId(kind, sourcedId);
    idOf.set(sourcedId, id);
    b.addPerson({
      id, kind, misId: sourcedId,
      legal: { first: r.get('givenName') ?? '', middle: r.get('middleName'), last: r.get('familyName') ?? '' },
      preferred: {},
      startDate: parseDate(role.get('roleStartDate'), roleWhere, 'roleStartDate'),
      endDate: parseDate(role.get('roleEndDate'), roleWhere, 'roleEndDate'),
      yearGroup: kind === 'student' ? normaliseYearGroup(role.get('grade')) : undefined,
      workEmail: r.get('email'),
    }, where);
  }
  if (contacts) {
    const students = new Set([...idOf].filter(([, id]) => id.startsWith('student:')).map(([sourcedId]) => sourcedId));
    await readSdsV21Contacts(dir, users, students, selected !== undefined, b);
  }
  const classes = await need(dir, 'classes.csv', ['sourcedId', 'title', ...(selected ? ['orgSourcedId'] : [])], true);
  const ownClasses = new Set<string>();
  for (const r of classes.rows) {
    const where = { file: classes.file, line: r.line };
    const misId = r.get('sourcedId');
    if (!misId) throw new SourceError(`${classes.file}:${r.line}: sourcedId is empty`, where);
    if (selected && !selected.has(r.get('orgSourcedId') ?? '')) { leftOut.classes++; continue; }
    ownClasses.add(misId);
    b.addGroup({ id: groupId(misId), kind: 'teaching', misId, name: r.get('title') ?? '' }, where);
  }
  const enrollments = await need(dir, 'enrollments.csv', ['classSourcedId', 'userSourcedId', 'role'], true);
  for (const r of enrollments.rows) {
    const where = { file: enrollments.file, line: r.line };
    const kind = kindOfRole(r.get('role'), STAFF_ROLES, NOT_PROVISIONED);
    if (kind === 'skip') continue;
    if (!kind) throw new SourceError(`${enrollments.file}:${r.line}: role "${r.get('role') ?? ''}" is not an SDS enrolment role`, where);
    const user = r.get('userSourcedId') ?? '';
    if (selected && (!ownClasses.has(r.get('classSourcedId') ?? '') || !idOf.has(user))) { leftOut.memberships++; continue; }
    b.addMembership({ group: groupId(r.get('classSourcedId') ?? ''), person: idOf.get(user) ?? personId(kind, user), role: kind === 'student' ? 'member' : 'teacher' }, where);
  }
}

/** SDS v1 and its UK variant: the same files; UK headers say "ID"/"School DfE Number" where v1 says "SIS ID"/"School SIS ID". */
async function readV1(dir: string, b: RosterBuilder, uk: boolean, schools: string[] | undefined, leftOut: LeftOut, contacts: boolean): Promise<void> {
  const schoolTable = (await exists(path.join(dir, 'School.csv'))) ? await readTable(path.join(dir, 'School.csv')) : undefined;
  // v1 names a school by `SIS ID`, the UK format by `DfE Number`; people and sections point at it as `School …`.
  const schoolId = uk ? 'DfE Number' : 'SIS ID';
  const selected = selectSchools(schools, 'source.sds.schools', schoolTable && orgsOf(schoolTable, schoolTable.has(schoolId) ? schoolId : 'SIS ID', 'Name'));
  if (!selected) warnIfSeveralSchools(b, schoolTable, () => true);
  const schoolOf = (t: Table, r: Row): string | undefined => r.get(t.has(`School ${schoolId}`) ? `School ${schoolId}` : 'School SIS ID');
  const own = (t: Table, r: Row, what: 'person' | 'section'): boolean => {
    if (!selected) return true;
    const school = schoolOf(t, r);
    if (!school) throw new SourceError(`${t.file}:${r.line}: School ${schoolId} is empty; source.sds.schools needs it`, { file: t.file, line: r.line });
    if (selected.has(school)) return true;
    if (what === 'person') leftOut.people++;
    else leftOut.classes++;
    return false;
  };
  const ownPeople = new Set<string>();
  const ownSections = new Set<string>();
  const idCol = (t: Table) => (t.has('SIS ID') ? 'SIS ID' : 'ID');
  const sectionCol = (t: Table) => (t.has('Section SIS ID') ? 'Section SIS ID' : 'Section ID');
  const people: [string, PersonKind][] = [['Student.csv', 'student'], ['Teacher.csv', 'staff']];
  let inactive = 0;
  for (const [file, kind] of people) {
    const probe = await need(dir, file, ['First Name', 'Last Name']);
    const id = idCol(probe);
    if (!probe.has(id)) throw new SourceError(`${file}:1 lacks required column "${uk ? 'ID' : 'SIS ID'}"`, { file, line: 1 });
    for (const r of probe.rows) {
      const where = { file, line: r.line };
      const misId = r.get(id);
      if (!misId) throw new SourceError(`${file}:${r.line}: ${id} is empty`, where);
      if (r.get('Status') && r.get('Status')!.toLowerCase() !== 'active') {
        inactive++;
        continue;
      }
      if (!own(probe, r, 'person')) continue;
      ownPeople.add(personId(kind, misId));
      b.addPerson({
        id: personId(kind, misId), kind, misId,
        legal: { first: r.get('First Name') ?? '', middle: r.get('Middle Name'), last: r.get('Last Name') ?? '' },
        preferred: {},
        ...(kind === 'student'
          ? { yearGroup: normaliseYearGroup(r.get('Grade')), admissionNumber: r.get('Student Number') }
          : { staffCode: r.get('Teacher Number') }),
      }, where);
    }
  }
  if (inactive) b.warn(`left out ${inactive} person(s) whose Status is not Active`);
  if (contacts) await readSdsV1Contacts(dir, (misId) => ownPeople.has(personId('student', misId)), selected !== undefined, b);
  const sections = await need(dir, 'Section.csv', ['Section Name']);
  const sid = idCol(sections);
  if (!sections.has(sid)) throw new SourceError(`Section.csv:1 lacks required column "${uk ? 'ID' : 'SIS ID'}"`, { file: 'Section.csv', line: 1 });
  for (const r of sections.rows) {
    const where = { file: sections.file, line: r.line };
    const misId = r.get(sid);
    if (!misId) throw new SourceError(`Section.csv:${r.line}: ${sid} is empty`, where);
    if (!own(sections, r, 'section')) continue;
    ownSections.add(misId);
    b.addGroup({ id: groupId(misId), kind: 'teaching', misId, name: r.get('Section Name') ?? '', subject: r.get('Course Subject') }, where);
  }
  const rosters: [string, PersonKind][] = [['StudentEnrollment.csv', 'student'], ['TeacherRoster.csv', 'staff']];
  for (const [file, kind] of rosters) {
    const t = await need(dir, file, []);
    const sec = sectionCol(t), id = idCol(t);
    if (!t.has(sec) || !t.has(id)) throw new SourceError(`${file}:1 lacks required column(s) "${sec}", "${id}"`, { file, line: 1 });
    for (const r of t.rows) {
      if (selected && (!ownSections.has(r.get(sec) ?? '') || !ownPeople.has(personId(kind, r.get(id) ?? '')))) { leftOut.memberships++; continue; }
      b.addMembership({ group: groupId(r.get(sec) ?? ''), person: personId(kind, r.get(id) ?? ''), role: kind === 'student' ? 'member' : 'teacher' }, { file, line: r.line });
    }
  }
}
