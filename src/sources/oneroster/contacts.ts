import { SourceError } from '../../errors.js';
import type { RosterBuilder } from '../../roster/builder.js';
import { personId } from '../../roster/ids.js';
import { ContactSink, relationshipKey, type RelationshipTable } from '../contacts.js';
import { idList } from '../school-filter.js';
import type { Row, Table } from '../table.js';

/** OneRoster's contact roles (1.1 and 1.2 alike) and Graph's words for them; other roles are not contacts. */
export const ONEROSTER_RELATIONSHIPS: RelationshipTable = { parent: 'parent', guardian: 'guardian', relative: 'relative' };

export const isContactRole = (role: string | undefined): boolean => role !== undefined && relationshipKey(role) in ONEROSTER_RELATIONSHIPS;

/**
 * users.csv columns contacts cannot do without: the link, and the e-mail Parent Connection reaches them by. Checked
 * only when guardians are on, so an export without them still provisions accounts when they are off.
 */
export function checkContactColumns(users: Table): void {
  const missing = ['agentSourcedIds', 'email'].filter((c) => !users.has(c));
  if (missing.length) {
    throw new SourceError(
      `${users.file}:1 has no ${missing.map((m) => `"${m}"`).join(' or ')} column; guardians: needs it to link parents and guardians to their students (export users.csv with ${missing.join(' and ')}, or remove guardians: from the config)`,
      { file: users.file, line: 1 },
    );
  }
}

export interface OneRosterContactInput {
  users: Table;
  /** The role word of each user (users.csv `role` in 1.1; in 1.2 the role from roles.csv, of any school). */
  roleOf: (sourcedId: string, row: Row) => string | undefined;
  /** sourcedIds of the students this config provisions. */
  students: ReadonlySet<string>;
  /** A trust's export: a link to a student of another school is that school's, not a warning here. */
  otherSchoolsStudent: (sourcedId: string) => boolean;
  deleted: (r: Row) => boolean;
}

/**
 * Parents, guardians and relatives are users whose role says so, linked to students by `agentSourcedIds` on the
 * student (listing contacts), on the contact (listing students), or both: exporters differ, so either direction is
 * a link and a link written twice is one.
 */
export function readOneRosterContacts(input: OneRosterContactInput, b: RosterBuilder): void {
  const { users } = input;
  checkContactColumns(users);
  const sink = new ContactSink(b, 'OneRoster', ONEROSTER_RELATIONSHIPS);
  const contacts = new Map<string, { row: Row; role: string }>();
  const studentRows: Row[] = [];
  for (const r of users.rows) {
    const id = r.get('sourcedId');
    if (!id || input.deleted(r)) continue;
    const role = input.roleOf(id, r);
    if (isContactRole(role)) contacts.set(id, { row: r, role: role! });
    else if (input.students.has(id)) studentRows.push(r);
  }
  if (contacts.size === 0) {
    throw new SourceError(
      `${users.file} has no users with role parent, guardian or relative; guardians: needs the export to include students' contacts (or remove guardians: from the config). Reading none would remove every guardian.`,
      { file: users.file },
    );
  }
  const links = new Map<string, { student: string; contact: string }>();
  const link = (student: string, contact: string) => links.set(`${student}\u0000${contact}`, { student, contact });
  for (const r of studentRows) {
    for (const agent of idList(r.get('agentSourcedIds'))) {
      if (contacts.has(agent)) link(r.get('sourcedId')!, agent);
      else sink.skip('link(s) from a student to a contact users.csv does not have (or not a parent, guardian or relative) left out', { file: users.file, line: r.line });
    }
  }
  for (const [id, { row }] of contacts) for (const student of idList(row.get('agentSourcedIds'))) link(student, id);
  for (const { student, contact } of links.values()) {
    if (!input.students.has(student) && input.otherSchoolsStudent(student)) continue;
    const { row, role } = contacts.get(contact)!;
    const name = [row.get('preferredGivenName') ?? row.get('preferredFirstName') ?? row.get('givenName'), row.get('preferredFamilyName') ?? row.get('preferredLastName') ?? row.get('familyName')].filter(Boolean).join(' ');
    sink.add({
      student: personId('student', student), misId: contact, displayName: name,
      email: row.get('email'), mobilePhone: row.get('sms') ?? row.get('phone'), relationship: sink.relationship(role),
    }, { file: users.file, line: row.line });
  }
  sink.finish();
}
