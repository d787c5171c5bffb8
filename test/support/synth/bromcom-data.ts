import { synthContacts, type SynthContact } from './contacts.js';
import { londonOffset } from './london.js';
import type { SynthSchool } from './school.js';

export type XsdType = 'xs:int' | 'xs:string' | 'xs:dateTime' | 'xs:boolean';
export type Cell = string | number | boolean | null | undefined;

/** One Bromcom entity as the emulator serves it: its columns (in order, with XSD types) and rows. */
export interface BromcomTable {
  columns: [name: string, type: XsdType][];
  rows: Record<string, Cell>[];
}

export type BromcomData = Record<string, BromcomTable>;

const dt = (date: string | undefined) => (date ? `${date}T00:00:00${londonOffset(date)}` : null);
const num = (misId: string) => Number(misId);

/**
 * E-mail addresses as Bromcom keeps them: one row per address by PersonID (StudentID or StaffID), never on the
 * Staff or Students rows. A person's work address is a Work row; around it are what a real school also holds:
 * personal Home addresses, some marked primary (so "primary" alone never means "work"), and the work address
 * again as a School row in other capitals (one address, not two).
 */
function emails(people: SynthSchool['people']): BromcomTable {
  const rows: BromcomTable['rows'] = [];
  const add = (PersonID: number, EmailAddress: string, EmailType: string, IsPrimary: boolean) =>
    rows.push({ EmailID: 900001 + rows.length, PersonID, EmailAddress, EmailType, IsPrimary });
  people.forEach((p, i) => {
    const home = `${p.legal.first}.${p.legal.last}.${p.misId}@home.example`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    if (p.workEmail) {
      const homeFirst = i % 3 === 0;
      add(num(p.misId), p.workEmail, 'Work', !homeFirst);
      if (homeFirst) add(num(p.misId), home, 'Home', true);
      if (i % 5 === 1) add(num(p.misId), p.workEmail.toUpperCase(), 'School', false);
    } else if (i % 4 === 0) {
      add(num(p.misId), home, 'Home', true);
    }
  });
  return {
    columns: [['EmailID', 'xs:int'], ['PersonID', 'xs:int'], ['EmailAddress', 'xs:string'], ['EmailType', 'xs:string'], ['IsPrimary', 'xs:boolean']],
    rows,
  };
}

/**
 * Pupils' contacts as Bromcom keeps them: StudentContacts (a row per pupil and contact), the contact's name in
 * People, addresses in Emails and numbers in PersonTelephones, by PersonID. Around what rollcall should pick are
 * what a real school also holds: a contact's non-primary Work address, and a primary Home landline beside a mobile.
 */
function contactTables(contacts: SynthContact[]): Pick<BromcomData, 'StudentContacts' | 'People' | 'PersonTelephones'> & { emails: BromcomTable['rows'] } {
  const persons = new Map(contacts.map((c) => [c.personId, c]));
  const emails: BromcomTable['rows'] = [];
  const phones: BromcomTable['rows'] = [];
  for (const c of persons.values()) {
    if (c.email) emails.push({ EmailID: 950001 + emails.length, PersonID: c.personId, EmailAddress: c.email, EmailType: 'Home', IsPrimary: true });
    if (c.priority === 1) emails.push({ EmailID: 950001 + emails.length, PersonID: c.personId, EmailAddress: `work${c.personId}@employer.example`, EmailType: 'Work', IsPrimary: false });
    phones.push({ TelephoneID: 960001 + phones.length, PersonID: c.personId, TelephoneNumber: `+44 20 7946 ${String(c.personId % 10000).padStart(4, '0')}`, TelephoneType: 'Home', IsPrimary: true });
    if (c.mobile) phones.push({ TelephoneID: 960001 + phones.length, PersonID: c.personId, TelephoneNumber: c.mobile, TelephoneType: 'Mobile', IsPrimary: false });
  }
  return {
    StudentContacts: {
      columns: [['StudentContactID', 'xs:int'], ['StudentID', 'xs:int'], ['ContactPersonID', 'xs:int'], ['RelationshipType', 'xs:string'], ['Priority', 'xs:int'],
        ['ParentalResponsibility', 'xs:boolean'], ['ReceivesCorrespondence', 'xs:boolean']],
      rows: contacts.map((c, i) => ({
        StudentContactID: 970001 + i, StudentID: num(c.student), ContactPersonID: c.personId, RelationshipType: c.word, Priority: c.priority,
        ParentalResponsibility: c.responsibility, ReceivesCorrespondence: true,
      })),
    },
    People: {
      columns: [['PersonID', 'xs:int'], ['Title', 'xs:string'], ['FirstName', 'xs:string'], ['LastName', 'xs:string'], ['PreferredFirstName', 'xs:string'], ['PreferredLastName', 'xs:string']],
      rows: [...persons.values()].map((c) => ({ PersonID: c.personId, Title: null, FirstName: c.first, LastName: c.last, PreferredFirstName: c.first, PreferredLastName: c.last })),
    },
    PersonTelephones: {
      columns: [['TelephoneID', 'xs:int'], ['PersonID', 'xs:int'], ['TelephoneNumber', 'xs:string'], ['TelephoneType', 'xs:string'], ['IsPrimary', 'xs:boolean']],
      rows: phones,
    },
    emails,
  };
}

/**
 * The synthetic school as Bromcom's Third Party entities, with the columns the public reference lists. Pupils'
 * contacts (StudentContacts, People, PersonTelephones, their Emails rows) only with `contacts`, so the reads and
 * benchmarks that do not ask for them see the data they always had.
 */
export function toBromcomData(school: SynthSchool, opts: { contacts?: boolean } = {}): BromcomData {
  const students = school.people.filter((p) => p.kind === 'student');
  const staff = school.people.filter((p) => p.kind === 'staff');
  const byId = new Map(school.groups.map((g) => [g.id, g]));
  const { emails: contactEmails, ...contactEntities } = opts.contacts ? contactTables(synthContacts(school)) : { emails: [] };
  const allEmails = emails(school.people);
  allEmails.rows.push(...contactEmails);
  return {
    ...contactEntities,
    Students: {
      columns: [['StudentID', 'xs:int'], ['UPN', 'xs:string'], ['FirstName', 'xs:string'], ['LastName', 'xs:string'], ['MiddleName', 'xs:string'],
        ['PreferredFirstName', 'xs:string'], ['PreferredLastName', 'xs:string'], ['AdmissionNumber', 'xs:string'], ['TutorGroup', 'xs:string'],
        ['YearGroup', 'xs:string'], ['ChronologicalYearGroup', 'xs:string'], ['House', 'xs:string'], ['StartDate', 'xs:dateTime'], ['EndDate', 'xs:dateTime']],
      rows: students.map((p) => ({
        StudentID: num(p.misId), UPN: p.upn, FirstName: p.legal.first, LastName: p.legal.last, MiddleName: p.legal.middle,
        // Bromcom fills preferred names with the legal ones when there is no preference.
        PreferredFirstName: p.preferred.first ?? p.legal.first, PreferredLastName: p.preferred.last ?? p.legal.last,
        AdmissionNumber: p.admissionNumber, TutorGroup: p.registrationGroup, YearGroup: p.yearGroup ? `Year ${p.yearGroup}` : null,
        ChronologicalYearGroup: p.yearGroup ? `Year ${p.yearGroup}` : null, House: p.house, StartDate: dt(p.startDate), EndDate: dt(p.endDate),
      })),
    },
    Staff: {
      columns: [['StaffID', 'xs:int'], ['FirstName', 'xs:string'], ['LastName', 'xs:string'], ['MiddleName', 'xs:string'], ['PreferredFullName', 'xs:string'],
        ['StaffCode', 'xs:string'], ['StartDate', 'xs:dateTime'], ['EndDate', 'xs:dateTime']],
      rows: staff.map((p) => ({
        StaffID: num(p.misId), FirstName: p.legal.first, LastName: p.legal.last, MiddleName: p.legal.middle,
        PreferredFullName: `${p.preferred.first ?? p.legal.first} ${p.preferred.last ?? p.legal.last}`,
        StaffCode: p.staffCode, StartDate: dt(p.startDate), EndDate: dt(p.endDate),
      })),
    },
    Collections: {
      columns: [['CollectionID', 'xs:int'], ['CollectionName', 'xs:string'], ['CollectionDescription', 'xs:string'], ['CollectionTypeName', 'xs:string'],
        ['StartDate', 'xs:dateTime'], ['EndDate', 'xs:dateTime']],
      rows: school.groups.map((g) => ({
        CollectionID: num(g.misId), CollectionName: g.name, CollectionDescription: g.subject ? `${g.name} ${g.subject}` : g.name,
        CollectionTypeName: g.kind === 'registration' ? 'TUTORGRP' : 'CLASS', StartDate: dt(g.startDate), EndDate: dt(g.endDate),
      })),
    },
    SubjectClasses: {
      columns: [['ClassID', 'xs:int'], ['ClassDescription', 'xs:string'], ['SubjectDescription', 'xs:string'], ['StartDate', 'xs:dateTime'], ['EndDate', 'xs:dateTime']],
      rows: school.groups.filter((g) => g.kind === 'teaching').map((g) => ({
        ClassID: num(g.misId), ClassDescription: g.name, SubjectDescription: g.subject, StartDate: dt(g.startDate), EndDate: dt(g.endDate),
      })),
    },
    CollectionAssociates: {
      columns: [['PersonID', 'xs:int'], ['CollectionID', 'xs:int'], ['StartDate', 'xs:dateTime'], ['EndDate', 'xs:dateTime']],
      rows: school.memberships.filter((m) => m.role === 'member').map((m) => ({
        PersonID: num(m.person.slice(m.person.indexOf(':') + 1)), CollectionID: num(m.group.slice(6)), StartDate: dt(m.startDate), EndDate: dt(m.endDate),
      })),
    },
    CollectionExecutives: {
      columns: [['StaffID', 'xs:int'], ['CollectionID', 'xs:int'], ['CollectionRoleTypeDescription', 'xs:string'], ['EndDate', 'xs:dateTime']],
      rows: school.memberships.filter((m) => m.role !== 'member').map((m) => ({
        StaffID: num(m.person.slice(m.person.indexOf(':') + 1)), CollectionID: num(m.group.slice(6)),
        CollectionRoleTypeDescription: m.role === 'tutor' ? 'Main Tutor' : byId.get(m.group)?.kind === 'teaching' ? 'Main Teacher' : 'Teacher', EndDate: dt(m.endDate),
      })),
    },
    Emails: allEmails,
    TimeTable: {
      columns: [['PeriodStartDate', 'xs:dateTime'], ['PeriodEndDate', 'xs:dateTime'], ['ClassID', 'xs:int'], ['StaffID', 'xs:int'], ['ClassName', 'xs:string'],
        ['PeriodName', 'xs:string'], ['LocationName', 'xs:string'], ['DayOfWeek', 'xs:string']],
      // One row per teacher of a lesson, as the MIS's timetable view has it.
      rows: school.lessons.flatMap((l) => (l.staff.length ? l.staff : [undefined]).map((s) => ({
        PeriodStartDate: l.start, PeriodEndDate: l.end, ClassID: num(l.group.slice(6)), StaffID: s ? num(s.slice(6)) : null,
        ClassName: byId.get(l.group)?.name, PeriodName: l.period, LocationName: l.room,
        DayOfWeek: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][new Date(l.start.slice(0, 10) + 'T00:00:00Z').getUTCDay()],
      }))),
    },
  };
}
