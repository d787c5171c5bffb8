// Canonical JSON (canonical.ts: sorted keys, no undefined values) of the roster's own records, written field by
// field in their sorted order straight into the digest's bytes: the digest writes 800,000 of them for a trust, and
// canonicalJson's general walk (keys listed, sorted, looked up), then a string per record, was most of its cost. A
// record with a key its type does not have, or one that is not an object, is written by canonicalJson, so the text
// is always canonicalJson's (digest.test.ts holds them equal).
import { canonicalJson } from './canonical.js';
import type { HashBytes } from './hash-text.js';
import type { Group, Membership, Person } from './types.js';

/** A key as UTF-8, encoded once: `"key":`, and `,"key":` for a field after the first (one copy, not two). */
interface Key { first: Uint8Array; next: Uint8Array }
const key = (name: string): Key => ({ first: Buffer.from(`${JSON.stringify(name)}:`, 'utf8'), next: Buffer.from(`,${JSON.stringify(name)}:`, 'utf8') });

/** A value of a field: a string written directly, anything else (a source's odd value) as canonicalJson has it. */
function value(out: HashBytes, v: unknown): void {
  if (typeof v === 'string') out.jsonString(v);
  else out.text(`${canonicalJson(v)}`);
}

/**
 * An object's fields in the order written, each only when not undefined and with a comma before all but the first:
 * `fields` counts those written so far (kept by the caller, so a nested object keeps its own).
 */
function field(out: HashBytes, fields: number, k: Key, v: unknown): number {
  if (v === undefined) return fields;
  out.bytes(fields ? k.next : k.first);
  value(out, v);
  return fields + 1;
}

/**
 * Whether an object has only the given keys, so a typed writer leaves nothing out. Records of one source share a
 * shape (the same keys in the same order): the last shape that passed passes again, its keys compared as for-in
 * gives them, with no array made (Object.keys made one per record: 324,000 for a trust's people and their names).
 * Any other shape is checked key by key, as before.
 */
function onlyKeys(allowed: readonly string[]): (obj: object) => boolean {
  const set = new Set(allowed);
  let last: string[] = [];
  return (obj) => {
    let i = 0;
    for (const k in obj) {
      if (i === last.length || k !== last[i]) { i = -1; break; }
      i++;
    }
    if (i === last.length) return true;
    const keys = Object.keys(obj);
    for (const k of keys) if (!set.has(k)) return false;
    last = keys;
    return true;
  };
}

/**
 * Whether Object.prototype is as JavaScript made it for the writers here: no enumerable key (for-in would list it)
 * and none of the records' field names (p.house would read it). Settled by checkPrototype() at each digest.
 */
let plainPrototype = true;
// Each record type's keys, in their sorted order: the shapes the writers below accept.
const PERSON_KEYS = ['admissionNumber', 'endDate', 'house', 'id', 'kind', 'legal', 'misId', 'preferred', 'registrationGroup', 'staffCode', 'startDate', 'upn', 'workEmail', 'yearGroup'];
const NAME_KEYS = ['first', 'last', 'middle'];
const GROUP_KEYS = ['endDate', 'id', 'kind', 'misId', 'name', 'startDate', 'subject'];
const MEMBERSHIP_KEYS = ['endDate', 'group', 'person', 'role', 'startDate'];
const FIELD_NAMES = [...new Set([...PERSON_KEYS, ...NAME_KEYS, ...GROUP_KEYS, ...MEMBERSHIP_KEYS])];
export function checkPrototype(): void {
  let enumerable = false;
  for (const _ in Object.prototype) enumerable = true;
  plainPrototype = !enumerable && !FIELD_NAMES.some((k) => k in Object.prototype);
}

/**
 * A record the typed writers may read by field name: an object, not an array, whose fields are all its own (a plain
 * object or one without a prototype). One with another prototype (a class instance, Object.create(x)) may inherit
 * a field that canonicalJson, reading own keys only, leaves out: it is written by canonicalJson.
 */
function isRecord(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || (proto === Object.prototype && plainPrototype);
}

const personShape = onlyKeys(PERSON_KEYS);
// One check each for legal and preferred names, so each keeps its own last shape.
const legalShape = onlyKeys(NAME_KEYS);
const preferredShape = onlyKeys(NAME_KEYS);

const FIRST = key('first'), LAST = key('last'), MIDDLE = key('middle');

function names(out: HashBytes, n: unknown, shape: (obj: object) => boolean): void {
  if (!isRecord(n) || !shape(n)) { out.text(canonicalJson(n)); return; }
  const o = n as { first?: string; last?: string; middle?: string };
  out.byte(0x7b);
  field(out, field(out, field(out, 0, FIRST, o.first), LAST, o.last), MIDDLE, o.middle);
  out.byte(0x7d);
}

const P = {
  admissionNumber: key('admissionNumber'), endDate: key('endDate'), house: key('house'), id: key('id'), kind: key('kind'),
  legal: key('legal'), misId: key('misId'), preferred: key('preferred'), registrationGroup: key('registrationGroup'),
  staffCode: key('staffCode'), startDate: key('startDate'), upn: key('upn'), workEmail: key('workEmail'), yearGroup: key('yearGroup'),
};

/** canonicalJson(person). */
export function writePerson(out: HashBytes, p: Person): void {
  if (!isRecord(p) || !personShape(p)) { out.text(canonicalJson(p)); return; }
  out.byte(0x7b);
  let n = field(out, 0, P.admissionNumber, p.admissionNumber);
  n = field(out, n, P.endDate, p.endDate);
  n = field(out, n, P.house, p.house);
  n = field(out, n, P.id, p.id);
  n = field(out, n, P.kind, p.kind);
  if (p.legal !== undefined) {
    out.bytes(n++ ? P.legal.next : P.legal.first);
    names(out, p.legal, legalShape);
  }
  n = field(out, n, P.misId, p.misId);
  if (p.preferred !== undefined) {
    out.bytes(n++ ? P.preferred.next : P.preferred.first);
    names(out, p.preferred, preferredShape);
  }
  n = field(out, n, P.registrationGroup, p.registrationGroup);
  n = field(out, n, P.staffCode, p.staffCode);
  n = field(out, n, P.startDate, p.startDate);
  n = field(out, n, P.upn, p.upn);
  n = field(out, n, P.workEmail, p.workEmail);
  field(out, n, P.yearGroup, p.yearGroup);
  out.byte(0x7d);
}

const groupShape = onlyKeys(GROUP_KEYS);
const G = { endDate: key('endDate'), id: key('id'), kind: key('kind'), misId: key('misId'), name: key('name'), startDate: key('startDate'), subject: key('subject') };

/** canonicalJson(group). */
export function writeGroup(out: HashBytes, g: Group): void {
  if (!isRecord(g) || !groupShape(g)) { out.text(canonicalJson(g)); return; }
  out.byte(0x7b);
  let n = field(out, 0, G.endDate, g.endDate);
  n = field(out, n, G.id, g.id);
  n = field(out, n, G.kind, g.kind);
  n = field(out, n, G.misId, g.misId);
  n = field(out, n, G.name, g.name);
  n = field(out, n, G.startDate, g.startDate);
  field(out, n, G.subject, g.subject);
  out.byte(0x7d);
}

const membershipShape = onlyKeys(MEMBERSHIP_KEYS);
const M = { endDate: key('endDate'), group: key('group'), person: key('person'), role: key('role'), startDate: key('startDate') };

/**
 * Whether a membership is the common kind: its three string fields and no other key. Its JSON is then
 * `{"group":…,"person":…,"role":…}`, which the digest writes with the group's part shared by its members. Its keys
 * are read by for-in, with no array made (680,000 memberships): three, each one of the three (for-in lists a key
 * once), all its own (isRecord).
 */
export function isPlainMembership(m: Membership): boolean {
  if (!isRecord(m)) return false;
  let n = 0;
  for (const k in m) {
    if (k !== 'group' && k !== 'person' && k !== 'role') return false;
    n++;
  }
  return n === 3 && typeof m.group === 'string' && typeof m.person === 'string' && typeof m.role === 'string';
}

/** canonicalJson(membership). */
export function writeMembership(out: HashBytes, m: Membership): void {
  if (!isRecord(m) || !membershipShape(m)) { out.text(canonicalJson(m)); return; }
  out.byte(0x7b);
  let n = field(out, 0, M.endDate, m.endDate);
  n = field(out, n, M.group, m.group);
  n = field(out, n, M.person, m.person);
  n = field(out, n, M.role, m.role);
  field(out, n, M.startDate, m.startDate);
  out.byte(0x7d);
}
