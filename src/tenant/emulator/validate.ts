// Request bodies checked against the CSDL subset (scripts/gen-csdl-subset.mjs): unknown properties and wrongly
// typed values are refused with the OData layer's messages before any handler sees the body.
import { readFileSync } from 'node:fs';
import { odataError } from './errors.js';

interface PropDef {
  type: string;
  collection: boolean;
  nullable?: false;
}
interface TypeDef {
  kind: 'entity' | 'complex';
  base?: string;
  abstract?: boolean;
  open?: boolean;
  properties: Record<string, PropDef>;
  navigation: Record<string, { type: string; collection: boolean }>;
}
interface Subset {
  types: Record<string, TypeDef>;
  enums: Record<string, string[]>;
}

// Loaded through fs (not an import assertion) so the same code runs from src/ under vitest and from dist/lib.
const subset: Subset = JSON.parse(readFileSync(new URL('./csdl-subset.json', import.meta.url), 'utf8'));

export function hasType(name: string): boolean {
  return name in subset.types;
}

function lookup(type: string, name: string): { prop?: PropDef; nav?: { type: string; collection: boolean } } {
  for (let t: TypeDef | undefined = subset.types[type]; t; t = t.base ? subset.types[t.base] : undefined) {
    if (t.properties[name]) return { prop: t.properties[name] };
    if (t.navigation[name]) return { nav: t.navigation[name] };
  }
  return {};
}

/** Whether `name` may appear in $select / $expand on `type` (a structural or navigation property). */
export function isMember(type: string, name: string): boolean {
  const r = lookup(type, name);
  return Boolean(r.prop || r.nav);
}

const unknownProp = (name: string, type: string) =>
  odataError(`The property '${name}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);

const node = (v: unknown) => (Array.isArray(v) ? 'StartArray' : v !== null && typeof v === 'object' ? 'StartObject' : 'PrimitiveValue');
const unexpected = (v: unknown, wanted: string) =>
  odataError(`An unexpected '${node(v)}' node was found when reading from the JSON reader. A '${wanted}' node was expected.`);
const literal = (v: unknown, type: string) => odataError(`Cannot convert the literal '${String(v)}' to the expected type '${type}'.`);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$/;

/**
 * An enum value as Graph's OData reader takes it: member names match case-insensitively ("HTML", "Text", "Monday" as
 * the docs send them) and are kept as the member ("html"); flag enums arrive as "a,b". Undefined when not a member.
 */
function canonicalEnum(type: string, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const members = subset.enums[type];
  const out: string[] = [];
  for (const part of v.split(',')) {
    const m = members.find((x) => x.toLowerCase() === part.trim().toLowerCase());
    if (m === undefined) return undefined;
    out.push(m);
  }
  return out.join(',');
}

/** The declared type of `name` on `type` when it is an enum (or a collection of one). */
function enumOf(type: string, name: string): string | undefined {
  const p = lookup(type, name).prop;
  return p && subset.enums[p.type] ? p.type : undefined;
}

function checkValue(v: unknown, def: { type: string; collection: boolean; nullable?: false }, name: string): void {
  if (v === null) {
    if (def.nullable === false) throw odataError(`A null value was found for the property named '${name}', which has the expected type '${def.collection ? `Collection(${def.type})` : def.type}[Nullable=False]'. The expected type '${def.type}[Nullable=False]' does not allow null values.`);
    return;
  }
  if (def.collection) {
    if (!Array.isArray(v)) throw unexpected(v, 'StartArray');
    for (const item of v) checkValue(item, { type: def.type, collection: false }, name);
    return;
  }
  const t = def.type;
  if (t.startsWith('Edm.')) {
    if (typeof v === 'object') throw unexpected(v, 'PrimitiveValue');
    switch (t) {
      case 'Edm.String':
        if (typeof v !== 'string') throw literal(v, t);
        return;
      case 'Edm.Boolean':
        if (typeof v !== 'boolean') throw literal(v, t);
        return;
      case 'Edm.Int32':
      case 'Edm.Int64':
      case 'Edm.Int16':
      case 'Edm.Byte':
        if (typeof v !== 'number' || !Number.isInteger(v)) throw literal(v, t);
        return;
      case 'Edm.Double':
      case 'Edm.Single':
      case 'Edm.Decimal':
        if (typeof v !== 'number') throw literal(v, t);
        return;
      case 'Edm.Guid':
        if (typeof v !== 'string' || !GUID.test(v)) throw literal(v, t);
        return;
      case 'Edm.DateTimeOffset':
        if (typeof v !== 'string' || !DATETIME.test(v)) throw literal(v, t);
        return;
      case 'Edm.Date':
        if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(v)) throw literal(v, t);
        return;
      default:
        return; // Binary, Duration, TimeOfDay, Stream: accepted as given
    }
  }
  if (subset.enums[t]) {
    if (canonicalEnum(t, v) === undefined) throw odataError(`The value '${String(v)}' is not a valid enumerated type value.`);
    return;
  }
  if (subset.types[t]) {
    if (typeof v !== 'object' || Array.isArray(v)) throw unexpected(v, 'StartObject');
    validateBody(t, v as Record<string, unknown>);
  }
}

/**
 * Checks a JSON body against `type` (a CSDL subset type name such as 'user'). Instance annotations are allowed:
 * `@odata.type`, and `nav@odata.bind` where `nav` is a navigation property (value: URL or array of URLs).
 * Enum values are rewritten in place to their member's spelling, so handlers store what Graph would.
 */
export function validateBody(type: string, body: unknown, deepInsert: readonly string[] = []): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw unexpected(body, 'StartObject');
  let effective = type;
  const declared = (body as Record<string, unknown>)['@odata.type'];
  if (typeof declared === 'string') {
    const name = declared.replace(/^#?(microsoft\.graph\.)?/, '');
    if (subset.types[name]) effective = name;
  }
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '@odata.type' || key === '@odata.id' || key === '@odata.etag') continue;
    const at = key.indexOf('@');
    if (at > 0) {
      const nav = key.slice(0, at);
      const annotation = key.slice(at + 1);
      if (annotation !== 'odata.bind') continue; // other instance annotations are ignored, as the OData reader does
      const r = lookup(effective, nav);
      if (!r.nav) throw unknownProp(nav, effective);
      if (r.nav.collection ? !Array.isArray(value) || value.some((x) => typeof x !== 'string') : typeof value !== 'string') {
        throw odataError(`An unexpected '${node(value)}' node was found for property named '${nav}' when reading from the JSON reader. A '${r.nav.collection ? 'StartArray' : 'PrimitiveValue'}' node was expected.`);
      }
      continue;
    }
    const r = lookup(effective, key);
    // Some navigations accept inline entities on create (e.g. an event's singleValueExtendedProperties).
    if (r.nav && deepInsert.includes(key)) {
      if (r.nav.collection && !Array.isArray(value)) throw unexpected(value, 'StartArray');
      for (const item of r.nav.collection ? (value as unknown[]) : [value]) validateBody(r.nav.type, item);
      continue;
    }
    if (r.nav) throw odataError(`Navigation property '${key}' cannot be set inline; use '${key}@odata.bind'.`);
    if (!r.prop) throw unknownProp(key, effective);
    checkValue(value, r.prop, key);
    // What is stored and echoed is the member, as Graph answers it ("HTML" comes back as "html").
    const e = enumOf(effective, key);
    if (e && value !== null) {
      const b = body as Record<string, unknown>;
      b[key] = Array.isArray(value) ? value.map((x) => canonicalEnum(e, x)) : canonicalEnum(e, value);
    }
  }
}
