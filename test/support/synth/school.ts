import { addDays } from '../../../src/roster/dates.js';
import { groupId, lessonId, personId } from '../../../src/roster/ids.js';
import type { Contact, ContactRelationship, Group, IsoDate, Lesson, Membership, Person } from '../../../src/roster/types.js';
import { dayOfWeek, londonOffset } from './london.js';
import { FIRST_NAMES, HOUSES, LAST_NAMES, MIDDLE_NAMES, SHORT_NAMES, SUBJECTS } from './names.js';
import { pick, seededRandom, shuffle } from './random.js';

export interface SynthOptions {
  seed?: number;
  students?: number;
  staff?: number;
  /** The school's "today"; people start and leave around it and lessons fill the fortnight from it. */
  asOf?: IsoDate;
  /** Days of timetable from asOf (default 14). */
  lessonDays?: number;
  /**
   * Parents and other contacts per student (default none: `contacts` is then undefined, as a source that was not
   * asked for them). Drawn from their own random stream, so the rest of the school is the same with or without them.
   */
  contactsPerStudent?: number;
}

/** A synthetic school in the roster's own terms; every writer renders this one model, so all formats agree. */
export interface SynthSchool {
  name: string;
  asOf: IsoDate;
  academicYear: { start: IsoDate; end: IsoDate };
  people: Person[];
  /** Groups a MIS holds as groups: registration and teaching. Year groups and houses are pupil attributes. */
  groups: Group[];
  memberships: Membership[];
  lessons: Lesson[];
  /** Students' contacts, with `contactsPerStudent`: first two parents, then a relative, a doctor, others. */
  contacts?: Contact[];
}

const PERIODS: [name: string, start: string, end: string][] = [
  ['P1', '08:50', '09:50'], ['P2', '09:50', '10:50'], ['P3', '11:10', '12:10'], ['P4', '12:10', '13:10'], ['P5', '14:00', '15:00'],
];

export function generateSchool(opts: SynthOptions = {}): SynthSchool {
  const seed = opts.seed ?? 1;
  const nStudents = opts.students ?? 1200;
  const nStaff = opts.staff ?? Math.max(8, Math.round(nStudents * 0.075));
  const asOf = opts.asOf ?? '2026-01-12';
  const rnd = seededRandom(seed);
  const ayStartYear = +asOf.slice(5, 7) >= 9 ? +asOf.slice(0, 4) : +asOf.slice(0, 4) - 1;
  const academicYear = { start: `${ayStartYear}-09-01`, end: `${ayStartYear + 1}-08-31` };

  const used = new Set<string>();
  const name = () => {
    // A handful of exact duplicates on purpose; otherwise prefer unseen pairs.
    for (let tries = 0; ; tries++) {
      const first = pick(rnd, FIRST_NAMES);
      const last = pick(rnd, LAST_NAMES);
      if (!used.has(`${first} ${last}`) || tries > 3 || rnd() < 0.01) {
        used.add(`${first} ${last}`);
        return { first, last };
      }
    }
  };
  const people: Person[] = [];
  const groups: Group[] = [];
  const memberships: Membership[] = [];
  const lessons: Lesson[] = [];

  // Staff: teachers of a subject first, then support staff (no classes).
  const teachersBySubject = new Map<string, Person[]>();
  const tutors: Person[] = [];
  const codes = new Set<string>();
  for (let i = 0; i < nStaff; i++) {
    const misId = String(501 + i);
    const { first, last } = name();
    let code = (first[0] + last.replace(/[^A-Za-z]/g, '').slice(0, 2)).toUpperCase();
    for (let n = 2; codes.has(code); n++) code = `${code.slice(0, 3)}${n}`;
    codes.add(code);
    const p: Person = {
      id: personId('staff', misId), kind: 'staff', misId,
      legal: { first, last, ...(rnd() < 0.3 ? { middle: pick(rnd, MIDDLE_NAMES) } : {}) },
      preferred: rnd() < 0.08 && SHORT_NAMES[first] ? { first: SHORT_NAMES[first] } : {},
      startDate: addDays(academicYear.start, -Math.floor(rnd() * 3650)),
      staffCode: code,
      workEmail: `${code.toLowerCase()}@school.example`,
    };
    if (i % 37 === 36) p.endDate = addDays(asOf, 20 + i); // leaving at the end of term
    people.push(p);
    if (i < nStaff * 0.8) {
      const [subject] = SUBJECTS[i % SUBJECTS.length];
      teachersBySubject.set(subject, [...(teachersBySubject.get(subject) ?? []), p]);
      tutors.push(p);
    }
  }
  shuffle(rnd, tutors);

  // Students by year: 7-11 full size, the sixth form smaller.
  const weights = [1, 1, 1, 1, 1, 0.6, 0.6];
  const total = weights.reduce((a, b) => a + b, 0);
  let nextStudent = 10001;
  let nextGroup = 100;
  // Teaching ids start past every registration id (about one form per 28 pupils per year), so they never collide.
  let nextClass = Math.max(1000, Math.ceil((nextGroup + nStudents / 28 + 8) / 1000) * 1000);
  let tutorIndex = 0;
  const classes: { g: Group; subject: string; staff: Person[] }[] = [];
  for (let y = 0; y < 7; y++) {
    const year = 7 + y;
    const count = y === 6 ? nStudents - (nextStudent - 10001) : Math.round((nStudents * weights[y]) / total);
    const forms = Math.max(1, Math.ceil(count / 28));
    const yearStudents: Person[][] = Array.from({ length: forms }, () => []);
    const regGroups: Group[] = [];
    for (let f = 0; f < forms; f++) {
      const misId = String(nextGroup++);
      const g: Group = { id: groupId(misId), kind: 'registration', misId, name: `${year}${'ABCDEFGHJKLMNPQR'[f] ?? f}` };
      regGroups.push(g);
      groups.push(g);
      const tutor = tutors[tutorIndex++ % tutors.length];
      if (tutor) memberships.push({ group: g.id, person: tutor.id, role: 'tutor' });
    }
    for (let s = 0; s < count; s++) {
      const misId = String(nextStudent++);
      const { first, last } = name();
      const form = s % forms;
      const entry = year >= 12 && rnd() < 0.3 ? ayStartYear - (year - 12) : ayStartYear - (year - 7);
      const p: Person = {
        id: personId('student', misId), kind: 'student', misId,
        legal: { first, last, ...(rnd() < 0.35 ? { middle: pick(rnd, MIDDLE_NAMES) } : {}) },
        preferred: {
          ...(rnd() < 0.06 && SHORT_NAMES[first] ? { first: SHORT_NAMES[first] } : {}),
          ...(rnd() < 0.02 ? { last: pick(rnd, LAST_NAMES) } : {}),
        },
        startDate: `${entry}-09-01`,
        yearGroup: String(year),
        registrationGroup: regGroups[form].name,
        house: HOUSES[(s + y) % HOUSES.length],
        admissionNumber: String(misId).padStart(6, '0'),
        upn: `${'ABCDEFGHJKLMNPQRTUVWXYZ'[(+misId * 7) % 23]}${String(820 + (seed % 100)).padStart(3, '0')}4${String(ayStartYear % 100).padStart(2, '0')}${misId.padStart(6, '0')}`.slice(0, 13),
      };
      const r = rnd();
      if (r < 0.005) p.startDate = addDays(asOf, 7 + Math.floor(rnd() * 30)); // joining soon
      else if (r < 0.01) p.endDate = addDays(asOf, -1 - Math.floor(rnd() * 60)); // left recently
      else if (r < 0.015) p.endDate = addDays(asOf, 1 + Math.floor(rnd() * 60)); // leaving soon
      people.push(p);
      yearStudents[form].push(p);
      memberships.push({ group: regGroups[form].id, person: p.id, role: 'member' });
    }

    // Teaching groups: six subjects per form in 7-11, four options per student in the sixth form.
    const all = yearStudents.flat();
    const subjects = year <= 11 ? SUBJECTS.slice(0, 6) : SUBJECTS;
    for (const [code, subjectName] of subjects) {
      const sets = year <= 11 ? forms : 1;
      const members = year <= 11 ? shuffle(rnd, [...all]) : all.filter((p) => (+p.misId + code.charCodeAt(0) + code.charCodeAt(1)) % 3 === 0);
      for (let k = 0; k < sets; k++) {
        const misId = String(nextClass++);
        const g: Group = { id: groupId(misId), kind: 'teaching', misId, name: `${year}${year <= 11 ? 'ABCDEFGHJKLMNPQR'[k] : ''}/${code}${k + 1}`, subject: subjectName };
        groups.push(g);
        const pool = teachersBySubject.get(code) ?? tutors;
        const staff = pool.length ? [pool[(k + year) % pool.length]] : [];
        if (pool.length > 1 && rnd() < 0.05) staff.push(pool[(k + year + 1) % pool.length]);
        for (const t of staff) memberships.push({ group: g.id, person: t.id, role: 'teacher' });
        const setMembers = year <= 11 ? members.filter((_, i) => i % sets === k) : members;
        for (const p of setMembers) memberships.push({ group: g.id, person: p.id, role: 'member' });
        classes.push({ g, subject: code, staff });
      }
    }
  }

  // A fortnight of timetable: each class meets twice a week in a slot fixed by its id.
  const days = opts.lessonDays ?? 14;
  for (let d = 0; d < days; d++) {
    const date = addDays(asOf, d);
    const dow = dayOfWeek(date);
    if (dow === 0 || dow === 6) continue;
    const offset = londonOffset(date);
    for (const c of classes) {
      const id = +c.g.misId;
      for (const slot of new Set([id % 25, (id * 7 + 3) % 25])) {
        if (Math.floor(slot / 5) !== dow - 1) continue;
        const [period, from, to] = PERIODS[slot % 5];
        const start = `${date}T${from}:00${offset}`;
        lessons.push({
          id: lessonId(c.g.id, start), group: c.g.id, staff: c.staff.map((s) => s.id), period,
          room: `${c.subject}${(id % 4) + 1}`, start, end: `${date}T${to}:00${offset}`,
        });
      }
    }
  }
  const contacts = opts.contactsPerStudent === undefined ? undefined : synthContacts(seededRandom(seed + 7919), people, opts.contactsPerStudent);
  return { name: 'Synthetic Academy', asOf, academicYear, people, groups, memberships, lessons, ...(contacts ? { contacts } : {}) };
}

const CONTACT_ROLES: ContactRelationship[] = ['parent', 'parent', 'relative', 'doctor', 'guardian', 'other'];

/** Invented contacts: some without an e-mail address, some with a phone, consent on most parents. */
function synthContacts(rnd: () => number, people: readonly Person[], perStudent: number): Contact[] {
  const out: Contact[] = [];
  let n = 0;
  for (const p of people) {
    if (p.kind !== 'student') continue;
    for (let i = 0; i < perStudent; i++) {
      const misId = String(90001 + n++);
      const first = pick(rnd, FIRST_NAMES);
      const relationship = CONTACT_ROLES[i % CONTACT_ROLES.length];
      const last = relationship === 'parent' ? p.legal.last : pick(rnd, LAST_NAMES);
      const email = rnd() < 0.9 ? `${first}.${last}.${misId}@home.example`.toLowerCase().replace(/[^a-z0-9.@-]/g, '') : undefined;
      out.push({
        student: p.id, misId, displayName: `${first} ${last}`, relationship, priority: i + 1,
        ...(email ? { email } : {}),
        ...(rnd() < 0.6 ? { mobilePhone: `07700 9${String(Math.floor(rnd() * 100000)).padStart(5, '0')}` } : {}),
        ...(relationship === 'parent' || relationship === 'guardian' ? { consent: rnd() < 0.85 } : {}),
      });
    }
  }
  return out;
}
