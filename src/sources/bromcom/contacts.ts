import { SourceError } from '../../errors.js';
import type { RosterBuilder } from '../../roster/builder.js';
import { personId } from '../../roster/ids.js';
import { ContactSink, type RelationshipTable } from '../contacts.js';
import type { DataSet, DataSetRow, DataSetValue } from './dataset.js';
import type { EmailColumns } from './emails.js';

// Bromcom keeps a pupil's contacts in StudentContacts (a row per pupil and contact person), the contact's name in
// People, and addresses and numbers in Emails and PersonTelephones, all by PersonID. None of their column names is
// public: like Emails', they are discovered (a `1=0` read) and mapped from known candidates, case-insensitively;
// a required one missing is an error listing the columns the service has.

interface Candidate<R extends string> { role: R; names: string[]; required: boolean }

function discover<R extends string>(entity: string, columns: DataSet['columns'], candidates: Candidate<R>[]): Partial<Record<R, string>> {
  const found: Partial<Record<R, string>> = {};
  const missing: string[] = [];
  for (const c of candidates) {
    const name = c.names.find((n) => columns.has(n.toLowerCase()));
    if (name) found[c.role] = name.toLowerCase();
    else if (c.required) missing.push(`${c.role} (${c.names.join(', ')})`);
  }
  if (missing.length) {
    const seen = [...columns.values()].map((c) => c.name).join(', ') || 'none';
    throw new SourceError(`Bromcom entity ${entity} has no column rollcall knows for the ${missing.join(', nor for the ')}; it has: ${seen}`, { record: entity });
  }
  return found;
}

type ContactRole = 'student' | 'person' | 'relationship' | 'priority' | 'responsibility' | 'correspondence';
export type StudentContactColumns = Partial<Record<ContactRole, string>> & Record<'student' | 'person' | 'relationship', string>;

/**
 * `consent` is the parental-responsibility flag where StudentContacts has one (the legal right to a pupil's
 * information), else the receives-correspondence flag; `priority` is the contact order (1 first).
 */
export const studentContactColumns = (columns: DataSet['columns']) => discover<ContactRole>('StudentContacts', columns, [
  { role: 'student', names: ['StudentID', 'PupilID'], required: true },
  { role: 'person', names: ['ContactPersonID', 'ContactID', 'PersonID'], required: true },
  { role: 'relationship', names: ['RelationshipType', 'Relationship', 'RelationshipTypeDescription', 'RelationshipDescription', 'ContactRelationship'], required: true },
  { role: 'priority', names: ['Priority', 'ContactPriority', 'ContactOrder', 'ContactSequence'], required: false },
  { role: 'responsibility', names: ['ParentalResponsibility', 'HasParentalResponsibility', 'IsParentalResponsibility'], required: false },
  { role: 'correspondence', names: ['ReceivesCorrespondence', 'ReceiveCorrespondence', 'Correspondence', 'IsCorrespondence'], required: false },
]) as StudentContactColumns;

type PersonRole = 'person' | 'first' | 'last' | 'preferredFirst' | 'preferredLast';
export type PeopleColumns = Partial<Record<PersonRole, string>> & Record<'person' | 'first' | 'last', string>;
export const peopleColumns = (columns: DataSet['columns']) => discover<PersonRole>('People', columns, [
  { role: 'person', names: ['PersonID'], required: true },
  { role: 'first', names: ['FirstName', 'Forename', 'LegalFirstName'], required: true },
  { role: 'last', names: ['LastName', 'Surname', 'LegalLastName', 'FamilyName'], required: true },
  { role: 'preferredFirst', names: ['PreferredFirstName', 'PreferredForename'], required: false },
  { role: 'preferredLast', names: ['PreferredLastName', 'PreferredSurname'], required: false },
]) as PeopleColumns;

type PhoneRole = 'person' | 'number' | 'type' | 'primary';
export type PhoneColumns = Partial<Record<PhoneRole, string>> & Record<'person' | 'number' | 'type', string>;
export const phoneColumns = (columns: DataSet['columns']) => discover<PhoneRole>('PersonTelephones', columns, [
  { role: 'person', names: ['PersonID'], required: true },
  { role: 'number', names: ['TelephoneNumber', 'PhoneNumber', 'Number', 'Telephone'], required: true },
  { role: 'type', names: ['TelephoneType', 'TelephoneTypeDescription', 'PhoneType', 'Type'], required: true },
  { role: 'primary', names: ['IsPrimary', 'Primary', 'Priority'], required: false },
]) as PhoneColumns;

/**
 * Bromcom's relationship descriptions (UK MIS wording) and the DfE CBDS codes some schools see instead, mapped onto
 * Graph's. Others are `other`, with one counted warning.
 */
export const BROMCOM_RELATIONSHIPS: RelationshipTable = {
  parent: 'parent', mother: 'parent', father: 'parent', stepmother: 'parent', stepfather: 'parent', stepparent: 'parent',
  adoptivemother: 'parent', adoptivefather: 'parent', adoptiveparent: 'parent', par: 'parent', stp: 'parent',
  guardian: 'guardian', legalguardian: 'guardian', specialguardian: 'guardian', carer: 'guardian', fostercarer: 'guardian',
  fostermother: 'guardian', fosterfather: 'guardian', fosterparent: 'guardian', car: 'guardian', fos: 'guardian',
  relative: 'relative', otherrelative: 'relative', otherfamilymember: 'relative', familymember: 'relative', grandparent: 'relative',
  grandmother: 'relative', grandfather: 'relative', aunt: 'relative', uncle: 'relative', brother: 'relative', sister: 'relative',
  sibling: 'relative', rel: 'relative', fam: 'relative',
  doctor: 'doctor', doc: 'doctor', othercontact: 'other', other: 'other', oth: 'other', familyfriend: 'other', socialworker: 'other',
  swr: 'other', childminder: 'other', chm: 'other',
};

const text = (v: DataSetValue | undefined): string | undefined => {
  if (v === null || v === undefined) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
};
const flag = (v: DataSetValue | undefined): boolean | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (/^(true|1|yes|y)$/i.test(String(v).trim())) return true;
  if (/^(false|0|no|n)$/i.test(String(v).trim())) return false;
  return undefined;
};
/** Lower first: a primary (true) before others, priority 1 before 2. */
const rank = (v: DataSetValue | undefined, column: string | undefined): number => {
  if (!column || v === null || v === undefined) return Number.MAX_SAFE_INTEGER;
  if (column === 'priority') return Number.isFinite(Number(v)) ? Number(v) : Number.MAX_SAFE_INTEGER;
  return flag(v) ? 0 : 1;
};

/** One value per person: the best-ranked row's (ties: the first row), from rows that pass `keep`. */
function bestByPerson(ds: DataSet, person: string, value: string, primary: string | undefined, keep: (row: DataSetRow) => boolean): Map<string, string> {
  const best = new Map<string, { v: string; rank: number }>();
  for (const row of ds.rows) {
    const p = text(row[person]), v = text(row[value]);
    if (!p || !v || !keep(row)) continue;
    const r = rank(row[primary ?? ''], primary);
    const seen = best.get(p);
    if (!seen || r < seen.rank) best.set(p, { v, rank: r });
  }
  return new Map([...best].map(([p, { v }]) => [p, v]));
}

export interface BromcomContactTables {
  StudentContacts: DataSet;
  People: DataSet;
  Emails: DataSet;
  emailColumns: EmailColumns;
  PersonTelephones?: DataSet;
}

/**
 * Each StudentContacts row is a contact of a pupil: the contact's name from People, an e-mail from Emails (a
 * primary one first; any type, as a parent's address is a Home one), a mobile number from PersonTelephones
 * (Mobile-type numbers only) when phones are read.
 */
export function mapBromcomContacts(t: BromcomContactTables, b: RosterBuilder): void {
  const sc = studentContactColumns(t.StudentContacts.columns);
  const pc = peopleColumns(t.People.columns);
  const people = new Map<string, DataSetRow>();
  for (const row of t.People.rows) {
    const id = text(row[pc.person]);
    if (id) people.set(id, row);
  }
  const ec = t.emailColumns;
  const emails = bestByPerson(t.Emails, ec.person, ec.address, ec.primary, () => true);
  let phones = new Map<string, string>();
  if (t.PersonTelephones) {
    const tc = phoneColumns(t.PersonTelephones.columns);
    phones = bestByPerson(t.PersonTelephones, tc.person, tc.number, tc.primary, (row) => /mobile|cell/i.test(text(row[tc.type]) ?? ''));
  }
  const sink = new ContactSink(b, 'Bromcom', BROMCOM_RELATIONSHIPS);
  t.StudentContacts.rows.forEach((row, i) => {
    const where = { record: `StudentContacts row ${i + 1}` };
    const student = text(row[sc.student]), contact = text(row[sc.person]);
    if (!student || !contact) { sink.skip(`row(s) with an empty pupil or contact id skipped`, where); return; }
    const person = people.get(contact);
    if (!person) { sink.skip('contact(s) People does not have skipped', where); return; }
    const name = (pref: string | undefined, legal: string) => text(person[pref ?? '']) ?? text(person[legal]);
    const priorityText = sc.priority ? text(row[sc.priority]) : undefined;
    const priority = priorityText && /^\d{1,3}$/.test(priorityText) && Number(priorityText) >= 1 ? Number(priorityText) : undefined;
    const consent = sc.responsibility ? flag(row[sc.responsibility]) : sc.correspondence ? flag(row[sc.correspondence]) : undefined;
    sink.add({
      student: personId('student', student), misId: contact,
      displayName: [name(pc.preferredFirst, pc.first), name(pc.preferredLast, pc.last)].filter(Boolean).join(' '),
      email: emails.get(contact), mobilePhone: phones.get(contact), relationship: sink.relationship(text(row[sc.relationship])),
      ...(consent !== undefined ? { consent } : {}), ...(priority !== undefined ? { priority } : {}),
    }, where);
  });
  sink.finish();
}
