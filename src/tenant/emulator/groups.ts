// /groups: security and Microsoft 365 groups, members and owners ($ref, @odata.bind up to 20), soft delete.
import { randomUUID } from 'node:crypto';
import type { Ctx, EmuRequest, Route } from './context.js';
import { json, visible } from './context.js';
import { GraphError, MSG, badRequest, conflict, invalidValue, notFound } from './errors.js';
import { parseQuery, project } from './odata.js';
import type { GroupRecord, Props } from './state.js';
import { validateBody } from './validate.js';
import { GROUP_DEFAULTS, USER_DEFAULTS, checkSelect, groupObject, listResponse, readableGroup, refId, requireObject, resolveRef, userObject, writableGroup } from './views.js';

export const MAX_BIND = 20;
const NICK_BAD = /[@()\\[\]";:.<>, \s]/;

export function checkMailNickname(ctx: Ctx, nick: unknown, mailEnabled: boolean, resource: string, self?: string): string {
  if (typeof nick !== 'string' || !nick || nick.length > 64 || NICK_BAD.test(nick) || /[^\x20-\x7e]/.test(nick)) throw invalidValue('mailNickname', resource);
  // Entra only insists on uniqueness where the nickname becomes an address: mail-enabled (Microsoft 365) groups.
  // Security groups may share a nickname, so a writer must never rely on a conflict to detect its own retry.
  if (mailEnabled) {
    if (ctx.state.groupWithMailNickname(nick, self) !== undefined) {
      throw conflict('mailNickname', 'Another object with the same value for property mailNickname already exists.');
    }
    // The group's address would be a user's: Exchange refuses the duplicate proxy address.
    const address = `${nick}@${ctx.state.domains[0]}`;
    const user = ctx.state.userByUpn(address);
    if (user && user.id !== self) throw conflict('proxyAddresses', MSG.proxyConflict);
  }
  return nick;
}

/** `members@odata.bind` / `owners@odata.bind` from a body: at most 20 together, every target resolvable. */
export function bindsOf(ctx: Ctx, body: Props): { members: string[]; owners: string[] } {
  const members = ((body['members@odata.bind'] as string[] | undefined) ?? []).map(refId);
  const owners = ((body['owners@odata.bind'] as string[] | undefined) ?? []).map(refId);
  if (members.length + owners.length > MAX_BIND) {
    throw badRequest(`The number of directory objects to be added in a single request exceeds the limit of ${MAX_BIND}.`);
  }
  for (const id of [...members, ...owners]) resolveRef(ctx, id);
  return { members, owners };
}

function stripBinds(body: Props): Props {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !k.includes('@')));
}

export function newGroup(ctx: Ctx, props: Props, binds: { members: string[]; owners: string[] }): GroupRecord {
  const now = ctx.now();
  const rec: GroupRecord = {
    id: randomUUID(),
    createdAt: now,
    v: 0,
    props: {
      groupTypes: [],
      description: null,
      visibility: null,
      mail: props.mailEnabled ? `${String(props.mailNickname)}@${ctx.state.domains[0]}` : null,
      ...props,
    },
    members: [],
    owners: [],
  };
  ctx.state.groups.set(rec.id, rec);
  ctx.state.touch(rec);
  for (const m of binds.members) ctx.state.addMember(rec, m, 'members');
  for (const o of binds.owners) ctx.state.addMember(rec, o, 'owners');
  return rec;
}

function createGroup(req: EmuRequest, ctx: Ctx) {
  const body = requireObject(req.body);
  validateBody('group', body);
  for (const p of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled'] as const) {
    if (body[p] === undefined || body[p] === null) throw invalidValue(p, 'Group');
  }
  if (typeof body.displayName !== 'string' || !body.displayName.trim() || body.displayName.length > 256) throw invalidValue('displayName', 'Group');
  const unified = Array.isArray(body.groupTypes) && body.groupTypes.includes('Unified');
  if (!unified && body.mailEnabled === true) {
    throw badRequest('Creating mail-enabled security groups or distribution groups is not supported through Microsoft Graph.');
  }
  checkMailNickname(ctx, body.mailNickname, body.mailEnabled === true, 'Group');
  checkExchangeProps(body, undefined);
  const binds = bindsOf(ctx, body);
  const g = newGroup(ctx, stripBinds(body), binds);
  return json(201, { '@odata.context': `${ctx.graphBase}/$metadata#groups/$entity`, ...project(groupObject(g), undefined, GROUP_DEFAULTS) });
}

/** Graph's $expand=members (or owners) returns at most 20 objects and no link to the rest: a trap for readers. */
export const EXPAND_LIMIT = 20;

function expander(ctx: Ctx, expand: string | undefined): ((o: Record<string, unknown>) => Record<string, unknown>) | undefined {
  if (!expand) return undefined;
  const specs = expand.split(',').map((e) => /^\s*(members|owners)\s*(?:\(\s*\$select\s*=\s*([^)]*)\))?\s*$/i.exec(e));
  if (specs.some((m) => !m)) throw new GraphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${expand.split(/[(,]/)[0].trim()}' on type 'microsoft.graph.group'.`);
  return (o) => {
    const g = ctx.state.groups.get(String(o.id));
    const out: Record<string, unknown> = {};
    for (const m of specs as RegExpExecArray[]) {
      const role = m[1].toLowerCase() as 'members' | 'owners';
      const select = m[2]?.split(',').map((x) => x.trim());
      out[role] = memberObjects(ctx, (g?.[role] ?? []).slice(0, EXPAND_LIMIT)).map((x) => (select ? { '@odata.type': x['@odata.type'], ...project(x, select, []) } : x));
    }
    return out;
  };
}

function listGroups(req: EmuRequest, ctx: Ctx) {
  const records = [...ctx.state.groups.values()].filter((g) => g.deletedAt === undefined && visible(ctx, g));
  return listResponse(req, ctx, records, { wire: (g) => groupObject(g, ctx.state.teams.has(g.id)), path: 'groups', defaults: GROUP_DEFAULTS, type: 'group', resource: 'Group', decorate: expander(ctx, req.params.get('$expand') ?? undefined) });
}

function getGroup(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const q = parseQuery(req.params);
  checkSelect('group', q.select);
  const g = readableGroup(ctx, id);
  const obj = groupObject(g, ctx.state.teams.has(g.id));
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#groups/$entity`, ...project(obj, q.select, GROUP_DEFAULTS), ...(expander(ctx, q.expand)?.(obj) ?? {}) });
}

// Properties Exchange keeps for a Microsoft 365 group. Graph takes them only in a PATCH of their own ("The request is
// currently not supported on the targeted entity set" otherwise), never in the POST that makes the group, and
// only on a Microsoft 365 group.
const EXCHANGE_PROPS = ['allowExternalSenders', 'autoSubscribeNewMembers', 'hideFromAddressLists', 'hideFromOutlookClients'];

function checkExchangeProps(body: Props, g: GroupRecord | undefined): void {
  const named = Object.keys(body).filter((k) => EXCHANGE_PROPS.includes(k));
  if (!named.length) return;
  if (!g || Object.keys(body).length > 1) throw badRequest('The request is currently not supported on the targeted entity set');
  if (!(g.props.groupTypes as string[] | undefined)?.includes('Unified')) throw badRequest(`${named[0]} is only supported for Microsoft 365 groups.`);
}

function patchGroup(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const body = requireObject(req.body);
  validateBody('group', body);
  const g = writableGroup(ctx, id);
  checkExchangeProps(body, g);
  if (body.mailNickname !== undefined) checkMailNickname(ctx, body.mailNickname, g.props.mailEnabled === true, 'Group', g.id);
  if (body.displayName !== undefined && (typeof body.displayName !== 'string' || !body.displayName.trim())) throw invalidValue('displayName', 'Group');
  // All or nothing: every bound reference is checked before any is added.
  const binds = bindsOf(ctx, body);
  if ((binds.members.length || binds.owners.length) && !visible(ctx, g)) throw badRequest(MSG.refMissing);
  for (const role of ['members', 'owners'] as const) {
    if (binds[role].some((m) => ctx.state.isMember(g, m, role))) throw badRequest(MSG.memberExists(role));
  }
  Object.assign(g.props, stripBinds(body));
  if (g.education) for (const k of ['displayName', 'description', 'mailNickname'] as const) if (k in body) g.education[k] = body[k];
  ctx.state.touch(g);
  for (const m of binds.members) ctx.state.addMember(g, m, 'members');
  for (const o of binds.owners) ctx.state.addMember(g, o, 'owners');
  return json(204);
}

/** Microsoft 365 groups (and classes) go to deletedItems for 30 days; security groups are gone at once. */
export function deleteGroupRecord(ctx: Ctx, g: GroupRecord): void {
  if ((g.props.groupTypes as string[] | undefined)?.includes('Unified')) {
    g.deletedAt = ctx.now();
    ctx.state.touch(g);
  } else ctx.state.hardDelete('group', g.id);
}

function deleteGroup(_req: EmuRequest, ctx: Ctx, [id]: string[]) {
  deleteGroupRecord(ctx, writableGroup(ctx, id));
  return json(204);
}

export function memberObjects(ctx: Ctx, ids: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const u = ctx.state.users.get(id);
    if (u) {
      if (u.deletedAt === undefined) out.push({ '@odata.type': '#microsoft.graph.user', ...userObject(u) });
      continue;
    }
    const g = ctx.state.liveGroup(id);
    if (g) out.push({ '@odata.type': '#microsoft.graph.group', ...groupObject(g) });
  }
  return out;
}

const listRole = (role: 'members' | 'owners') => (req: EmuRequest, ctx: Ctx, [id]: string[]) => {
  const g = readableGroup(ctx, id);
  const q = parseQuery(req.params);
  // directoryObject collection: a $select may name user or group properties.
  for (const s of q.select ?? []) checkSelect(/^(mailEnabled|securityEnabled|groupTypes|mailNickname|description|visibility)$/.test(s) ? 'group' : 'user', [s]);
  const defaults = ['@odata.type', ...USER_DEFAULTS];
  const items = memberObjects(ctx, g[role]);
  const res = listResponse(req, ctx, items, { path: `groups/${id}/${role}`, defaults, type: 'user', resource: 'User', q: { ...q, select: undefined }, context: 'directoryObjects' });
  // Re-project with the @odata.type kept, as Graph does for directoryObject collections.
  const body = res.body as { value: Record<string, unknown>[] };
  if (q.select) body.value = body.value.map((o) => ({ '@odata.type': o['@odata.type'], ...project(o, q.select, defaults) }));
  return res;
};

const addRef = (role: 'members' | 'owners') => (req: EmuRequest, ctx: Ctx, [id]: string[]) => {
  const body = requireObject(req.body);
  const target = body['@odata.id'];
  if (target === undefined) throw badRequest("Invalid request body: the '@odata.id' annotation is required.");
  const g = writableGroup(ctx, id);
  if (!visible(ctx, g)) throw badRequest(MSG.refMissing);
  const rec = resolveRef(ctx, refId(target));
  if (ctx.state.isMember(g, rec.id, role)) throw badRequest(MSG.memberExists(role));
  ctx.state.addMember(g, rec.id, role);
  return json(204);
};

const removeRef = (role: 'members' | 'owners') => (_req: EmuRequest, ctx: Ctx, [id, memberId]: string[]) => {
  const g = writableGroup(ctx, id);
  if (!ctx.state.isMember(g, memberId, role)) throw notFound(memberId);
  ctx.state.removeMember(g, memberId, role);
  if (g.education && role === 'owners') g.education.teachers = g.education.teachers.filter((t) => t !== memberId);
  return json(204);
};

/** Members of nested groups too (each object once); Graph charges 5 resource units for it. */
function transitiveMembers(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const g = readableGroup(ctx, id);
  const seen = new Set<string>();
  const walk = (grp: GroupRecord) => {
    for (const m of grp.members) {
      if (seen.has(m)) continue;
      seen.add(m);
      const inner = ctx.state.liveGroup(m);
      if (inner) walk(inner);
    }
  };
  walk(g);
  const defaults = ['@odata.type', ...USER_DEFAULTS];
  const q = parseQuery(req.params);
  const res = listResponse(req, ctx, memberObjects(ctx, [...seen]), { path: `groups/${id}/transitiveMembers`, defaults, type: 'user', resource: 'User', q: { ...q, select: undefined }, context: 'directoryObjects' });
  const body = res.body as { value: Record<string, unknown>[] };
  if (q.select) body.value = body.value.map((o) => ({ '@odata.type': o['@odata.type'], ...project(o, q.select, defaults) }));
  return res;
}

export const groupRoutes: Route[] = [
  { method: 'GET', pattern: 'groups/{id}/transitiveMembers', handler: transitiveMembers, service: 'directory', ru: 5 },
  { method: 'POST', pattern: 'groups', handler: createGroup, service: 'directory' },
  { method: 'GET', pattern: 'groups', handler: listGroups, service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'groups/{id}', handler: getGroup, service: 'directory', ru: 2 },
  { method: 'PATCH', pattern: 'groups/{id}', handler: patchGroup, service: 'directory' },
  { method: 'DELETE', pattern: 'groups/{id}', handler: deleteGroup, service: 'directory' },
  { method: 'GET', pattern: 'groups/{id}/members', handler: listRole('members'), service: 'directory', ru: 3 },
  { method: 'GET', pattern: 'groups/{id}/owners', handler: listRole('owners'), service: 'directory', ru: 3 },
  { method: 'POST', pattern: 'groups/{id}/members/$ref', handler: addRef('members'), service: 'directory' },
  { method: 'POST', pattern: 'groups/{id}/owners/$ref', handler: addRef('owners'), service: 'directory' },
  { method: 'DELETE', pattern: 'groups/{id}/members/{id}/$ref', handler: removeRef('members'), service: 'directory' },
  { method: 'DELETE', pattern: 'groups/{id}/owners/{id}/$ref', handler: removeRef('owners'), service: 'directory' },
];
