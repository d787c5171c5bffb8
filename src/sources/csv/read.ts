import path from 'node:path';
import { SourceError } from '../../errors.js';
import { RosterBuilder } from '../../roster/builder.js';
import { groupId, lessonId, parsePersonId, personId } from '../../roster/ids.js';
import type { GroupKind, MembershipRole, PersonId, Roster } from '../../roster/types.js';
import type { CsvSourceConfig } from '../config.js';
import { exists, exportDir, type FileSourceOptions } from '../file-options.js';
import { readTable } from '../table.js';
import { readCsvContacts } from './contacts.js';
import { normaliseYearGroup, parseDate, parseDateTime } from '../values.js';

const KINDS: GroupKind[] = ['year', 'registration', 'house', 'teaching'];
const ROLES: Record<string, MembershipRole> = { member: 'member', student: 'member', pupil: 'member', teacher: 'teacher', tutor: 'tutor' };

// Every column name is the config key unless the config maps it to the file's own header.
function columns<K extends string>(keys: readonly K[], mapped: Partial<Record<K, string>> | undefined): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, mapped?.[k] ?? k])) as Record<K, string>;
}

export async function readCsvSource(cfg: CsvSourceConfig, opts: FileSourceOptions): Promise<Roster> {
  const dir = await exportDir(opts.baseDir, cfg.dir, 'csv');
  const b = new RosterBuilder('csv', opts.asOf, opts.log);
  const fileOf = (key: 'students' | 'staff' | 'groups' | 'memberships' | 'lessons') => cfg.files?.[key] ?? `${key}.csv`;
  const optional = async (key: 'groups' | 'memberships' | 'lessons') => {
    const f = path.join(dir, fileOf(key));
    if (await exists(f)) return f;
    // A file the config names explicitly must be there; a default one may be left out.
    if (cfg.files?.[key]) throw new SourceError(`${fileOf(key)} (files.${key} in the config) does not exist in ${cfg.dir}`, { file: fileOf(key) });
    return undefined;
  };

  const sc = columns(['id', 'first', 'last', 'middle', 'preferredFirst', 'preferredLast', 'yearGroup', 'registrationGroup', 'house', 'admissionNumber', 'upn', 'startDate', 'endDate', 'email'] as const, cfg.columns?.students);
  const students = await readTable(path.join(dir, fileOf('students')), { required: [sc.id, sc.first, sc.last], shownAs: fileOf('students') });
  for (const r of students.rows) {
    const where = { file: students.file, line: r.line };
    const misId = r.get(sc.id);
    if (!misId) throw new SourceError(`${students.file}:${r.line}: ${sc.id} is empty`, where);
    b.addPerson({
      id: personId('student', misId), kind: 'student', misId,
      legal: { first: r.get(sc.first) ?? '', middle: r.get(sc.middle), last: r.get(sc.last) ?? '' },
      preferred: { first: r.get(sc.preferredFirst), last: r.get(sc.preferredLast) },
      startDate: parseDate(r.get(sc.startDate), where, sc.startDate), endDate: parseDate(r.get(sc.endDate), where, sc.endDate),
      yearGroup: normaliseYearGroup(r.get(sc.yearGroup)), registrationGroup: r.get(sc.registrationGroup), house: r.get(sc.house),
      admissionNumber: r.get(sc.admissionNumber), upn: r.get(sc.upn), workEmail: r.get(sc.email),
    }, where);
  }

  const tc = columns(['id', 'first', 'last', 'middle', 'preferredFirst', 'preferredLast', 'staffCode', 'email', 'startDate', 'endDate'] as const, cfg.columns?.staff);
  const staff = await readTable(path.join(dir, fileOf('staff')), { required: [tc.id, tc.first, tc.last], shownAs: fileOf('staff') });
  for (const r of staff.rows) {
    const where = { file: staff.file, line: r.line };
    const misId = r.get(tc.id);
    if (!misId) throw new SourceError(`${staff.file}:${r.line}: ${tc.id} is empty`, where);
    b.addPerson({
      id: personId('staff', misId), kind: 'staff', misId,
      legal: { first: r.get(tc.first) ?? '', middle: r.get(tc.middle), last: r.get(tc.last) ?? '' },
      preferred: { first: r.get(tc.preferredFirst), last: r.get(tc.preferredLast) },
      startDate: parseDate(r.get(tc.startDate), where, tc.startDate), endDate: parseDate(r.get(tc.endDate), where, tc.endDate),
      staffCode: r.get(tc.staffCode), workEmail: r.get(tc.email),
    }, where);
  }

  const groupsFile = await optional('groups');
  if (groupsFile) {
    const gc = columns(['id', 'name', 'kind', 'subject', 'startDate', 'endDate'] as const, cfg.columns?.groups);
    const t = await readTable(groupsFile, { required: [gc.id, gc.name, gc.kind], shownAs: fileOf('groups') });
    for (const r of t.rows) {
      const where = { file: t.file, line: r.line };
      const misId = r.get(gc.id);
      if (!misId) throw new SourceError(`${t.file}:${r.line}: ${gc.id} is empty`, where);
      const kind = r.get(gc.kind)?.toLowerCase() as GroupKind;
      if (!KINDS.includes(kind)) throw new SourceError(`${t.file}:${r.line}: ${gc.kind} "${r.get(gc.kind) ?? ''}" is not one of ${KINDS.join(', ')}`, where);
      b.addGroup({
        id: groupId(misId), kind, misId, name: r.get(gc.name) ?? '', subject: r.get(gc.subject),
        startDate: parseDate(r.get(gc.startDate), where, gc.startDate), endDate: parseDate(r.get(gc.endDate), where, gc.endDate),
      }, where);
    }
  }

  // People in memberships and lessons may be written typed (student:1001) or bare (1001) when that is unambiguous.
  const person = (text: string, where: { file: string; line: number }, prefer?: 'staff'): PersonId => {
    const typed = parsePersonId(text);
    if (typed) return personId(typed.kind, typed.misId);
    const s = personId('student', text), t = personId('staff', text);
    if (prefer === 'staff') return t;
    if (b.hasPerson(s) && b.hasPerson(t)) throw new SourceError(`${where.file}:${where.line}: "${text}" is both a student and a staff id; write student:${text} or staff:${text}`, where);
    return b.hasPerson(t) ? t : s;
  };

  const membershipsFile = await optional('memberships');
  if (membershipsFile) {
    const mc = columns(['group', 'person', 'role'] as const, cfg.columns?.memberships);
    const t = await readTable(membershipsFile, { required: [mc.group, mc.person], shownAs: fileOf('memberships') });
    for (const r of t.rows) {
      const where = { file: t.file, line: r.line };
      const g = r.get(mc.group), p = r.get(mc.person);
      if (!g || !p) throw new SourceError(`${t.file}:${r.line}: ${!g ? mc.group : mc.person} is empty`, where);
      const pid = person(p, where);
      const roleText = r.get(mc.role)?.toLowerCase();
      const role = roleText ? ROLES[roleText] : pid.startsWith('staff:') ? 'teacher' : 'member';
      if (!role) throw new SourceError(`${t.file}:${r.line}: ${mc.role} "${r.get(mc.role)}" is not one of member, teacher, tutor`, where);
      b.addMembership({ group: groupId(g.replace(/^group:/, '')), person: pid, role }, where);
    }
  }

  const lessonsFile = opts.calendar ? await optional('lessons') : undefined;
  if (lessonsFile) {
    const lc = columns(['group', 'staff', 'room', 'period', 'start', 'end'] as const, cfg.columns?.lessons);
    const t = await readTable(lessonsFile, { required: [lc.group, lc.start, lc.end], shownAs: fileOf('lessons') });
    for (const r of t.rows) {
      const where = { file: t.file, line: r.line };
      const g = r.get(lc.group);
      if (!g) throw new SourceError(`${t.file}:${r.line}: ${lc.group} is empty`, where);
      const group = groupId(g.replace(/^group:/, ''));
      const start = parseDateTime(r.get(lc.start), where, lc.start);
      b.addLesson({
        id: lessonId(group, start), group, start, end: parseDateTime(r.get(lc.end), where, lc.end),
        staff: (r.get(lc.staff) ?? '').split(/[;|]/).map((s) => s.trim()).filter(Boolean).map((s) => person(s, where, 'staff')),
        room: r.get(lc.room), period: r.get(lc.period),
      }, where);
    }
  }
  if (opts.contacts) await readCsvContacts(cfg, dir, b);
  return b.build();
}
