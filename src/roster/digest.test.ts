// The roster digest is stored in every saved plan: tuning how it is computed must never change its value. These
// tests hold it to a plain reference (sorted copies, every record as canonical JSON, one string hashed at once: the
// definition) on synthetic rosters, including records a source might shape unusually, and pin the digests of two
// synthetic schools to the values the code gave before it was tuned.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSchool } from '../../test/support/synth/index.js';
import { byContact, byGroup, byLesson, byMembership, byPerson, sortMemberships } from './canonical.js';
import { rosterDigest } from './digest.js';
import type { Group, Membership, Person, Roster } from './types.js';

/** JSON with sorted keys (code-unit order) and no undefined values, written the plainest way. */
function referenceJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : referenceJson(v))).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${referenceJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function referenceDigest(r: Roster): string {
  const lists: [string, unknown[]][] = [
    ['people', [...r.people].sort(byPerson)],
    ['groups', [...r.groups].sort(byGroup)],
    ['memberships', [...r.memberships].sort(byMembership)],
    ['lessons', r.lessons.map((l) => ({ ...l, staff: [...l.staff].sort() })).sort(byLesson)],
  ];
  if (r.contacts) lists.push(['contacts', [...r.contacts].sort(byContact)]);
  const text = lists.map(([name, list]) => `${name}\n${list.map((x) => `${referenceJson(x)}\n`).join('')}`).join('');
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

const school = (seed: number, students: number, contacts?: number): Roster => {
  const s = generateSchool({ seed, students, asOf: '2026-03-02', ...(contacts === undefined ? {} : { contactsPerStudent: contacts }) });
  return { source: { kind: 'csv', asOf: '2026-03-02' }, people: s.people, groups: s.groups, memberships: s.memberships, lessons: s.lessons, warnings: [], ...(s.contacts ? { contacts: s.contacts } : {}) };
};

/** Deterministic shuffle, so "any order in" is tested without randomness. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('rosterDigest', () => {
  it('keeps the digests it gave before it was tuned (saved plans stay valid)', () => {
    // Computed with the code before the tuning (one canonicalJson per record); never update these to make a test pass.
    expect(rosterDigest(school(3, 1500))).toBe('sha256:ddeeaa22b5200a923cf1a50b991c59fd996caa752ac55f699bd25251a8cbc52f');
    expect(rosterDigest(school(11, 400, 2))).toBe('sha256:e494e14a75589625c738b6d4b706ab98de5f0fa09d14c85a3c1773520d18cd12');
  });

  it('equals the reference on a synthetic school, in canonical order and shuffled', () => {
    const r = school(5, 600, 2);
    const expected = referenceDigest(r);
    expect(rosterDigest(r)).toBe(expected);
    const mixed: Roster = { ...r, people: shuffled(r.people, 1), groups: shuffled(r.groups, 2), memberships: shuffled(r.memberships, 3), lessons: shuffled(r.lessons, 4), contacts: shuffled(r.contacts!, 5) };
    expect(rosterDigest(mixed)).toBe(expected);
  });

  it('equals the reference for records shaped unusually: undefined values, keys in any order, extra keys, other value types', () => {
    const r = school(7, 120);
    const people = r.people.map((p, i): Person => {
      switch (i % 8) {
        // An explicit undefined is no value, as in canonical JSON.
        case 0: return { ...p, house: undefined, upn: undefined, legal: { ...p.legal, middle: undefined }, preferred: { first: undefined } };
        // The same fields, written in another order.
        case 1: return Object.fromEntries(Object.entries(p).reverse()) as unknown as Person;
        // A key the type does not know: it counts, as it always has.
        case 2: return { ...p, extra: { z: 1, a: [2, undefined, 'x'] } } as unknown as Person;
        case 3: return { ...p, legal: { ...p.legal, nickname: 'Jo' } as Person['legal'] };
        // Names that need escaping or are not ASCII: quotes, backslashes, control characters, accents, an emoji, a lone surrogate.
        case 4: return { ...p, legal: { first: 'Zoë "Jo"', middle: 'a\\b\u0001\n', last: 'O\u2028Brien😀' }, preferred: { last: 'x\ud800y' } };
        // A value of another type than the source gives.
        case 5: return { ...p, yearGroup: 7 as unknown as string, admissionNumber: null as unknown as string };
        case 6: return { ...p, preferred: null as unknown as Person['preferred'] };
        default: return p;
      }
    });
    const groups = r.groups.map((g, i): Group => (i % 3 === 0 ? { ...g, startDate: '2025-09-01', endDate: '2026-07-20', subject: undefined } : i % 3 === 1 ? { name: g.name, misId: g.misId, kind: g.kind, id: g.id, subject: 'Maths "A"' } : g));
    const memberships = r.memberships.map((m, i): Membership => (i % 5 === 0 ? { ...m, startDate: '2025-09-01', endDate: '2026-01-01' } : i % 5 === 1 ? { role: m.role, person: m.person, group: m.group } : i % 5 === 2 ? { ...m, note: 'x' } as Membership : i % 5 === 3 ? { ...m, endDate: undefined } : i % 10 === 4 ? Object.assign(Object.create({ inherited: 'not own' }), m) as Membership : m));
    const odd: Roster = { ...r, people, groups, memberships };
    expect(rosterDigest(odd)).toBe(referenceDigest(odd));
    expect(rosterDigest({ ...odd, people: shuffled(people, 9), memberships: shuffled(memberships, 10) })).toBe(referenceDigest(odd));
  });

  it('tells apart rosters that differ in one record, one value or one place', () => {
    const r = school(8, 200);
    const base = rosterDigest(r);
    const changed = (f: (c: Roster) => void) => { const c = structuredClone(r); f(c); return rosterDigest(c); };
    expect(changed((c) => { c.memberships[10].role = 'tutor'; })).not.toBe(base);
    expect(changed((c) => { c.memberships.pop(); })).not.toBe(base);
    expect(changed((c) => { c.people[3].legal.first += 'a'; })).not.toBe(base);
    // A membership moved to another group, with the same people in the same order.
    expect(changed((c) => { c.memberships[0].group = c.memberships[c.memberships.length - 1].group; })).not.toBe(base);
    expect(changed((c) => { c.groups[0].name = `${c.groups[0].name} `; })).not.toBe(base);
  });

  it('a large list is hashed in pieces with the same result as at once', () => {
    // 5,000 people with long names: far more than one piece of text handed to the hash.
    const r = school(12, 150);
    const long = 'Ŵ'.repeat(3000);
    const people = Array.from({ length: 5000 }, (_, i): Person => ({ id: `student:${100000 + i}`, kind: 'student', misId: String(100000 + i), legal: { first: `${long}${i}`, last: 'Long' }, preferred: {} }));
    const big: Roster = { ...r, people: [...r.people, ...people] };
    expect(rosterDigest(big)).toBe(referenceDigest(big));
  });

  it('values longer than a piece, escaped or not, and a record written the general way, equal the reference', () => {
    const r = school(13, 100);
    // Longer than the 64 KB handed to the hash at once: a value never has to fit in one piece.
    const huge = 'Ŵ😀a'.repeat(30000);
    const people: Person[] = [
      ...r.people,
      { id: 'student:900001', kind: 'student', misId: '900001', legal: { first: huge, last: 'Long' }, preferred: {} },
      { id: 'student:900002', kind: 'student', misId: '900002', legal: { first: `${huge}"\u0001`, last: 'Long' }, preferred: {} },
      // An extra key: the whole record as canonicalJson writes it, longer than a piece.
      { id: 'student:900003', kind: 'student', misId: '900003', legal: { first: 'A', last: 'B' }, preferred: {}, note: huge } as unknown as Person,
    ];
    const odd: Roster = { ...r, people };
    expect(rosterDigest(odd)).toBe(referenceDigest(odd));
  });

  it('memberships in order but for the last pair equal the reference (the ones written before are set aside)', () => {
    const r = school(14, 400);
    const sorted = sortMemberships(r.memberships);
    const late = [...sorted.slice(0, -2), sorted[sorted.length - 1], sorted[sorted.length - 2]];
    // The same group, person and role twice in a row is in order (equal), and written twice.
    const twice = [sorted[0], ...sorted];
    for (const memberships of [late, twice]) {
      const odd: Roster = { ...r, memberships };
      expect(rosterDigest(odd)).toBe(referenceDigest(odd));
    }
  });

  it('membership lines written a group at a time equal the reference: roles changing within a group, odd lines between plain ones, groups of one, text JSON escapes', () => {
    const r = school(15, 200);
    const groups = [...new Set(r.memberships.map((m) => m.group))].slice(0, 6);
    const people = r.people.map((p) => p.id);
    const memberships: Membership[] = [];
    groups.forEach((group, g) => {
      // Groups of 1, 2, 3… members; roles changing from line to line and back; a role and ids JSON escapes.
      for (let i = 0; i <= g; i++) {
        const role = (['member', 'teacher', 'tutor', 'te"ach\\er'] as const)[(i + g) % 4] as Membership['role'];
        const m: Membership = { group, person: people[(g * 7 + i) % people.length], role };
        // Plain lines with odd ones between: first, middle and last of a group, an extra key, a date, an inherited key.
        memberships.push(i === 1 ? { ...m, startDate: '2025-09-01' } : i === 3 ? ({ ...m, note: 'x' } as Membership) : i === 4 ? (Object.assign(Object.create({ inherited: 1 }), m) as Membership) : m);
      }
    });
    memberships.push({ group: 'group:a"b' as Membership['group'], person: 'student:é\\😀' as Membership['person'], role: 'member' });
    memberships.push({ group: 'group:a"b' as Membership['group'], person: 'student:x\ud800' as Membership['person'], role: 'member' });
    memberships.push({ group: 'group:a"b' as Membership['group'], person: 'student:y' as Membership['person'], role: 'member' });
    for (const list of [memberships, shuffled(memberships, 16)]) {
      const odd: Roster = { ...r, memberships: list };
      expect(rosterDigest(odd)).toBe(referenceDigest(odd));
    }
  });

  it('a field a record inherits is no field of it, as in canonical JSON (own keys only); records without a prototype are written as any other', () => {
    const r = school(17, 150);
    const inherit = <T extends object>(proto: object, own: T): T => Object.assign(Object.create(proto), own) as T;
    const bare = <T extends object>(own: T): T => Object.assign(Object.create(null), own) as T;
    const people = r.people.map((p, i): Person => {
      // A field the type knows, inherited: from the record, from its names; then the same records with no prototype.
      const { house: _house, ...rest } = p;
      switch (i % 5) {
        case 0: return inherit({ house: 'Inherited' }, rest);
        case 1: return { ...p, legal: inherit({ middle: 'Inherited' }, { first: p.legal.first, last: p.legal.last }) };
        case 2: return bare({ ...p, legal: bare({ ...p.legal }), preferred: bare({}) });
        default: return p;
      }
    });
    const groups = r.groups.map((g, i): Group => (i % 2 ? inherit({ subject: 'Inherited' }, { id: g.id, kind: g.kind, misId: g.misId, name: g.name }) : bare({ ...g })));
    const memberships = r.memberships.map((m, i): Membership => {
      switch (i % 4) {
        // Three own keys and an inherited fourth; two own keys and the third inherited; no prototype.
        case 0: return inherit({ startDate: '2025-09-01' }, m);
        case 1: return inherit({ role: 'teacher' }, { group: m.group, person: m.person, note: 'x' } as unknown as Membership);
        case 2: return bare({ ...m });
        default: return m;
      }
    });
    const odd: Roster = { ...r, people, groups, memberships };
    expect(rosterDigest(odd)).toBe(referenceDigest(odd));
  });

  it('a key added to Object.prototype does not enter any record (for-in would list it)', () => {
    const r = school(18, 100);
    const expected = referenceDigest(r);
    for (const [key, enumerable] of [['house', true], ['upn', false], ['note', true]] as const) {
      Object.defineProperty(Object.prototype, key, { value: 'Polluted', enumerable, configurable: true, writable: true });
      try {
        expect(rosterDigest(r)).toBe(expected);
      } finally {
        delete (Object.prototype as Record<string, unknown>)[key];
      }
    }
    expect(rosterDigest(r)).toBe(expected);
  });

  it('sortMemberships orders as one stable sort by byMembership does, duplicates in the order they came', () => {
    const r = school(4, 300);
    // Duplicates that differ only in fields the order does not look at, so a different order of them would show.
    const list = shuffled([...r.memberships, ...r.memberships.slice(0, 50).map((m, i) => ({ ...m, startDate: `2025-09-${String(i % 28 + 1).padStart(2, '0')}` }))], 6);
    expect(sortMemberships(list)).toEqual([...list].sort(byMembership));
  });
});
