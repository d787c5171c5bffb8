// Canonical JSON (canonical.ts: sorted keys, no undefined values) of the roster's own records, written field by
// field in their sorted order: the digest writes 800,000 of them for a trust, and canonicalJson's general walk (keys
// listed, sorted, looked up) was most of its cost. A record with a key its type does not have, or one that is not
// an object, is written by canonicalJson, so the text is always canonicalJson's (digest.test.ts holds them equal).
import { canonicalJson } from './canonical.js';
import type { Group, Membership, Person } from './types.js';

/** A string as JSON.stringify writes it: most need no escaping and are only quoted. */
export function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // What JSON.stringify escapes: quote, backslash, control characters, and (lone) surrogates.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

const value = (v: unknown): string => (typeof v === 'string' ? jsonString(v) : canonicalJson(v));

/** `out` with `"key":value` added, unless the value is undefined (canonical JSON leaves it out). */
function field(out: string, head: string, v: unknown): string {
  if (v === undefined) return out;
  return `${out}${out.length > 1 ? ',' : ''}${head}${value(v)}`;
}

/**
 * Whether an object has only the given keys, so a typed writer leaves nothing out. Records of one source share a
 * shape (the same keys in the same order): the last shape that passed passes again without a lookup.
 */
function onlyKeys(allowed: readonly string[]): (obj: object) => boolean {
  const set = new Set(allowed);
  let last: string[] = [];
  return (obj) => {
    const keys = Object.keys(obj);
    if (keys.length === last.length) {
      let i = 0;
      while (i < keys.length && keys[i] === last[i]) i++;
      if (i === keys.length) return true;
    }
    for (const k of keys) if (!set.has(k)) return false;
    last = keys;
    return true;
  };
}

const isRecord = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);

const personShape = onlyKeys(['admissionNumber', 'endDate', 'house', 'id', 'kind', 'legal', 'misId', 'preferred', 'registrationGroup', 'staffCode', 'startDate', 'upn', 'workEmail', 'yearGroup']);
// One check each for legal and preferred names, so each keeps its own last shape.
const legalShape = onlyKeys(['first', 'last', 'middle']);
const preferredShape = onlyKeys(['first', 'last', 'middle']);

function namesJson(n: unknown, shape: (obj: object) => boolean): string {
  if (!isRecord(n) || !shape(n)) return canonicalJson(n);
  const o = n as { first?: string; last?: string; middle?: string };
  return `${field(field(field('{', '"first":', o.first), '"last":', o.last), '"middle":', o.middle)}}`;
}

/** canonicalJson(person). */
export function personJson(p: Person): string {
  if (!isRecord(p) || !personShape(p)) return canonicalJson(p);
  let out = '{';
  out = field(out, '"admissionNumber":', p.admissionNumber);
  out = field(out, '"endDate":', p.endDate);
  out = field(out, '"house":', p.house);
  out = field(out, '"id":', p.id);
  out = field(out, '"kind":', p.kind);
  if (p.legal !== undefined) out = `${out}${out.length > 1 ? ',' : ''}"legal":${namesJson(p.legal, legalShape)}`;
  out = field(out, '"misId":', p.misId);
  if (p.preferred !== undefined) out = `${out}${out.length > 1 ? ',' : ''}"preferred":${namesJson(p.preferred, preferredShape)}`;
  out = field(out, '"registrationGroup":', p.registrationGroup);
  out = field(out, '"staffCode":', p.staffCode);
  out = field(out, '"startDate":', p.startDate);
  out = field(out, '"upn":', p.upn);
  out = field(out, '"workEmail":', p.workEmail);
  out = field(out, '"yearGroup":', p.yearGroup);
  return `${out}}`;
}

const groupShape = onlyKeys(['endDate', 'id', 'kind', 'misId', 'name', 'startDate', 'subject']);

/** canonicalJson(group). */
export function groupJson(g: Group): string {
  if (!isRecord(g) || !groupShape(g)) return canonicalJson(g);
  let out = '{';
  out = field(out, '"endDate":', g.endDate);
  out = field(out, '"id":', g.id);
  out = field(out, '"kind":', g.kind);
  out = field(out, '"misId":', g.misId);
  out = field(out, '"name":', g.name);
  out = field(out, '"startDate":', g.startDate);
  out = field(out, '"subject":', g.subject);
  return `${out}}`;
}

const membershipShape = onlyKeys(['endDate', 'group', 'person', 'role', 'startDate']);

/** Enumerable keys, own and inherited, counted without the array Object.keys would make (680,000 memberships). */
function keyCount(obj: object): number {
  let n = 0;
  for (const _ in obj) n++;
  return n;
}

/**
 * Whether a membership is the common kind: the three string fields and no other key (an inherited one counts too,
 * so anything unusual takes the general way). Its JSON is then `{"group":…,"person":…,"role":…}`, which the digest
 * writes with the group's part shared by its members.
 */
export function isPlainMembership(m: Membership): boolean {
  return isRecord(m) && typeof m.group === 'string' && typeof m.person === 'string' && typeof m.role === 'string' && keyCount(m) === 3;
}

/** canonicalJson(membership). */
export function membershipJson(m: Membership): string {
  if (!isRecord(m) || !membershipShape(m)) return canonicalJson(m);
  let out = '{';
  out = field(out, '"endDate":', m.endDate);
  out = field(out, '"group":', m.group);
  out = field(out, '"person":', m.person);
  out = field(out, '"role":', m.role);
  out = field(out, '"startDate":', m.startDate);
  return `${out}}`;
}
