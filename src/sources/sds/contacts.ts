import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../../errors.js';
import type { RosterBuilder } from '../../roster/builder.js';
import { personId } from '../../roster/ids.js';
import { ContactSink, type RelationshipTable } from '../contacts.js';
import { exists } from '../file-options.js';
import { readTable, type Table } from '../table.js';
import { sdsV21Spec } from './columns.js';

/**
 * SDS's relationship roles (v2.1 relationshipRole; v1 Guardianrelationship.csv Role) and Graph's words for them.
 * v1's Administrator has no Graph word: it is `other`, as a blank role is in SDS itself.
 */
export const SDS_RELATIONSHIPS: RelationshipTable = {
  parent: 'parent', guardian: 'guardian', relative: 'relative', aide: 'aide', doctor: 'doctor', child: 'child', other: 'other', administrator: 'other',
};

const noneError = (file: string, dir: string) => new SourceError(
  `${file} has no rows; guardians: needs the students' contacts in the SDS export (or remove guardians: from the config). Reading none would remove every guardian.`,
  { file: path.basename(file), line: 1 },
);

function requireColumns(t: Table, columns: string[], why: string): void {
  const missing = columns.filter((c) => !t.has(c));
  if (missing.length) {
    throw new SourceError(`${t.file}:1 has no ${missing.map((m) => `"${m}"`).join(' or ')} column; guardians: needs it ${why} (or remove guardians: from the config)`, { file: t.file, line: 1 });
  }
}

/**
 * SDS v2.1: relationships.csv links a student (userSourcedId) to a contact (relationshipUserSourcedId, a row of
 * users.csv without a role), as Microsoft's sample does. The contact's name, e-mail and phone (sms, else phone) are
 * users.csv's.
 */
export async function readSdsV21Contacts(dir: string, users: Table, students: ReadonlySet<string>, trust: boolean, b: RosterBuilder): Promise<void> {
  const file = path.join(dir, 'relationships.csv');
  if (!(await exists(file))) {
    throw new SourceError('the SDS export has no relationships.csv; guardians: reads students\' parents and guardians from it (add it to the export, or remove guardians: from the config)', { file: 'relationships.csv' });
  }
  requireColumns(users, ['email'], 'for the contacts\' e-mail addresses');
  const rel = await readTable(file, { required: ['userSourcedId', 'relationshipUserSourcedId', 'relationshipRole'], spec: sdsV21Spec('relationships.csv') });
  if (rel.rows.length === 0) throw noneError(rel.file, dir);
  const userRow = new Map(users.rows.map((r) => [r.get('sourcedId') ?? '', r]));
  const sink = new ContactSink(b, 'SDS', SDS_RELATIONSHIPS);
  for (const r of rel.rows) {
    const where = { file: rel.file, line: r.line };
    const student = r.get('userSourcedId'), contact = r.get('relationshipUserSourcedId');
    if (!student || !contact) { sink.skip('relationship(s) with an empty userSourcedId or relationshipUserSourcedId left out', where); continue; }
    // Another school's pupil in a trust's export: that school's config reads the contact.
    if (trust && !students.has(student)) continue;
    const u = userRow.get(contact);
    if (!u) { sink.skip(`relationship(s) to a contact ${users.file} does not have left out`, where); continue; }
    sink.add({
      student: personId('student', student), misId: contact,
      displayName: [u.get('givenName'), u.get('familyName')].filter(Boolean).join(' '),
      email: u.get('email'), mobilePhone: u.get('sms') ?? u.get('phone'), relationship: sink.relationship(r.get('relationshipRole')),
    }, where);
  }
  sink.finish();
}

/** A file of the export by name, in any capitals: Microsoft's pages spell v1's guardian files both ways. */
async function findFile(dir: string, name: string): Promise<string | undefined> {
  const hit = (await readdir(dir)).find((f) => f.toLowerCase() === name.toLowerCase());
  return hit && path.join(dir, hit);
}

/**
 * SDS v1 and UK format: Microsoft's "Parent and Guardian sync" files, the same for every v1 format. User.csv holds
 * the contacts (Email, First Name, Last Name, Phone, SIS ID); Guardianrelationship.csv links a student's SIS ID to
 * a contact by Email, with a Role (blank = Other).
 */
export async function readSdsV1Contacts(dir: string, students: (misId: string) => boolean, trust: boolean, b: RosterBuilder): Promise<void> {
  const userFile = await findFile(dir, 'User.csv');
  const relFile = await findFile(dir, 'Guardianrelationship.csv');
  if (!userFile || !relFile) {
    const missing = [!userFile && 'User.csv', !relFile && 'Guardianrelationship.csv'].filter(Boolean).join(' and ');
    throw new SourceError(`the SDS v1 export has no ${missing}; guardians: reads students' parents and guardians from SDS's Parent and Guardian sync files, User.csv and Guardianrelationship.csv (add them to the export, or remove guardians: from the config)`, { file: missing });
  }
  const users = await readTable(userFile, { required: ['Email', 'First Name', 'Last Name'] });
  const rel = await readTable(relFile, { required: ['Email'] });
  const sid = rel.has('SIS ID') ? 'SIS ID' : 'ID';
  if (!rel.has(sid)) throw new SourceError(`${rel.file}:1 has no "SIS ID" column (the student's id); guardians: needs it`, { file: rel.file, line: 1 });
  if (rel.rows.length === 0) throw noneError(rel.file, dir);
  const byEmail = new Map(users.rows.filter((r) => r.get('Email')).map((r) => [r.get('Email')!.toLowerCase(), r]));
  const sink = new ContactSink(b, 'SDS', SDS_RELATIONSHIPS);
  for (const r of rel.rows) {
    const where = { file: rel.file, line: r.line };
    const student = r.get(sid), email = r.get('Email');
    if (!student || !email) { sink.skip(`relationship(s) with an empty ${sid} or Email left out`, where); continue; }
    if (trust && !students(student)) continue;
    const u = byEmail.get(email.toLowerCase());
    if (!u) { sink.skip(`relationship(s) to an e-mail ${users.file} does not have left out`, where); continue; }
    sink.add({
      student: personId('student', student), misId: u.get('SIS ID') ?? email.toLowerCase(),
      displayName: [u.get('First Name'), u.get('Last Name')].filter(Boolean).join(' '),
      email: u.get('Email'), mobilePhone: u.get('Phone'), relationship: sink.relationship(r.get('Role')),
    }, where);
  }
  sink.finish();
}
