import { SourceError } from '../../errors.js';
import type { RosterBuilder } from '../../roster/builder.js';
import { groupId, lessonId, personId } from '../../roster/ids.js';
import type { GroupId, GroupKind, IsoDate, Membership, MembershipRole, PersonId } from '../../roster/types.js';
import type { Where } from '../../roster/where.js';
import { normaliseYearGroup, parseDate as parseDateOnce, parseDateTime as parseDateTimeOnce } from '../values.js';
import type { DataSet, DataSetRow, DataSetValue } from './dataset.js';
import { emailColumns, workEmails } from './emails.js';

export type BromcomTables = Partial<Record<'Students' | 'Staff' | 'Collections' | 'CollectionAssociates' | 'CollectionExecutives' | 'SubjectClasses' | 'TimeTable' | 'Emails' | 'StudentContacts' | 'People' | 'PersonTelephones', DataSet>>;

function requireColumns(entity: string, ds: DataSet, columns: string[]): void {
  const missing = columns.filter((c) => !ds.columns.has(c.toLowerCase()));
  if (missing.length) {
    throw new SourceError(`Bromcom entity ${entity} lacks column(s) ${missing.join(', ')} (it has: ${[...ds.columns.values()].map((c) => c.name).join(', ') || 'none'})`, { record: entity });
  }
}

/**
 * A column's key in a row (its name lower-cased), worked out once per name: the lookups below run for every field
 * of every row, and lower-casing the name each time made a fresh string per lookup.
 */
const keys = new Map<string, string>();
function keyOf(column: string): string {
  let key = keys.get(column);
  if (key === undefined) keys.set(column, (key = column.toLowerCase()));
  return key;
}

/** A column's text, by its key (the column's name lower-cased, written so: no lookup per field of every row). */
const text = (row: DataSetRow, key: Lowercase<string>): string | undefined => {
  const v = row[key];
  if (v === null || v === undefined) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
};

function id(row: DataSetRow, column: string, where: Where): string {
  const v = row[keyOf(column)];
  const misId = v === null || v === undefined ? '' : String(v).trim();
  if (misId === '') throw new SourceError(`${where.record}: ${column} is empty`, plain(where));
  return misId;
}

/**
 * Where a row is, for messages: its text ("CollectionAssociates row 12") is made only when a message says it.
 * Hundreds of thousands of rows are mapped, and the builder keeps each membership's and lesson's place for the
 * warnings it may give: a string for each was made, and kept, for nothing.
 */
class RowPlace implements Where {
  constructor(
    private readonly table: string,
    private readonly row: number,
  ) {}

  get record(): string {
    return `${this.table} row ${this.row}`;
  }
}

/** A place as an error carries it: a plain object, as every other source's errors have. */
const plain = (where: Where): Where => ({ record: where.record });

/**
 * The group and person ids that membership and lesson rows refer to, made once per MIS id and shared by every row
 * that names it. Hundreds of thousands of memberships name a few thousand groups and people: a fresh id string per
 * row was garbage, and each fresh string had its hash worked out anew at every map lookup in the builder.
 * `of(value)` is the id of a row's value (a number for xs:int columns) or undefined when it is empty.
 */
function refIds<T extends string>(make: (misId: string) => T): (v: DataSetValue | undefined) => T | undefined {
  const byNumber = new Map<number, T>();
  const byText = new Map<string, T>();
  // Rows come grouped (a class's memberships one after another): the last value is tried before the maps.
  let lastValue: DataSetValue | undefined;
  let last: T | undefined;
  return (v) => {
    if (v === null || v === undefined) return undefined;
    if (v === lastValue) return last;
    let made: T | undefined;
    if (typeof v === 'number') {
      made = byNumber.get(v);
      if (made === undefined) {
        const misId = String(v).trim();
        if (misId === '') return undefined;
        byNumber.set(v, (made = make(misId)));
      }
    } else {
      const misId = String(v).trim();
      if (misId === '') return undefined;
      made = byText.get(misId);
      if (made === undefined) byText.set(misId, (made = make(misId)));
    }
    lastValue = v;
    last = made;
    return made;
  };
}

/** The interned id of a reference column that must not be empty (the same error as `id` when it is). */
function refId<T extends string>(of: (v: DataSetValue | undefined) => T | undefined, row: DataSetRow, column: string, where: Where): T {
  const made = of(row[keyOf(column)]);
  if (made === undefined) throw new SourceError(`${where.record}: ${column} is empty`, plain(where));
  return made;
}

// Bromcom's collection types seen in public integrations; anything else is not a group rollcall models.
const COLLECTION_KINDS: Record<string, GroupKind> = {
  TUTORGRP: 'registration', REGGRP: 'registration', REG: 'registration', FORM: 'registration',
  YEARGRP: 'year', YEAR: 'year', HOUSE: 'house', CLASS: 'teaching', TEACHINGGRP: 'teaching', SUBJECTCLASS: 'teaching',
};

export function executiveRole(description: string | undefined): MembershipRole | undefined {
  const d = (description ?? '').toLowerCase();
  if (d.includes('tutor')) return 'tutor';
  if (d.includes('teacher') || d.includes('head of') || d.includes('leader')) return 'teacher';
  return undefined;
}

/**
 * Bromcom's staff entity has one PreferredFullName. Surnames can be several words ("Van der Berg"), so the legal
 * names anchor the split; only when neither matches is the last word taken as the surname.
 */
export function splitPreferredFullName(full: string | undefined, legal: { first: string; last: string }): { first?: string; last?: string } {
  if (!full) return {};
  const f = full.replace(/\s+/g, ' ').trim();
  if (legal.last && f.endsWith(` ${legal.last}`)) return { first: f.slice(0, -legal.last.length - 1), last: legal.last };
  if (legal.first && f.startsWith(`${legal.first} `)) return { first: legal.first, last: f.slice(legal.first.length + 1) };
  const words = f.split(' ');
  if (words.length < 2) return { first: words[0] };
  return { first: words.slice(0, -1).join(' '), last: words[words.length - 1] };
}

/**
 * A membership with its dates only when it has them: the builder leaves absent values out of every record, and
 * one made without them is kept as it is rather than copied (hundreds of thousands of them).
 */
function membership(group: GroupId, person: PersonId, role: MembershipRole, startDate: IsoDate | undefined, endDate: IsoDate | undefined): Membership {
  const m: Membership = { group, person, role };
  if (startDate !== undefined) m.startDate = startDate;
  if (endDate !== undefined) m.endDate = endDate;
  return m;
}

/**
 * A date parser that parses each distinct text once: the same few dates (a term's start and end) and lesson times
 * repeat across hundreds of thousands of rows. A text that does not parse is not kept: each row that has it fails
 * with its own place.
 */
function parsedOnce<T>(parse: (text: string, where: Where, column: string) => T): (text: string | undefined, where: Where, column: string) => T | undefined {
  const seen = new Map<string, T>();
  // Rows come grouped (a class's memberships, a day's lessons): the last text is tried before the map.
  let lastText: string | undefined;
  let last: T | undefined;
  return (text, where, column) => {
    if (text === undefined) return undefined;
    if (text === lastText) return last;
    let v = seen.get(text);
    if (v === undefined) seen.set(text, (v = parse(text, plain(where), column)));
    lastText = text;
    last = v;
    return v;
  };
}

/** The entities of the mapping, as BromcomTables names them. */
export type BromcomEntity = keyof BromcomTables;

/** Maps tables already read, all of them at hand. */
export function mapBromcom(t: BromcomTables, b: RosterBuilder): void {
  const steps = mapping(b);
  for (let s = steps.next(); !s.done; s = steps.next(t[s.value]));
}

/**
 * Maps each entity as soon as `table` has it and the entities before it are mapped, so that mapping overlaps the
 * reads still under way; `table` gives undefined for an entity not read.
 */
export async function mapBromcomAsRead(table: (entity: BromcomEntity) => Promise<DataSet | undefined>, b: RosterBuilder): Promise<void> {
  const steps = mapping(b);
  for (let s = steps.next(); !s.done; s = steps.next(await table(s.value)));
}

/**
 * The mapping, one entity at a time in a fixed order: it yields the entity it needs next and is handed that table.
 * One definition for both ways of running it (all tables at hand, or each as it arrives), so the builder is given
 * the same records, and says the same warnings, in the same order either way.
 */
function* mapping(b: RosterBuilder): Generator<BromcomEntity, void, DataSet | undefined> {
  const parseDate = parsedOnce((text, where, column) => parseDateOnce(text, where, column));
  const parseDateTimeOrNot = parsedOnce(parseDateTimeOnce);
  // A lesson's start and end are required: no text is the same error as a bad one.
  const parseDateTime = (text: string | undefined, where: Where, column: string): string => parseDateTimeOrNot(text, where, column) ?? parseDateTimeOnce(text, plain(where), column);
  // Work e-mails by PersonID, read only when matching by work e-mail (Students and Staff carry none).
  const emailTable = yield 'Emails';
  const emails = emailTable ? workEmails(emailTable, emailColumns(emailTable.columns)) : undefined;
  for (const w of emails?.warnings ?? []) b.warn(w);
  const workEmail = (misId: string) => emails?.byPerson.get(misId);

  // People and groups are keyed by the same strings their memberships and lessons name them by.
  const groupOf = refIds(groupId);
  const studentOf = refIds((misId) => personId('student', misId));
  const staffOf = refIds((misId) => personId('staff', misId));

  const students = (yield 'Students')!;
  requireColumns('Students', students, ['StudentID', 'FirstName', 'LastName']);
  students.rows.forEach((row, i) => {
    const where = new RowPlace('Students', i + 1);
    const misId = id(row, 'StudentID', where);
    b.addPerson({
      id: studentOf(row[keyOf('StudentID')])!, kind: 'student', misId,
      legal: { first: text(row, 'firstname') ?? '', middle: text(row, 'middlename'), last: text(row, 'lastname') ?? '' },
      preferred: { first: text(row, 'preferredfirstname'), last: text(row, 'preferredlastname') },
      startDate: parseDate(text(row, 'startdate'), where, 'StartDate'),
      endDate: parseDate(text(row, 'enddate'), where, 'EndDate'),
      yearGroup: normaliseYearGroup(text(row, 'yeargroup') ?? text(row, 'chronologicalyeargroup')),
      registrationGroup: text(row, 'tutorgroup'),
      house: text(row, 'house'),
      admissionNumber: text(row, 'admissionnumber'),
      upn: text(row, 'upn'),
      workEmail: workEmail(misId),
    }, { record: `Students StudentID ${misId}` });
  });

  const staff = (yield 'Staff')!;
  requireColumns('Staff', staff, ['StaffID', 'FirstName', 'LastName']);
  staff.rows.forEach((row, i) => {
    const where = new RowPlace('Staff', i + 1);
    const misId = id(row, 'StaffID', where);
    const split = splitPreferredFullName(text(row, 'preferredfullname'), { first: text(row, 'firstname') ?? '', last: text(row, 'lastname') ?? '' });
    b.addPerson({
      id: staffOf(row[keyOf('StaffID')])!, kind: 'staff', misId,
      legal: { first: text(row, 'firstname') ?? '', middle: text(row, 'middlename'), last: text(row, 'lastname') ?? '' },
      preferred: { first: text(row, 'preferredfirstname') ?? split.first, last: text(row, 'preferredlastname') ?? split.last },
      startDate: parseDate(text(row, 'startdate'), where, 'StartDate'),
      endDate: parseDate(text(row, 'enddate'), where, 'EndDate'),
      staffCode: text(row, 'staffcode'),
      workEmail: workEmail(misId),
    }, { record: `Staff StaffID ${misId}` });
  });

  const subjectClasses = new Map<string, DataSetRow>();
  const sc = (yield 'SubjectClasses')!;
  requireColumns('SubjectClasses', sc, ['ClassID']);
  sc.rows.forEach((row, i) => subjectClasses.set(id(row, 'ClassID', new RowPlace('SubjectClasses', i + 1)), row));

  const collections = (yield 'Collections')!;
  requireColumns('Collections', collections, ['CollectionID', 'CollectionName']);
  const hasType = collections.columns.has('collectiontypename');
  const skippedTypes = new Map<string, number>();
  const skippedGroups = new Set<string>();
  collections.rows.forEach((row, i) => {
    const where = new RowPlace('Collections', i + 1);
    const misId = id(row, 'CollectionID', where);
    const type = text(row, 'collectiontypename')?.toUpperCase();
    const kind = hasType ? COLLECTION_KINDS[type ?? ''] ?? (subjectClasses.has(misId) ? 'teaching' : undefined) : subjectClasses.has(misId) ? 'teaching' : undefined;
    if (!kind) {
      skippedTypes.set(type ?? '(none)', (skippedTypes.get(type ?? '(none)') ?? 0) + 1);
      skippedGroups.add(groupId(misId));
      return;
    }
    const cls = subjectClasses.get(misId);
    b.addGroup({
      id: groupOf(row[keyOf('CollectionID')])!, kind, misId,
      name: (kind === 'teaching' && cls ? text(cls, 'classdescription') : undefined) ?? text(row, 'collectionname') ?? '',
      subject: cls ? text(cls, 'subjectdescription') : undefined,
      startDate: parseDate(text(row, 'startdate'), where, 'StartDate'),
      endDate: parseDate(text(row, 'enddate'), where, 'EndDate'),
    }, { record: `Collections CollectionID ${misId}` });
  });
  // A subject class without a collection row is still a class.
  for (const [misId, row] of subjectClasses) {
    if (b.hasGroup(groupId(misId)) || skippedGroups.has(groupId(misId))) continue;
    const where = { record: `SubjectClasses ClassID ${misId}` };
    b.addGroup({
      id: groupId(misId), kind: 'teaching', misId, name: text(row, 'classdescription') ?? '', subject: text(row, 'subjectdescription'),
      startDate: parseDate(text(row, 'startdate'), where, 'StartDate'), endDate: parseDate(text(row, 'enddate'), where, 'EndDate'),
    }, where);
  }
  if (skippedTypes.size) {
    b.warn(`left out ${skippedGroups.size} Bromcom collection(s) of types rollcall does not model: ${[...skippedTypes].map(([k, n]) => `${k} (${n})`).join(', ')}`);
  }

  const assoc = (yield 'CollectionAssociates')!;
  requireColumns('CollectionAssociates', assoc, ['PersonID', 'CollectionID']);
  assoc.rows.forEach((row, i) => {
    const where = new RowPlace('CollectionAssociates', i + 1);
    const g = refId(groupOf, row, 'CollectionID', where);
    if (skippedGroups.has(g)) return;
    b.addMembership(membership(g, refId(studentOf, row, 'PersonID', where), 'member', parseDate(text(row, 'startdate'), where, 'StartDate'), parseDate(text(row, 'enddate'), where, 'EndDate')), where);
  });

  const exec = (yield 'CollectionExecutives')!;
  requireColumns('CollectionExecutives', exec, ['StaffID', 'CollectionID']);
  const unknownRoles = new Map<string, number>();
  exec.rows.forEach((row, i) => {
    const where = new RowPlace('CollectionExecutives', i + 1);
    const g = refId(groupOf, row, 'CollectionID', where);
    if (skippedGroups.has(g)) return;
    const description = text(row, 'collectionroletypedescription');
    let role = executiveRole(description);
    if (!role) {
      unknownRoles.set(description ?? '(none)', (unknownRoles.get(description ?? '(none)') ?? 0) + 1);
      role = 'teacher';
    }
    b.addMembership(membership(g, refId(staffOf, row, 'StaffID', where), role, parseDate(text(row, 'startdate'), where, 'StartDate'), parseDate(text(row, 'enddate'), where, 'EndDate')), where);
  });
  if (unknownRoles.size) b.warn(`Bromcom staff roles read as teacher: ${[...unknownRoles].map(([k, n]) => `${k} (${n})`).join(', ')}`);

  const tt = yield 'TimeTable';
  if (tt) {
    requireColumns('TimeTable', tt, ['ClassID', 'PeriodStartDate', 'PeriodEndDate']);
    tt.rows.forEach((row, i) => {
      const where = new RowPlace('TimeTable', i + 1);
      const group = refId(groupOf, row, 'ClassID', where);
      if (skippedGroups.has(group)) return;
      const start = parseDateTime(text(row, 'periodstartdate'), where, 'PeriodStartDate');
      const staffId = staffOf(row[keyOf('StaffID')]);
      b.addLesson({
        id: lessonId(group, start), group, staff: staffId ? [staffId] : [],
        room: text(row, 'locationname'), period: text(row, 'periodname'),
        start, end: parseDateTime(text(row, 'periodenddate'), where, 'PeriodEndDate'),
      }, where);
    });
  }
}
