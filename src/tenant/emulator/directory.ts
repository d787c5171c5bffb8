// /directory/deletedItems (restore, purge), /domains and /organization.
import type { Ctx, EmuRequest, Route } from './context.js';
import { json } from './context.js';
import { MSG, conflict, notFound } from './errors.js';
import { parseQuery, project } from './odata.js';
import { GROUP_DEFAULTS, USER_DEFAULTS, checkSelect, groupObject, listResponse, userObject } from './views.js';

function deletedUsers(req: EmuRequest, ctx: Ctx) {
  const items = [...ctx.state.users.values()].filter((u) => u.deletedAt !== undefined).map(userObject);
  return listResponse(req, ctx, items, { path: 'directory/deletedItems/microsoft.graph.user', defaults: USER_DEFAULTS, type: 'user', resource: 'User', context: 'directoryObjects/microsoft.graph.user' });
}

function deletedGroups(req: EmuRequest, ctx: Ctx) {
  const items = [...ctx.state.groups.values()].filter((g) => g.deletedAt !== undefined).map((g) => groupObject(g));
  return listResponse(req, ctx, items, { path: 'directory/deletedItems/microsoft.graph.group', defaults: GROUP_DEFAULTS, type: 'group', resource: 'Group', context: 'directoryObjects/microsoft.graph.group' });
}

function deletedRecord(ctx: Ctx, id: string) {
  const u = ctx.state.users.get(id);
  if (u?.deletedAt !== undefined) return { kind: 'user' as const, rec: u };
  const g = ctx.state.groups.get(id);
  if (g?.deletedAt !== undefined) return { kind: 'group' as const, rec: g };
  throw notFound(id);
}

function getDeleted(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const q = parseQuery(req.params);
  const d = deletedRecord(ctx, id);
  checkSelect(d.kind, q.select);
  const obj = d.kind === 'user' ? userObject(d.rec) : groupObject(d.rec);
  return json(200, { '@odata.type': `#microsoft.graph.${d.kind}`, ...project(obj, q.select, d.kind === 'user' ? USER_DEFAULTS : GROUP_DEFAULTS) });
}

function restore(_req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const d = deletedRecord(ctx, id);
  if (d.kind === 'user') {
    const upn = String(d.rec.props.userPrincipalName).toLowerCase();
    // A live user may have taken the address meanwhile (only possible when it was renamed away and back).
    for (const u of ctx.state.users.values()) {
      if (u.id !== id && u.deletedAt === undefined && String(u.props.userPrincipalName).toLowerCase() === upn) throw conflict('userPrincipalName', MSG.upnConflict);
    }
  }
  delete d.rec.deletedAt;
  ctx.state.touch(d.rec);
  d.rec.restoredV = d.rec.v;
  const obj = d.kind === 'user' ? project(userObject(d.rec), undefined, USER_DEFAULTS) : project(groupObject(d.rec), undefined, GROUP_DEFAULTS);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#directoryObjects/$entity`, '@odata.type': `#microsoft.graph.${d.kind}`, ...obj });
}

function purge(_req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const d = deletedRecord(ctx, id);
  ctx.state.hardDelete(d.kind, id);
  return json(204);
}

/** A verified managed domain with every property Graph returns by default (availabilityStatus is null outside verification). */
function domainObject(d: string, i: number) {
  return {
    id: d, authenticationType: 'Managed', availabilityStatus: null, isAdminManaged: true, isDefault: i === 0, isInitial: i === 0, isRoot: true, isVerified: true,
    passwordNotificationWindowInDays: 14, passwordValidityPeriodInDays: 2147483647, state: null, supportedServices: ['Email', 'OfficeCommunicationsOnline'],
  };
}

function listDomains(_req: EmuRequest, ctx: Ctx) {
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#domains`, value: ctx.state.domains.map((d, i) => domainObject(d, i)) });
}

function getDomain(_req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const i = ctx.state.domains.findIndex((d) => d.toLowerCase() === id.toLowerCase());
  if (i < 0) throw notFound(id);
  return json(200, domainObject(ctx.state.domains[i], i));
}

function organization(_req: EmuRequest, ctx: Ctx) {
  return json(200, {
    '@odata.context': `${ctx.graphBase}/$metadata#organization`,
    value: [{ id: ctx.state.tenantId, displayName: 'rollcall emulator', verifiedDomains: ctx.state.domains.map((d, i) => ({ name: d, isDefault: i === 0, isInitial: i === 0, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' })) }],
  });
}

export const directoryRoutes: Route[] = [
  { method: 'GET', pattern: 'directory/deletedItems/microsoft.graph.user', handler: deletedUsers, service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'directory/deletedItems/microsoft.graph.group', handler: deletedGroups, service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'directory/deletedItems/{id}', handler: getDeleted, service: 'directory', ru: 1 },
  { method: 'POST', pattern: 'directory/deletedItems/{id}/restore', handler: restore, service: 'directory' },
  { method: 'DELETE', pattern: 'directory/deletedItems/{id}', handler: purge, service: 'directory' },
  { method: 'GET', pattern: 'domains', handler: listDomains, service: 'directory', ru: 1 },
  { method: 'GET', pattern: 'domains/{id}', handler: getDomain, service: 'directory', ru: 1 },
  { method: 'GET', pattern: 'organization', handler: organization, service: 'directory', ru: 1 },
];
