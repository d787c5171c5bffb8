// /users: create, read, list, update, soft delete; the rules Entra enforces on userPrincipalName and passwords.
import { randomUUID } from 'node:crypto';
import type { Ctx, EmuRequest, Route } from './context.js';
import { json } from './context.js';
import { MSG, badRequest, conflict, invalidValue } from './errors.js';
import { parseQuery, project } from './odata.js';
import type { Props, UserRecord } from './state.js';
import { validateBody } from './validate.js';
import { GROUP_DEFAULTS, USER_DEFAULTS, checkSelect, groupObject, listResponse, readableUser, requireObject, userObject, writableUser } from './views.js';

const UPN_LOCAL = /^[A-Za-z0-9'.\-_!#^~]+$/;

function checkUpn(ctx: Ctx, upn: unknown, self?: string): string {
  if (typeof upn !== 'string' || !upn.includes('@')) throw invalidValue('userPrincipalName', 'User');
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1).toLowerCase();
  if (!local || local.length > 64 || !UPN_LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw invalidValue('userPrincipalName', 'User');
  }
  if (!ctx.state.domains.some((d) => d.toLowerCase() === domain)) throw badRequest(MSG.domainInvalid);
  // Soft-deleted users keep their UPN until purged, so they conflict too.
  const holder = ctx.state.userByUpn(upn);
  if (holder && holder.id !== self) throw conflict('userPrincipalName', MSG.upnConflict);
  if (ctx.state.groupMail(upn)) throw conflict('proxyAddresses', MSG.proxyConflict);
  return upn;
}

/** Entra's default policy: 8–256 characters and three of upper, lower, digit, symbol. */
function checkPassword(profile: unknown): void {
  const pw = (profile as Props | null)?.password;
  if (typeof pw !== 'string') throw invalidValue('passwordProfile', 'User');
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (pw.length < 8 || pw.length > 256 || classes < 3) throw badRequest(MSG.passwordComplexity);
}

/** Entra's length limits on the string properties rollcall writes. */
const MAX_LENGTH: Record<string, number> = { employeeId: 16, givenName: 64, surname: 64, displayName: 256, jobTitle: 128, department: 64, companyName: 64, officeLocation: 128 };

function checkCommon(body: Props): void {
  for (const [prop, max] of Object.entries(MAX_LENGTH)) {
    const v = body[prop];
    if (typeof v === 'string' && v.length > max) throw invalidValue(prop, 'User');
  }
  if (body.mailNickname !== undefined && !/^[A-Za-z0-9'.\-_!#^~]{1,64}$/.test(String(body.mailNickname))) throw invalidValue('mailNickname', 'User');
  if (body.displayName !== undefined && (typeof body.displayName !== 'string' || !body.displayName.trim() || body.displayName.length > 256)) {
    throw invalidValue('displayName', 'User');
  }
  if (body.usageLocation !== undefined && body.usageLocation !== null && !/^[A-Z]{2}$/.test(String(body.usageLocation))) throw invalidValue('usageLocation', 'User');
  const ext = body.onPremisesExtensionAttributes as Props | undefined;
  for (const [k, v] of Object.entries(ext ?? {})) if (typeof v === 'string' && v.length > 1024) throw invalidValue(k, 'User');
}

/** Strips what is never stored (the password) and merges extension attributes like Graph's PATCH does. */
function storeProps(rec: Props, body: Props): void {
  for (const [k, v] of Object.entries(body)) {
    if (k === 'passwordProfile') {
      const { password: _secret, ...rest } = v as Props;
      rec.passwordProfile = rest;
    } else if (k === 'onPremisesExtensionAttributes' && v && typeof v === 'object') {
      rec[k] = { ...((rec[k] as Props | undefined) ?? {}), ...(v as Props) };
    } else rec[k] = v;
  }
}

function createUser(req: EmuRequest, ctx: Ctx) {
  const body = requireObject(req.body);
  validateBody('user', body);
  for (const p of ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile'] as const) {
    if (body[p] === undefined || body[p] === null) throw invalidValue(p, 'User');
  }
  const upn = checkUpn(ctx, body.userPrincipalName);
  checkCommon(body);
  checkPassword(body.passwordProfile);
  const rec: UserRecord = { id: randomUUID(), createdAt: ctx.now(), v: 0, props: { userPrincipalName: upn, userType: 'Member' } };
  storeProps(rec.props, body);
  ctx.state.users.set(rec.id, rec);
  ctx.state.indexUpn(rec);
  ctx.state.touch(rec);
  return json(201, { '@odata.context': `${ctx.graphBase}/$metadata#users/$entity`, ...project(userObject(rec), undefined, USER_DEFAULTS) });
}

function listUsers(req: EmuRequest, ctx: Ctx) {
  // visible() inlined with one clock read: this runs over every user for every page of a 100,000-user tenant.
  const cutoff = ctx.now() - ctx.replicationDelayMs;
  const records = [...ctx.state.users.values()].filter((u) => u.deletedAt === undefined && u.createdAt <= cutoff);
  return listResponse(req, ctx, records, { wire: userObject, path: 'users', defaults: USER_DEFAULTS, type: 'user', resource: 'User' });
}

function getUser(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const q = parseQuery(req.params);
  checkSelect('user', q.select);
  const u = readableUser(ctx, id);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#users/$entity`, ...project(userObject(u), q.select, USER_DEFAULTS) });
}

function patchUser(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const body = requireObject(req.body);
  validateBody('user', body);
  const u = writableUser(ctx, id);
  if (body.userPrincipalName !== undefined) checkUpn(ctx, body.userPrincipalName, u.id);
  for (const p of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName'] as const) {
    if (p in body && body[p] === null) throw invalidValue(p, 'User');
  }
  checkCommon(body);
  if (body.passwordProfile !== undefined) checkPassword(body.passwordProfile);
  const previousUpn = u.props.userPrincipalName;
  storeProps(u.props, body);
  if (body.userPrincipalName !== undefined) ctx.state.indexUpn(u, previousUpn);
  ctx.state.touch(u);
  return json(204);
}

function deleteUser(_req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const u = writableUser(ctx, id);
  u.deletedAt = ctx.now();
  ctx.state.touch(u);
  return json(204);
}

function memberOf(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const u = readableUser(ctx, id);
  const items = [...ctx.state.groups.values()]
    .filter((g) => g.deletedAt === undefined && g.members.includes(u.id))
    .map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupObject(g, ctx.state.teams.has(g.id)) }));
  return listResponse(req, ctx, items, { path: `users/${id}/memberOf`, defaults: ['@odata.type', ...GROUP_DEFAULTS], type: 'group', resource: 'Group', context: 'directoryObjects' });
}

export const userRoutes: Route[] = [
  { method: 'POST', pattern: 'users', handler: createUser, service: 'directory' },
  { method: 'GET', pattern: 'users', handler: listUsers, service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'users/{id}', handler: getUser, service: 'directory', ru: 2 },
  { method: 'PATCH', pattern: 'users/{id}', handler: patchUser, service: 'directory' },
  { method: 'DELETE', pattern: 'users/{id}', handler: deleteUser, service: 'directory' },
  { method: 'GET', pattern: 'users/{id}/memberOf', handler: memberOf, service: 'directory', ru: 2 },
];

