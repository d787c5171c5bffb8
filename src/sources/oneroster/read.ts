import path from 'node:path';
import { SourceError } from '../../errors.js';
import { RosterBuilder } from '../../roster/builder.js';
import { groupId, personId } from '../../roster/ids.js';
import type { MembershipRole, PersonId, Roster } from '../../roster/types.js';
import type { OneRosterSourceConfig } from '../config.js';
import { exists, exportDir, type FileSourceOptions } from '../file-options.js';
import { warnIfSeveralSchools } from '../multi-school.js';
import { idList, LeftOut, orgsOf, selectSchools } from '../school-filter.js';
import { readTable, type Row, type Table } from '../table.js';
import { oneRosterSpec } from './columns.js';
import { isContactRole, readOneRosterContacts } from './contacts.js';
import { kindOfRole, normaliseYearGroup, parseDate } from '../values.js';

const STAFF_ROLES = new Set(['teacher', 'administrator', 'aide', 'proctor', 'principal', 'counselor', 'siteadministrator', 'districtadministrator', 'systemadministrator']);
const NOT_PROVISIONED = new Set(['guardian', 'parent', 'relative', 'student' + 'parent', 'externaluser']);

/** userIds is a list of {type:identifier}; exporters write it as "{UPN:A123},{Fed:9}" or "{UPN:A123,Fed:9}". */
function userIds(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of (text ?? '').matchAll(/\{?\s*([^:{},]+?)\s*:\s*([^{},]+?)\s*\}?(?=,|$)/g)) out.set(m[1].toLowerCase(), m[2]);
  return out;
}

async function manifestFiles(dir: string): Promise<{ version: '1.1' | '1.2'; bulk: Set<string> }> {
  const manifest = await readTable(path.join(dir, 'manifest.csv'), { required: ['propertyName', 'value'], spec: oneRosterSpec('manifest') });
  const props = new Map(manifest.rows.map((r) => [r.get('propertyName') ?? '', { value: r.get('value') ?? '', line: r.line }]));
  const v = props.get('oneroster.version')?.value ?? '1.1';
  if (v !== '1.1' && v !== '1.2') throw new SourceError(`manifest.csv: oneroster.version "${v}" is not 1.1 or 1.2`, { file: 'manifest.csv', line: props.get('oneroster.version')?.line });
  const bulk = new Set<string>();
  for (const [key, { value, line }] of props) {
    if (!key.startsWith('file.')) continue;
    const name = key.slice(5);
    const mode = value.toLowerCase();
    if (mode === 'bulk') {
      if (!(await exists(path.join(dir, `${name}.csv`)))) throw new SourceError(`manifest.csv:${line} names ${name}.csv (bulk), which is not in the export`, { file: 'manifest.csv', line });
      bulk.add(name);
    } else if (mode === 'delta' && ['users', 'classes', 'enrollments', 'roles'].includes(name)) {
      // A delta lists changes only; read as a whole roster it would make everyone else look gone.
      throw new SourceError(`manifest.csv:${line}: ${name}.csv is a delta export; rollcall needs a bulk (full) export`, { file: 'manifest.csv', line });
    } else if (mode !== 'absent' && mode !== 'delta') {
      throw new SourceError(`manifest.csv:${line}: ${key} is "${value}", expected bulk, delta or absent`, { file: 'manifest.csv', line });
    }
  }
  return { version: v, bulk };
}

export async function readOneRoster(cfg: OneRosterSourceConfig, opts: FileSourceOptions): Promise<Roster> {
  const dir = await exportDir(opts.baseDir, cfg.dir, 'oneroster');
  if (!(await exists(path.join(dir, 'manifest.csv')))) throw new SourceError(`${cfg.dir} has no manifest.csv, so it is not a OneRoster CSV export`, { file: 'manifest.csv' });
  const { version, bulk } = await manifestFiles(dir);
  const need = ['users', ...(version === '1.2' ? ['roles'] : [])];
  for (const f of need) if (!bulk.has(f)) throw new SourceError(`manifest.csv does not list ${f}.csv as bulk; a OneRoster ${version} export needs it`, { file: 'manifest.csv' });
  const read = (name: string, required: string[]): Promise<Table | undefined> => (bulk.has(name) ? readTable(path.join(dir, `${name}.csv`), { required, spec: oneRosterSpec(name) }) : Promise.resolve(undefined));
  const deleted = (r: Row) => r.get('status')?.toLowerCase() === 'tobedeleted';
  const orgs = await read('orgs', ['sourcedId', 'type']);
  // A trust's export: only the people and classes of the selected schools are this config's.
  const selected = selectSchools(cfg.schools, 'source.oneroster.schools', orgs && orgsOf(orgs, 'sourcedId', 'name', 'type'));
  const leftOut = new LeftOut();

  const users = (await read('users', version === '1.2' ? ['sourcedId', 'givenName', 'familyName'] : ['sourcedId', 'role', 'givenName', 'familyName']))!;
  // 1.2 moved roles (and their dates) out of users.csv into roles.csv; the primary role decides the kind.
  const roleOf = new Map<string, { role?: string; begin?: string; end?: string; where: { file: string; line: number } }>();
  const elsewhere = new Set<string>();
  // 1.2: a parent's role, whichever school's it is (a parent is a contact of a pupil, not a member of a school).
  const contactRoleOf = new Map<string, string>();
  if (version === '1.2') {
    const roles = (await read('roles', ['userSourcedId', 'roleType', 'role']))!;
    for (const r of roles.rows) {
      if (deleted(r)) continue;
      const u = r.get('userSourcedId') ?? '';
      if (opts.contacts && isContactRole(r.get('role')) && !contactRoleOf.has(u)) contactRoleOf.set(u, r.get('role')!);
      if (selected) {
        const org = r.get('orgSourcedId');
        if (!org) throw new SourceError(`${roles.file}:${r.line}: orgSourcedId is empty; source.oneroster.schools needs it to tell whose school a role is`, { file: roles.file, line: r.line });
        // A role in another school of the trust: that school's config provisions it.
        if (!selected.has(org)) { elsewhere.add(u); continue; }
      }
      const primary = r.get('roleType')?.toLowerCase() === 'primary';
      if (primary || !roleOf.has(u)) roleOf.set(u, { role: r.get('role'), begin: r.get('beginDate'), end: r.get('endDate'), where: { file: roles.file, line: r.line } });
    }
  }

  const b = new RosterBuilder('oneroster', opts.asOf, opts.log);
  const idOf = new Map<string, PersonId>();
  let skipped = 0;
  if (selected && version === '1.1' && !users.has('orgSourcedIds')) {
    throw new SourceError(`${users.file}:1 has no orgSourcedIds column; source.oneroster.schools needs it to tell whose school a person is`, { file: users.file, line: 1 });
  }
  for (const r of users.rows) {
    const where = { file: users.file, line: r.line };
    const sourcedId = r.get('sourcedId');
    if (!sourcedId) throw new SourceError(`${users.file}:${r.line}: sourcedId is empty`, where);
    if (deleted(r)) continue;
    if (selected && version === '1.2' && !roleOf.has(sourcedId) && elsewhere.has(sourcedId)) { leftOut.people++; continue; }
    if (selected && version === '1.1') {
      const schools = idList(r.get('orgSourcedIds'));
      if (!schools.length) throw new SourceError(`${users.file}:${r.line}: orgSourcedIds of user ${sourcedId} is empty; source.oneroster.schools needs it to tell whose school a person is`, where);
      if (!schools.some((o) => selected.has(o))) { leftOut.people++; continue; }
    }
    const role = version === '1.2' ? roleOf.get(sourcedId) : { role: r.get('role'), where };
    if (!role) throw new SourceError(`${users.file}:${r.line}: user ${sourcedId} has no row in roles.csv`, where);
    const kind = kindOfRole(role.role, STAFF_ROLES, NOT_PROVISIONED);
    if (kind === 'skip') {
      skipped++;
      continue;
    }
    if (!kind) throw new SourceError(`${describe(role.where)}: role "${role.role ?? ''}" of user ${sourcedId} is not a OneRoster role rollcall knows`, role.where);
    const ids = userIds(r.get('userIds'));
    const identifier = r.get('identifier');
    const id = personId(kind, sourcedId);
    idOf.set(sourcedId, id);
    b.addPerson({
      id, kind, misId: sourcedId,
      legal: { first: r.get('givenName') ?? '', middle: r.get('middleName'), last: r.get('familyName') ?? '' },
      preferred: { first: r.get('preferredGivenName') ?? r.get('preferredFirstName'), last: r.get('preferredFamilyName') ?? r.get('preferredLastName') },
      startDate: parseDate('begin' in role ? role.begin : undefined, role.where, 'beginDate'),
      endDate: parseDate('end' in role ? role.end : undefined, role.where, 'endDate'),
      ...(kind === 'student'
        ? {
            yearGroup: normaliseYearGroup(r.get('grades')?.split(',')[0]),
            admissionNumber: ids.get('admissionnumber') ?? identifier,
            upn: ids.get('upn') ?? ids.get('dfe:upn'),
            house: r.get('metadata.house'),
          }
        : { staffCode: ids.get('staffcode') ?? identifier }),
      workEmail: r.get('email'),
    }, where);
  }
  if (skipped) opts.log.info(`oneroster: left out ${skipped} parent/guardian/relative user(s)${opts.contacts ? ' as accounts (they are read as contacts)' : ''}`);
  if (opts.contacts) {
    const students = new Set([...idOf].filter(([, id]) => id.startsWith('student:')).map(([sourcedId]) => sourcedId));
    readOneRosterContacts({
      users, students, deleted,
      roleOf: (id, r) => (version === '1.2' ? contactRoleOf.get(id) ?? roleOf.get(id)?.role : r.get('role')),
      otherSchoolsStudent: () => selected !== undefined,
    }, b);
  }

  const homeroom = new Set<string>();
  if (!selected) warnIfSeveralSchools(b, orgs, (r) => r.get('type')?.toLowerCase() === 'school' && !deleted(r));
  const classes = await read('classes', ['sourcedId', 'title', 'classType', ...(selected ? ['schoolSourcedId'] : [])]);
  const ownClasses = new Set<string>();
  for (const r of classes?.rows ?? []) {
    if (deleted(r)) continue;
    const where = { file: classes!.file, line: r.line };
    const misId = r.get('sourcedId');
    if (!misId) throw new SourceError(`${classes!.file}:${r.line}: sourcedId is empty`, where);
    if (selected) {
      const school = r.get('schoolSourcedId');
      if (!school) throw new SourceError(`${classes!.file}:${r.line}: schoolSourcedId of class ${misId} is empty; source.oneroster.schools needs it`, where);
      if (!selected.has(school)) { leftOut.classes++; continue; }
    }
    ownClasses.add(misId);
    const type = r.get('classType')?.toLowerCase();
    if (type !== 'homeroom' && type !== 'scheduled') throw new SourceError(`${classes!.file}:${r.line}: classType "${r.get('classType') ?? ''}" is not homeroom or scheduled`, where);
    if (type === 'homeroom') homeroom.add(misId);
    b.addGroup({ id: groupId(misId), kind: type === 'homeroom' ? 'registration' : 'teaching', misId, name: r.get('title') ?? '', subject: r.get('subjects')?.split(',')[0]?.trim() || undefined }, where);
  }

  const enrollments = await read('enrollments', ['classSourcedId', 'userSourcedId', 'role']);
  for (const r of enrollments?.rows ?? []) {
    if (deleted(r)) continue;
    const where = { file: enrollments!.file, line: r.line };
    const cls = r.get('classSourcedId') ?? '', user = r.get('userSourcedId') ?? '';
    const kind = kindOfRole(r.get('role'), STAFF_ROLES, NOT_PROVISIONED);
    if (kind === 'skip') continue;
    // Another school's class, or someone this config does not provision (a visiting teacher of another school).
    if (selected && (!ownClasses.has(cls) || !idOf.has(user))) { leftOut.memberships++; continue; }
    if (!kind) throw new SourceError(`${enrollments!.file}:${r.line}: role "${r.get('role') ?? ''}" is not a OneRoster enrolment role`, where);
    const role: MembershipRole = kind === 'student' ? 'member' : homeroom.has(cls) ? 'tutor' : 'teacher';
    b.addMembership({
      group: groupId(cls), person: idOf.get(user) ?? personId(kind, user), role,
      startDate: parseDate(r.get('beginDate'), where, 'beginDate'), endDate: parseDate(r.get('endDate'), where, 'endDate'),
    }, where);
  }
  const out = leftOut.describe('oneroster');
  if (out) opts.log.info(out);
  if (opts.calendar) opts.log.info('oneroster: OneRoster carries no timetable; no lessons read');
  return b.build();
}

const describe = (w: { file: string; line: number }) => `${w.file}:${w.line}`;
