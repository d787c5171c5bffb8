import { SourceError } from '../errors.js';
import type { Logger } from '../log.js';
import { sortRoster } from './canonical.js';
import { cleanRecord } from './clean-text.js';
import { deriveAttributeGroups } from './derive.js';
import type { Contact, Group, IsoDate, Lesson, Membership, Person, Roster } from './types.js';
import { describeWhere, type Where } from './where.js';

/**
 * Absent values are left out rather than kept as undefined keys, so rosters from any source compare equal.
 * A fresh object rather than `delete`, which would put hundreds of thousands of memberships in slow mode.
 */
function compact<T extends object>(o: T): T {
  const out = {} as T;
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function hasUndefined(o: object): boolean {
  for (const k in o) if ((o as Record<string, unknown>)[k] === undefined) return true;
  return false;
}

const ROLE_BITS: Record<Membership['role'], number> = { member: 1, teacher: 2, tutor: 4 };

/**
 * Collects what a source reads and checks it as a whole: duplicate ids are errors (which record wins cannot be
 * known), references to unknown people or groups are skipped with a warning, and an export with nobody in it
 * is an error, because an empty read must never look like "everybody left".
 */
export class RosterBuilder {
  private people = new Map<string, { p: Person; where: Where }>();
  private groups = new Map<string, { g: Group; where: Where }>();
  /** Memberships and where each came from, side by side: no wrapper object for each of hundreds of thousands. */
  private memberships: Membership[] = [];
  private membershipWhere: Where[] = [];
  private lessons = new Map<string, Lesson>();
  private lessonWhere = new Map<string, Where>();
  /** Undefined until a source adds contacts or says it read them (`readContacts`): not read is not "none". */
  private contacts: Map<string, { c: Contact; where: Where }> | undefined;
  readonly warnings: string[] = [];

  constructor(
    private readonly kind: Roster['source']['kind'],
    private readonly asOf: IsoDate,
    private readonly log: Logger,
  ) {}

  warn(message: string): void {
    this.warnings.push(message);
    this.log.warn(message);
  }

  hasPerson(id: string): boolean {
    return this.people.has(id);
  }

  hasGroup(id: string): boolean {
    return this.groups.has(id);
  }

  getGroup(id: string): Group | undefined {
    return this.groups.get(id)?.g;
  }

  /**
   * Every source's records pass here, so this is where control characters leave MIS data: they are removed (not
   * refused: one corrupt name must not stop a school's nightly run), with one warning per record saying where.
   */
  private clean<T extends object>(record: T, label: (cleaned: T) => string, where: Where): T {
    const { record: out, changed } = cleanRecord(record);
    if (changed) this.warn(`${label(out)} at ${describeWhere(where)}: control characters (a terminal escape, NUL or similar) removed from its MIS data`);
    return out;
  }

  addPerson(p: Person, where: Where): void {
    p = this.clean(p, (x) => x.id, where);
    const seen = this.people.get(p.id);
    if (seen) throw new SourceError(`duplicate person id ${p.id} at ${describeWhere(where)} (first seen at ${describeWhere(seen.where)})`, where);
    // A preferred name equal to the legal one is no preference (some MIS fill one from the other).
    const preferred: Person['preferred'] = {};
    if (p.preferred.first !== undefined && p.preferred.first !== p.legal.first) preferred.first = p.preferred.first;
    if (p.preferred.last !== undefined && p.preferred.last !== p.legal.last) preferred.last = p.preferred.last;
    // One copy: compact keeps every key's place, so legal and preferred replaced in it stay where they were.
    const legal = compact(p.legal);
    p = compact(p);
    p.legal = legal;
    p.preferred = preferred;
    for (const part of ['first', 'last'] as const) {
      if (!p.legal[part]?.trim()) this.warn(`${p.id} at ${describeWhere(where)} has an empty ${part} name; it is kept, and an account cannot be named from it`);
    }
    this.people.set(p.id, { p, where });
  }

  addGroup(g: Group, where: Where): void {
    g = this.clean(g, (x) => x.id, where);
    const seen = this.groups.get(g.id);
    if (seen) throw new SourceError(`duplicate group id ${g.id} at ${describeWhere(where)} (first seen at ${describeWhere(seen.where)})`, where);
    g = compact(g);
    if (!g.name.trim()) this.warn(`${g.id} at ${describeWhere(where)} has an empty name`);
    this.groups.set(g.id, { g, where });
  }

  addMembership(m: Membership, where: Where): void {
    m = this.clean(m, (x) => `the membership of ${x.person} in ${x.group}`, where);
    // Hundreds of thousands come here: one made without absent values is kept as it is, not copied.
    this.memberships.push(hasUndefined(m) ? compact(m) : m);
    this.membershipWhere.push(where);
  }

  /** Marks contacts as read even when there are none, so "no contacts" is told apart from "not read". */
  readContacts(): void {
    this.contacts ??= new Map();
  }

  /**
   * A contact is keyed by student and contact id: the same contact twice for one student is one contact (the
   * first kept, a warning if they differ), because a guardian listed twice must not be set twice.
   */
  addContact(c: Contact, where: Where): void {
    c = compact(this.clean(c, (x) => `the contact ${x.misId} of ${x.student}`, where));
    this.readContacts();
    const key = `${c.student}\u0000${c.misId}`;
    const seen = this.contacts!.get(key);
    if (seen) {
      if (JSON.stringify(seen.c) !== JSON.stringify(c)) this.warn(`the contact ${c.misId} of ${c.student} at ${describeWhere(where)} differs from the one first seen at ${describeWhere(seen.where)}; the first is kept`);
      return;
    }
    this.contacts!.set(key, { c, where });
  }

  /** The same lesson arrives once per teacher in some MIS exports: rows with the same id merge their staff. */
  addLesson(l: Lesson, where: Where): void {
    l = this.clean(l, (x) => x.id, where);
    const seen = this.lessons.get(l.id);
    if (!seen) {
      // Its own staff list, which later rows of the same lesson add to.
      const stored = compact(l);
      stored.staff = [...l.staff];
      this.lessons.set(l.id, stored);
      this.lessonWhere.set(l.id, where);
      return;
    }
    for (const s of l.staff) if (!seen.staff.includes(s)) seen.staff.push(s);
    seen.room ??= l.room;
    seen.period ??= l.period;
  }

  build(): Roster {
    if (this.people.size === 0) {
      throw new SourceError(`the ${this.kind} export has no students and no staff; refusing to treat an empty read as everybody leaving`);
    }
    const kinds = new Set([...this.people.values()].map((x) => x.p.kind));
    for (const k of ['student', 'staff'] as const) if (!kinds.has(k)) this.warn(`the ${this.kind} export has no ${k === 'student' ? 'students' : 'staff'}`);
    const unknown = { person: 0, group: 0, ended: 0 };
    const examples: string[] = [];
    // Group → person → roles seen (a bit each): a joined key string per membership was most of build()'s own time,
    // and a list of roles per membership the next most.
    const seen = new Map<string, Map<string, number>>();
    const memberships: Membership[] = [];
    for (let i = 0; i < this.memberships.length; i++) {
      const m = this.memberships[i];
      const missing = !this.people.has(m.person) ? 'person' : !this.groups.has(m.group) ? 'group' : undefined;
      if (missing) {
        unknown[missing]++;
        if (examples.length < 5) examples.push(`${describeWhere(this.membershipWhere[i])} names unknown ${missing} ${missing === 'person' ? m.person : m.group}`);
        continue;
      }
      // A membership that ended before the as-of date is history, not membership.
      if (m.endDate && m.endDate < this.asOf) {
        unknown.ended++;
        continue;
      }
      let inGroup = seen.get(m.group);
      if (!inGroup) seen.set(m.group, (inGroup = new Map()));
      const roles = inGroup.get(m.person) ?? 0;
      const bit = ROLE_BITS[m.role];
      if (roles & bit) continue;
      inGroup.set(m.person, roles | bit);
      memberships.push(m);
    }
    if (unknown.person || unknown.group) {
      this.warn(`skipped ${unknown.person + unknown.group} membership(s) naming an unknown person (${unknown.person}) or group (${unknown.group}), e.g. ${examples.join('; ')}`);
    }
    if (unknown.ended) this.log.debug(`left out ${unknown.ended} membership(s) that ended before ${this.asOf}`);

    const lessons: Lesson[] = [];
    let badLessons = 0;
    for (const l of this.lessons.values()) {
      if (!this.groups.has(l.group)) {
        badLessons++;
        continue;
      }
      const staff = l.staff.filter((s) => this.people.has(s));
      lessons.push({ ...l, staff });
    }
    if (badLessons) this.warn(`skipped ${badLessons} lesson(s) of an unknown class`);

    let contacts: Contact[] | undefined;
    if (this.contacts) {
      contacts = [];
      let orphans = 0;
      for (const { c } of this.contacts.values()) {
        if (this.people.get(c.student)?.p.kind === 'student') contacts.push(c);
        else orphans++;
      }
      if (orphans) this.warn(`skipped ${orphans} contact(s) of a student the export does not have`);
    }

    const people = [...this.people.values()].map((x) => x.p);
    // `seen` holds exactly the memberships kept: derive needs no members of its own.
    const derived = deriveAttributeGroups(people, [...this.groups.values()].map((x) => x.g), memberships, seen);
    return sortRoster({
      source: { kind: this.kind, asOf: this.asOf },
      people,
      groups: derived.groups,
      memberships: derived.memberships,
      lessons,
      ...(contacts ? { contacts } : {}),
      warnings: this.warnings,
    });
  }
}
