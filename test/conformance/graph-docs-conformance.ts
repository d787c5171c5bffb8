// How an emulator answer is held to a documented Graph example (../shared/reference/graph-docs-examples): the rules
// of the conformance replay in one place, pure (no I/O), returning the differences as readable lines.
//
// - Status: as documented.
// - Headers: a documented Location / Content-Location (teams' 202s) is present, names the operation of the team
//   the replay addressed; a documented Retry-After is a number of seconds; a JSON body comes as application/json.
// - Properties: every documented property is in the answer (for a collection: in the item the fixture made, or the
//   first), nested objects too. Where the docs mark the body as not shortened (`truncated: false`), the items' property
//   names must be exactly the documented ones, item by item. The paging links are interchangeable (a page ends in
//   @odata.nextLink or @odata.deltaLink, depending on how much the tenant holds).
// - Types: a documented value's JSON type (string, number, Boolean, object, array); null in the answer stands for
//   "not set on this instance" except for collections, which Graph never returns as null, and the properties Graph
//   itself assigns on create (GRAPH_ASSIGNED).
// - Values, where they are not instance data: `@odata.type`; properties the request set and the docs show unchanged;
//   the properties Graph assigns on create (GRAPH_ASSIGNED, as documented); the fixture's own values.
// - The docs contradict their resource pages in a few examples (non-default user properties without $select, a
//   beta property on a team): a documented property the type's resource page says is not returned by default, or
//   does not list, and that was not selected, is not required.
import { isDeepStrictEqual } from 'node:util';
import type { Reply } from '../support/emulator-kit.js';

export interface DocResponse {
  status: number;
  responseHeaders?: Record<string, string>;
  responseBody?: unknown;
  truncated?: boolean;
  odataType?: string | null;
  isCollection?: boolean;
  docsIssues?: string[];
}

export interface DocExample {
  source: string;
  name: string;
  title: string;
  method: string | null;
  path: string | null;
  requestHeaders?: Record<string, string>;
  requestBody: unknown;
  response: DocResponse | null;
  moreResponses?: DocResponse[];
  scenario?: string;
  step?: number;
}

export type DocTypes = Record<string, { properties: string[]; returnedByDefault: string[] }>;

export interface Replay {
  method: string;
  path: string;
  body?: unknown;
  headers: Record<string, string>;
  /** The collection item the fixture made (by id); the first item otherwise. */
  itemId?: string;
  /** The team whose operation a 202's Location must name. */
  teamId?: string;
  /** Values the fixture was made with: the answer carries them unchanged. */
  values?: Record<string, unknown>;
  /** The documented number of items in a filtered collection. */
  count?: number;
  /** Scenario steps: the link of this answer the next step follows. */
  keep?: 'next' | 'delta';
  /** The path as the docs write it, when the replay follows a real link instead. */
  documentedPath?: string;
  /** Extra checks where the generic ones do not fit (batches), returning differences. */
  custom?: (res: Reply) => string[];
  /** The request behind the docs' further response (moreResponses[0]): the next page, or the round after a change. */
  more?: (res: Reply) => Promise<Reply>;
  /** Assertions on the emulator's state after the request (what the request meant). */
  after?: () => void | Promise<void>;
}

/**
 * Properties Graph assigns itself when it creates the object, the same in every documented create (they are the
 * type's defaults, not instance data): compared by value on the answers to a POST … 201.
 */
export const GRAPH_ASSIGNED: Record<string, string[]> = {
  event: [
    'isDraft', 'isOrganizer', 'responseRequested', 'responseStatus', 'seriesMasterId', 'hideAttendees', 'reminderMinutesBeforeStart',
    'isReminderOn', 'hasAttachments', 'importance', 'sensitivity', 'isAllDay', 'isCancelled', 'showAs', 'onlineMeetingUrl', 'categories',
  ],
  group: [
    'deletedDateTime', 'classification', 'creationOptions', 'onPremisesLastSyncDateTime', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled',
    'resourceBehaviorOptions', 'resourceProvisioningOptions', 'onPremisesProvisioningErrors', 'expirationDateTime', 'membershipRule',
    'membershipRuleProcessingState', 'theme',
  ],
};

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => kind(v) === 'object';
/** The docs' generated skeletons write a complex value as just its type (`{"@odata.type": "microsoft.graph.identitySet"}`). */
const skeleton = (v: unknown) => isPlainObject(v) && Object.keys(v).length === 1 && '@odata.type' in v;
const PAGING = ['@odata.nextLink', '@odata.deltaLink'];
/** Annotations that vary with the serialiser, never properties of the resource. */
const IGNORED_ANNOTATIONS = new Set(['@odata.context', '@odata.etag', '@odata.id']);

function selected(path: string): Set<string> {
  const q = path.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
  return new Set((params.get('$select') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * The type's resource page says the property comes only with $select (user and group mark "Returned by default"),
 * or does not list it at all (the team example shows `discoverySettings`, then a beta property).
 */
function notRequired(types: DocTypes, type: string | undefined, prop: string, select: Set<string>): boolean {
  const t = type ? types[type] : undefined;
  if (!t || prop.includes('@') || select.has(prop)) return false;
  return !t.properties.includes(prop) || !t.returnedByDefault.includes(prop);
}

interface Walk {
  diffs: string[];
  types: DocTypes;
  type?: string;
  select: Set<string>;
}

function compareValue(doc: unknown, got: unknown, path: string, w: Walk): void {
  const kd = kind(doc);
  const kg = kind(got);
  if (kd === 'null') return;
  if (skeleton(doc)) return;
  if (kg === 'null') {
    if (kd === 'array') w.diffs.push(`${path}: null, but a collection (documented ${JSON.stringify(doc)}) is never null`);
    return;
  }
  if (kd !== kg) {
    w.diffs.push(`${path}: ${kg} ${JSON.stringify(got)}, documented ${kd} ${JSON.stringify(doc)}`);
    return;
  }
  if (kd === 'object') compareObject(doc as Record<string, unknown>, got as Record<string, unknown>, `${path}.`, false, { ...w, type: undefined });
  else if (kd === 'array' && (doc as unknown[]).length && isPlainObject((doc as unknown[])[0]) && (got as unknown[]).length) {
    compareObject((doc as Record<string, unknown>[])[0], (got as Record<string, unknown>[])[0], `${path}[0].`, false, { ...w, type: undefined });
  }
}

function compareObject(doc: Record<string, unknown>, got: Record<string, unknown>, path: string, exact: boolean, w: Walk): void {
  for (const [k, v] of Object.entries(doc)) {
    if (IGNORED_ANNOTATIONS.has(k) || k.endsWith('@odata.context')) continue;
    if (!(k in got)) {
      if (PAGING.includes(k) && PAGING.some((p) => p in got)) continue;
      if (notRequired(w.types, w.type, k, w.select)) continue;
      w.diffs.push(`${path}${k}: missing (documented ${JSON.stringify(v)})`);
      continue;
    }
    if (k === '@odata.type' && got[k] !== v) w.diffs.push(`${path}${k}: ${JSON.stringify(got[k])}, documented ${JSON.stringify(v)}`);
    compareValue(v, got[k], `${path}${k}`, w);
  }
  if (exact) {
    for (const k of Object.keys(got)) {
      if (k in doc || IGNORED_ANNOTATIONS.has(k)) continue;
      if (PAGING.includes(k) && PAGING.some((p) => p in doc)) continue;
      w.diffs.push(`${path}${k}: present (${JSON.stringify(got[k])}), the docs' complete answer has no such property`);
    }
  }
}

const typeName = (r: DocResponse) => r.odataType?.replace(/^microsoft\.graph\./, '') ?? undefined;

function checkHeaders(doc: DocResponse, replay: Replay, res: Reply, diffs: string[]): void {
  const h = Object.fromEntries(Object.entries(doc.responseHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const teamOp = /^\/teams\('?([^')]+)'?\)\/operations\('?([^')]+)'?\)$/;
  if (h.location !== undefined) {
    const loc = res.headers.location;
    const m = loc === undefined ? null : teamOp.exec(loc);
    if (!loc) diffs.push(`Location: missing (documented ${h.location})`);
    else if (teamOp.test(h.location.replace(/\{(\w+)\}/g, "'$1'")) && (!m || (replay.teamId && m[1] !== replay.teamId))) {
      diffs.push(`Location: ${loc}, documented ${h.location} (for team ${replay.teamId})`);
    }
  }
  if (h['content-location'] !== undefined) {
    const cl = res.headers['content-location'];
    if (!cl || (replay.teamId && cl !== `/teams('${replay.teamId}')`)) diffs.push(`Content-Location: ${cl}, documented ${h['content-location']}`);
  }
  if (h['retry-after'] !== undefined && !(Number(res.headers['retry-after']) > 0)) diffs.push(`Retry-After: ${res.headers['retry-after']}, documented ${h['retry-after']}`);
  if (/json/i.test(h['content-type'] ?? '') && h['content-length'] !== '0' && doc.responseBody !== null && doc.responseBody !== undefined) {
    if (!/^application\/json/i.test(res.headers['content-type'] ?? '')) diffs.push(`Content-Type: ${res.headers['content-type']}, documented ${h['content-type']}`);
  }
}

/** Differences between the emulator's answer and the documented one (empty when it conforms). */
export function conform(ex: DocExample, replay: Replay, res: Reply, types: DocTypes): string[] {
  const diffs: string[] = [];
  const doc = ex.response;
  if (!doc) return replay.custom ? replay.custom(res) : diffs;
  if (res.status !== doc.status) {
    diffs.push(`status ${res.status}, documented ${doc.status}${res.body?.error ? ` (${res.body.error.code}: ${res.body.error.message})` : ''}`);
    return diffs;
  }
  checkHeaders(doc, replay, res, diffs);
  if (replay.custom) return [...diffs, ...replay.custom(res)];
  let body = doc.responseBody;
  if (doc.docsIssues?.some((i) => /wrapped in "value"/.test(i))) body = (body as { value: unknown }).value;
  if (body === null || body === undefined) {
    if ((res.status === 204 || res.status === 202) && res.body !== undefined) diffs.push(`body: ${JSON.stringify(res.body).slice(0, 200)}, documented none`);
    return diffs;
  }
  if (!isPlainObject(res.body)) return [...diffs, `body: ${JSON.stringify(res.body)}, documented an object`];
  const w: Walk = { diffs, types, type: typeName(doc), select: selected(replay.documentedPath ?? replay.path) };
  const exact = doc.truncated === false;
  const docObj = body as Record<string, unknown>;
  const collection = Array.isArray(docObj.value);
  // Top level: the envelope (value, links, count) or the entity itself.
  compareObject(collection ? { ...docObj, value: [] } : docObj, res.body, '', exact, w);
  let item: Record<string, unknown> = res.body;
  if (collection) {
    const docItems = docObj.value as Record<string, unknown>[];
    const got = (res.body.value ?? []) as Record<string, unknown>[];
    if (!Array.isArray(res.body.value)) diffs.push('value: not a collection');
    else if (docItems.length && !got.length) diffs.push(`value: empty, documented ${docItems.length} item(s)`);
    else if (exact) docItems.forEach((d, i) => got[i] && compareObject(d, got[i], `value[${i}].`, true, w));
    else if (docItems.length) {
      const pick = (replay.itemId ? got.find((o) => o.id === replay.itemId) : got[0]) ?? got[0];
      if (replay.itemId && pick.id !== replay.itemId) diffs.push(`value: no item with the fixture's id ${replay.itemId}`);
      compareObject(docItems[0], pick, 'value[].', false, w);
    }
    if (replay.count !== undefined && got.length !== replay.count) diffs.push(`value: ${got.length} items, the filter matches ${replay.count}`);
    item = (replay.itemId ? got.find((o) => o.id === replay.itemId) : got[0]) ?? {};
  }
  const docItem = collection ? ((docObj.value as Record<string, unknown>[])[0] ?? {}) : docObj;
  // Values: echoed request properties, Graph's defaults on create, the fixture's values.
  const req = isPlainObject(ex.requestBody) ? ex.requestBody : {};
  const sent = isPlainObject(replay.body) ? replay.body : {};
  for (const [k, v] of Object.entries(req)) {
    if (k in docItem && !skeleton(v) && isDeepStrictEqual(v, docItem[k]) && k in sent && !isDeepStrictEqual(item[k], sent[k])) {
      diffs.push(`${k}: ${JSON.stringify(item[k])}, sent and documented ${JSON.stringify(sent[k])}`);
    }
  }
  const t = typeName(doc);
  if (ex.method === 'POST' && doc.status === 201 && t) {
    for (const k of GRAPH_ASSIGNED[t] ?? []) {
      if (k in docItem && !(k in req) && !isDeepStrictEqual(item[k], docItem[k])) diffs.push(`${k}: ${JSON.stringify(item[k])}, Graph assigns ${JSON.stringify(docItem[k])}`);
    }
  }
  for (const [k, v] of Object.entries(replay.values ?? {})) {
    if (k in docItem && !isDeepStrictEqual(item[k], v)) diffs.push(`${k}: ${JSON.stringify(item[k])}, the fixture has ${JSON.stringify(v)}`);
  }
  return diffs;
}
