// How stored records look on the wire: default property sets, $select checks, list pages, $ref targets.
import type { Ctx, EmuRequest, EmuResponse } from './context.js';
import { visible } from './context.js';
import { GraphError, MSG, badRequest, notFound, odataError, unsupportedQuery } from './errors.js';
import { evaluate, filterFeatures, paginate, parseQuery, project, type Query } from './odata.js';
import type { GroupRecord, UserRecord } from './state.js';
import { isMember } from './validate.js';

export const USER_DEFAULTS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'] as const;
export const GROUP_DEFAULTS = [
  'id', 'deletedDateTime', 'classification', 'createdDateTime', 'creationOptions', 'description', 'displayName', 'expirationDateTime',
  'groupTypes', 'isAssignableToRole', 'mail', 'mailEnabled', 'mailNickname', 'membershipRule', 'membershipRuleProcessingState',
  'onPremisesDomainName', 'onPremisesLastSyncDateTime', 'onPremisesNetBiosName', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled', 'preferredDataLocation', 'preferredLanguage', 'proxyAddresses', 'renewedDateTime', 'resourceBehaviorOptions',
  'resourceProvisioningOptions', 'securityEnabled', 'securityIdentifier', 'theme', 'uniqueName', 'visibility',
  'onPremisesProvisioningErrors', 'serviceProvisioningErrors',
];

const isoOf = (ms: number) => new Date(ms || Date.UTC(2024, 0, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z');
// Seeded objects all carry time 0 and a list converts every record: the last answer is kept.
let lastIso: [number, string] = [0, isoOf(0)];
const iso = (ms: number) => (lastIso[0] === ms ? lastIso[1] : (lastIso = [ms, isoOf(ms)])[1]);

export function userObject(u: UserRecord): Record<string, unknown> {
  const { passwordProfile: _omit, ...props } = u.props;
  return {
    id: u.id,
    businessPhones: [],
    // Returned only on $select, and empty (never null) for an account without licences, as Graph answers.
    assignedLicenses: [],
    ...props,
    createdDateTime: iso(u.createdAt),
    deletedDateTime: u.deletedAt === undefined ? null : iso(u.deletedAt),
  };
}

export function groupObject(g: GroupRecord, hasTeam = false): Record<string, unknown> {
  return {
    id: g.id,
    // Collections Graph returns empty rather than null; a mail-enabled group's address is its primary SMTP proxy.
    creationOptions: [],
    resourceBehaviorOptions: [],
    onPremisesProvisioningErrors: [],
    proxyAddresses: typeof g.props.mail === 'string' ? [`SMTP:${g.props.mail}`] : [],
    renewedDateTime: iso(g.createdAt),
    ...g.props,
    createdDateTime: iso(g.createdAt),
    deletedDateTime: g.deletedAt === undefined ? null : iso(g.deletedAt),
    resourceProvisioningOptions: hasTeam ? ['Team'] : [],
  };
}

/** Refuses $select of a property the type does not have, as the OData layer does. */
export function checkSelect(type: string, select: string[] | undefined): void {
  for (const s of select ?? []) {
    if (!isMember(type, s)) throw odataError(`Could not find a property named '${s}' on type 'microsoft.graph.${type}'.`);
  }
}

const ADVANCED = ['ne', 'not', 'endswith'];

/**
 * Entra's filter rules: some operators and $count need `ConsistencyLevel: eventual` (advanced queries);
 * filtering on a property the type lacks is refused.
 */
export function checkDirectoryQuery(req: EmuRequest, q: Query, type: string, resource: string): void {
  const eventual = (req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
  if (q.count && !eventual) throw badRequest('$count is not currently supported.');
  if (q.raw.has('$search') && !eventual) {
    throw badRequest("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  }
  if (!q.filter) return;
  const f = filterFeatures(q.filter);
  for (const p of f.paths) {
    const head = p.split('/')[0];
    if (!isMember(type, head)) throw odataError(`Could not find a property named '${head}' on type 'microsoft.graph.${type}'.`);
  }
  if (!eventual) {
    // Filtering on extension attributes is an advanced query in Entra.
    const ext = [...f.paths].find((p) => p.startsWith('onPremisesExtensionAttributes'));
    if (ext) throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${ext}' of resource '${resource}'.`);
    const bad = ADVANCED.find((op) => f.ops.has(op));
    if (bad) {
      const prop = [...f.paths][0] ?? '';
      throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`);
    }
  }
}

/**
 * Filtered lists by query, valid while the state's change sequence and the number of visible records stay as they
 * were (replication only ever makes records visible, which changes the number).
 */
const MEMO_QUERIES = 64;
const MEMO_MIN_RECORDS = 5_000;
const memos = new WeakMap<object, Map<string, { seq: number; size: number; objs: Record<string, unknown>[] }>>();
function memoOf(state: object) {
  let m = memos.get(state);
  if (!m) memos.set(state, (m = new Map()));
  return m;
}

/**
 * `wire`, kept per record while its change sequence `v` stays (every write touches it): a filtered list converts
 * every record, and a partitioned read filters 100,000 users once per partition. The kept objects are never handed
 * out as they are (projection copies them).
 */
const wires = new WeakMap<object, Map<string, WeakMap<object, { v: unknown; obj: Record<string, unknown> }>>>();
function wireKept<T>(state: object, path: string, wire: (r: T) => Record<string, unknown>): (r: T) => Record<string, unknown> {
  let byPath = wires.get(state);
  if (!byPath) wires.set(state, (byPath = new Map()));
  let kept = byPath.get(path);
  if (!kept) byPath.set(path, (kept = new WeakMap()));
  const cache = kept;
  return (r: T) => {
    const v = (r as { v?: unknown }).v;
    if (typeof v !== 'number' || typeof r !== 'object' || r === null) return wire(r);
    const hit = cache.get(r);
    if (hit && hit.v === v) return hit.obj;
    const obj = wire(r);
    cache.set(r, { v, obj });
    return obj;
  };
}

/** A list response: filter, count, page, project. `items` are wire objects before projection. */
export function listResponse<T = Record<string, unknown>>(
  req: EmuRequest,
  ctx: Ctx,
  records: T[],
  opts: {
    /** Record → wire object; only the page is converted unless a filter, search or order needs them all. */
    wire?: (r: T) => Record<string, unknown>;
    path: string;
    defaults: readonly string[];
    type: string;
    resource: string;
    q?: Query;
    defTop?: number;
    maxTop?: number;
    context?: string;
    /** Extra properties per item after projection (e.g. an $expand). */
    decorate?: (o: Record<string, unknown>) => Record<string, unknown> | undefined;
  },
): EmuResponse {
  const q = opts.q ?? parseQuery(req.params);
  checkSelect(opts.type, q.select);
  checkDirectoryQuery(req, q, opts.type, opts.resource);
  const wire = opts.wire ?? ((r: T) => r as unknown as Record<string, unknown>);
  const search = q.raw.get('$search');
  const orderby = q.raw.get('$orderby');
  let filtered: (T | Record<string, unknown>)[] = records;
  let converted = false;
  if (q.filter || search || orderby) {
    // Each page of a filtered list is the same query again: its result is kept until the tenant changes (a
    // partitioned read of 100,000 users would otherwise filter them all once per page).
    // Only large lists are kept: a small one costs nothing to filter again, and is then sure to show records a test
    // edited in place.
    const key = `${opts.path}\n${q.filterText ?? ''}\n${search ?? ''}\n${orderby ?? ''}`;
    const memo = records.length >= MEMO_MIN_RECORDS ? memoOf(ctx.state) : undefined;
    const hit = memo?.get(key);
    if (hit && hit.seq === ctx.state.seq && hit.size === records.length) filtered = hit.objs;
    else {
      let objs = memo ? records.map(wireKept(ctx.state, opts.path, wire)) : records.map(wire);
      if (q.filter) objs = objs.filter((o) => Boolean(evaluate(q.filter!, o)));
      if (search) objs = objs.filter((o) => matchesSearch(search, o));
      if (orderby) objs = sortBy(objs, orderby, opts.type);
      filtered = objs;
      if (memo) {
        memo.delete(key);
        memo.set(key, { seq: ctx.state.seq, size: records.length, objs });
        while (memo.size > MEMO_QUERIES) memo.delete(memo.keys().next().value!);
      }
    }
    converted = true;
  }
  const { page, nextLink } = paginate(filtered, q, `${ctx.graphBase}/${opts.path}`, opts.defTop ?? 100, opts.maxTop ?? 999);
  const objs = converted ? (page as Record<string, unknown>[]) : (page as T[]).map(wire);
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.graphBase}/$metadata#${opts.context ?? opts.path}`,
      ...(q.count ? { '@odata.count': filtered.length } : {}),
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
      value: objs.map((o) => ({ ...project(o, q.select, opts.defaults), ...(opts.decorate?.(o) ?? {}) })),
    },
  };
}

/** `$search="displayName:room" AND "mail:x"`: Entra matches tokens by prefix of words; substring is close enough. */
function matchesSearch(search: string, o: Record<string, unknown>): boolean {
  const clauses = search.split(/\s+(AND|OR)\s+/);
  let result = test(clauses[0]);
  for (let i = 1; i < clauses.length; i += 2) result = clauses[i] === 'AND' ? result && test(clauses[i + 1]) : result || test(clauses[i + 1]);
  return result;
  function test(clause: string): boolean {
    const m = /^"([^":]+):([^"]*)"$/.exec(clause.trim());
    if (!m) throw badRequest(`Invalid $search clause: ${clause}. Use "property:value".`);
    return String(o[m[1]] ?? '').toLowerCase().includes(m[2].toLowerCase());
  }
}

function sortBy(items: Record<string, unknown>[], orderby: string, type: string): Record<string, unknown>[] {
  const keys = orderby.split(',').map((part) => {
    const [prop, dir = 'asc'] = part.trim().split(/\s+/);
    if (!isMember(type, prop)) throw odataError(`Could not find a property named '${prop}' on type 'microsoft.graph.${type}'.`);
    return { prop, sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const x = String(a[k.prop] ?? '').toLowerCase();
      const y = String(b[k.prop] ?? '').toLowerCase();
      if (x !== y) return x < y ? -k.sign : k.sign;
    }
    return 0;
  });
}

/** The object id at the end of an @odata.id / @odata.bind URL: `.../directoryObjects/{id}`, `.../users('{id}')`. */
export function refId(url: unknown): string {
  if (typeof url !== 'string' || !url) throw badRequest("Invalid value specified for property '@odata.id'.");
  const trimmed = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const key = /\('?([^'()]+)'?\)$/.exec(trimmed);
  if (key) return decodeURIComponent(key[1]);
  return decodeURIComponent(trimmed.slice(trimmed.lastIndexOf('/') + 1));
}

/** A $ref target must exist (404) and be replicated (400, the message Graph gives just after a create). */
export function resolveRef(ctx: Ctx, id: string): UserRecord | GroupRecord {
  const rec = ctx.state.liveObject(id);
  if (!rec) throw notFound(id);
  if (!visible(ctx, rec)) throw badRequest(MSG.refMissing);
  return rec;
}

export function readableUser(ctx: Ctx, idOrUpn: string): UserRecord {
  const u = ctx.state.liveUser(idOrUpn);
  if (!u || !visible(ctx, u)) throw notFound(idOrUpn);
  return u;
}

export function readableGroup(ctx: Ctx, id: string): GroupRecord {
  const g = ctx.state.liveGroup(id);
  if (!g || !visible(ctx, g)) throw notFound(id);
  return g;
}

/** Writes may reach an object the reads do not show yet (it exists, only replication lags). */
export function writableUser(ctx: Ctx, idOrUpn: string): UserRecord {
  const u = ctx.state.liveUser(idOrUpn);
  if (!u) throw notFound(idOrUpn);
  return u;
}

export function writableGroup(ctx: Ctx, id: string): GroupRecord {
  const g = ctx.state.liveGroup(id);
  if (!g) throw notFound(id);
  return g;
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  return body as Record<string, unknown>;
}
