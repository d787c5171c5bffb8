// /education/classes: a class is a Microsoft 365 group with the same id plus class properties; teachers are the
// group's owners (Graph makes a teacher an owner), students its members. Non-education tenants refuse all of it.
import type { Ctx, EmuRequest, Route } from './context.js';
import { json, visible } from './context.js';
import { GraphError, MSG, badRequest, invalidValue, notFound } from './errors.js';
import { checkMailNickname, deleteGroupRecord, newGroup } from './groups.js';
import { parseQuery, project } from './odata.js';
import type { GroupRecord, Props, UserRecord } from './state.js';
import { validateBody } from './validate.js';
import { checkSelect, listResponse, readableUser, refId, requireObject, resolveRef } from './views.js';

const CLASS_FIELDS = ['displayName', 'mailNickname', 'description', 'classCode', 'externalId', 'externalName', 'externalSource', 'externalSourceDetail', 'grade'] as const;
const CLASS_DEFAULTS = ['@odata.type', 'id', ...CLASS_FIELDS, 'term', 'course', 'createdBy'] as const;
/** An educationUser's properties returned by default (every one but refreshTokensValidFromDateTime and relatedContacts). */
const EDU_USER_DEFAULTS = [
  'id', 'accountEnabled', 'assignedLicenses', 'assignedPlans', 'businessPhones', 'createdBy', 'department', 'displayName', 'externalSource',
  'externalSourceDetail', 'givenName', 'mail', 'mailingAddress', 'mailNickname', 'middleName', 'mobilePhone', 'officeLocation', 'onPremisesInfo',
  'passwordPolicies', 'passwordProfile', 'preferredLanguage', 'primaryRole', 'provisionedPlans', 'residenceAddress', 'showInAddressList', 'student',
  'surname', 'teacher', 'usageLocation', 'userPrincipalName', 'userType',
] as const;

function requireEducation(ctx: Ctx): void {
  if (!ctx.state.education) {
    throw new GraphError(400, 'Request_UnsupportedQuery', 'Education APIs are not supported for this tenant: it is not an Education tenant.');
  }
}

function classObject(g: GroupRecord): Record<string, unknown> {
  const e = g.education ?? { teachers: [] };
  // The education pages show the type on every class answer.
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.educationClass', id: g.id };
  for (const f of CLASS_FIELDS) out[f] = e[f] ?? null;
  out.term = e.term ?? null;
  out.course = e.course ?? null;
  out.createdBy = { application: null, device: null, user: null };
  return out;
}

function readableClass(ctx: Ctx, id: string): GroupRecord {
  requireEducation(ctx);
  const g = ctx.state.liveGroup(id);
  if (!g?.education || !visible(ctx, g)) throw notFound(id);
  return g;
}

function writableClass(ctx: Ctx, id: string): GroupRecord {
  requireEducation(ctx);
  const g = ctx.state.liveGroup(id);
  if (!g?.education) throw notFound(id);
  return g;
}

function createClass(req: EmuRequest, ctx: Ctx) {
  requireEducation(ctx);
  const body = requireObject(req.body);
  validateBody('educationClass', body);
  for (const p of ['displayName', 'mailNickname'] as const) if (body[p] === undefined || body[p] === null) throw invalidValue(p, 'EducationClass');
  if (typeof body.displayName !== 'string' || !body.displayName.trim()) throw invalidValue('displayName', 'EducationClass');
  const nick = checkMailNickname(ctx, body.mailNickname, true, 'EducationClass');
  const g = newGroup(ctx, { displayName: body.displayName, mailNickname: nick, description: body.description ?? null, groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, visibility: 'HiddenMembership' }, { members: [], owners: [] });
  g.education = { externalSource: 'manual', ...(body as Props), teachers: [] };
  ctx.state.touch(g);
  return json(201, { '@odata.context': `${ctx.graphBase}/$metadata#education/classes/$entity`, ...classObject(g) });
}

function listClasses(req: EmuRequest, ctx: Ctx) {
  requireEducation(ctx);
  const items = [...ctx.state.groups.values()].filter((g) => g.education && g.deletedAt === undefined && visible(ctx, g)).map(classObject);
  return listResponse(req, ctx, items, { path: 'education/classes', defaults: CLASS_DEFAULTS, type: 'educationClass', resource: 'EducationClass' });
}

function getClass(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const q = parseQuery(req.params);
  checkSelect('educationClass', q.select);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#education/classes/$entity`, ...project(classObject(readableClass(ctx, id)), q.select, CLASS_DEFAULTS) });
}

function patchClass(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const g = writableClass(ctx, id);
  const body = requireObject(req.body);
  validateBody('educationClass', body);
  if (body.mailNickname !== undefined) checkMailNickname(ctx, body.mailNickname, true, 'EducationClass', g.id);
  if ('displayName' in body && (typeof body.displayName !== 'string' || !body.displayName.trim())) throw invalidValue('displayName', 'EducationClass');
  Object.assign(g.education!, body);
  for (const k of ['displayName', 'mailNickname', 'description'] as const) if (k in body) g.props[k] = body[k];
  ctx.state.touch(g);
  // Unlike users and groups, a class PATCH answers 200 with the updated class.
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#education/classes/$entity`, ...classObject(g) });
}

function deleteClass(_req: EmuRequest, ctx: Ctx, [id]: string[]) {
  deleteGroupRecord(ctx, writableClass(ctx, id));
  return json(204);
}

function educationUser(ctx: Ctx, id: string): Record<string, unknown> | undefined {
  const u = ctx.state.users.get(id);
  if (!u || u.deletedAt !== undefined) return undefined;
  // The educationUser is the user seen from education: the directory's properties, the education ones null where unset.
  const out: Record<string, unknown> = Object.fromEntries(EDU_USER_DEFAULTS.map((k) => [k, u.props[k] ?? null]));
  return {
    ...out,
    id: u.id,
    assignedLicenses: [],
    assignedPlans: [],
    provisionedPlans: [],
    businessPhones: u.props.businessPhones ?? [],
    passwordProfile: null,
    userType: u.props.userType ?? 'Member',
    externalSource: 'sis',
    ...educationProfile(u),
  };
}

// The education profile: what was written on /education/users/{id}, by School Data Sync, rollcall or an admin.
// Graph derives none of it (not from employeeType, not from class roles): a user nobody set has the role `none`.
// relatedContacts (a student's parents and guardians) is answered only when $select names it, [] when none.
const PROFILE_FIELDS = ['primaryRole', 'student', 'teacher', 'relatedContacts'] as const;
const ROLES = ['student', 'teacher', 'none', 'unknownFutureValue'];

function educationProfile(u: UserRecord): Record<string, unknown> {
  const e = u.education ?? {};
  return { primaryRole: e.primaryRole ?? 'none', student: e.student ?? null, teacher: e.teacher ?? null, relatedContacts: e.relatedContacts ?? [] };
}

function listEducationUsers(req: EmuRequest, ctx: Ctx) {
  requireEducation(ctx);
  const items = [...ctx.state.users.values()].filter((u) => u.deletedAt === undefined && visible(ctx, u)).map((u) => educationUser(ctx, u.id)!);
  return listResponse(req, ctx, items, { path: 'education/users', defaults: EDU_USER_DEFAULTS, type: 'educationUser', resource: 'EducationUser' });
}

function getEducationUser(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  requireEducation(ctx);
  const q = parseQuery(req.params);
  checkSelect('educationUser', q.select);
  const u = readableUser(ctx, id);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#education/users/$entity`, ...project(educationUser(ctx, u.id)!, q.select, EDU_USER_DEFAULTS) });
}

/**
 * PATCH stores the role and merges student and teacher data property by property (as Graph merges a complex value
 * such as onPremisesExtensionAttributes); null clears one. Only the education properties are served here.
 */
function patchEducationUser(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  requireEducation(ctx);
  const body = requireObject(req.body);
  validateBody('educationUser', body);
  const other = Object.keys(body).filter((k) => !k.startsWith('@') && !(PROFILE_FIELDS as readonly string[]).includes(k));
  if (other.length) throw badRequest(`The emulator's /education/users PATCH sets only ${PROFILE_FIELDS.join(', ')}; change ${other.join(', ')} on /users.`);
  // The education service has its own copy of the directory: a user it has not caught up with yet is not found.
  const u = readableUser(ctx, id);
  const e = (u.education ??= {});
  if (typeof body.primaryRole === 'string') e.primaryRole = ROLES.find((r) => r.toLowerCase() === String(body.primaryRole).toLowerCase()) ?? body.primaryRole;
  for (const k of ['student', 'teacher'] as const) {
    if (!(k in body)) continue;
    e[k] = body[k] === null ? null : { ...((e[k] as Props | null | undefined) ?? {}), ...(body[k] as Props) };
  }
  // A collection of complex values is replaced whole, as Graph replaces it: the list sent is the list kept.
  if ('relatedContacts' in body) {
    const list = (body.relatedContacts ?? []) as Props[];
    list.forEach((c, i) => {
      for (const p of ['displayName', 'emailAddress', 'relationship'] as const) {
        if (c[p] === undefined) throw badRequest(`relatedContacts[${i}]: the property '${p}' is required.`);
      }
    });
    e.relatedContacts = list.map((c) => ({ accessConsent: null, mobilePhone: null, ...c }));
  }
  ctx.state.touch(u);
  return json(204);
}

type Role = 'teachers' | 'members';
const ids = (g: GroupRecord, role: Role) => (role === 'teachers' ? g.education!.teachers : g.members);

const listRole = (role: Role) => (req: EmuRequest, ctx: Ctx, [id]: string[]) => {
  const g = readableClass(ctx, id);
  const items = ids(g, role).map((m) => educationUser(ctx, m)).filter((x): x is Record<string, unknown> => Boolean(x));
  return listResponse(req, ctx, items, { path: `education/classes/${id}/${role}`, defaults: EDU_USER_DEFAULTS, type: 'educationUser', resource: 'EducationUser' });
};

const addRole = (role: Role) => (req: EmuRequest, ctx: Ctx, [id]: string[]) => {
  const g = writableClass(ctx, id);
  if (!visible(ctx, g)) throw badRequest(MSG.refMissing);
  const body = requireObject(req.body);
  if (body['@odata.id'] === undefined) throw badRequest("Invalid request body: the '@odata.id' annotation is required.");
  const rec = resolveRef(ctx, refId(body['@odata.id']));
  if (!ctx.state.users.has(rec.id)) throw notFound(rec.id);
  if (role === 'teachers' ? g.education!.teachers.includes(rec.id) : ctx.state.isMember(g, rec.id, 'members')) throw badRequest(MSG.memberExists(role === 'teachers' ? 'owners' : 'members'));
  if (role === 'teachers') {
    g.education!.teachers.push(rec.id);
    if (!ctx.state.isMember(g, rec.id, 'owners')) ctx.state.addMember(g, rec.id, 'owners');
  } else ctx.state.addMember(g, rec.id, 'members');
  ctx.state.touch(g);
  return json(204);
};

const removeRole = (role: Role) => (_req: EmuRequest, ctx: Ctx, [id, userId]: string[]) => {
  const g = writableClass(ctx, id);
  if (!(role === 'teachers' ? g.education!.teachers.includes(userId) : ctx.state.isMember(g, userId, 'members'))) throw notFound(userId);
  if (role === 'teachers') {
    g.education!.teachers = g.education!.teachers.filter((t) => t !== userId);
    if (ctx.state.isMember(g, userId, 'owners')) ctx.state.removeMember(g, userId, 'owners');
  } else ctx.state.removeMember(g, userId, 'members');
  ctx.state.touch(g);
  return json(204);
};

export const educationRoutes: Route[] = [
  { method: 'POST', pattern: 'education/classes', handler: createClass, service: 'directory' },
  { method: 'GET', pattern: 'education/classes', handler: listClasses, service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'education/classes/{id}', handler: getClass, service: 'directory', ru: 2 },
  { method: 'PATCH', pattern: 'education/classes/{id}', handler: patchClass, service: 'directory' },
  { method: 'DELETE', pattern: 'education/classes/{id}', handler: deleteClass, service: 'directory' },
  { method: 'GET', pattern: 'education/classes/{id}/teachers', handler: listRole('teachers'), service: 'directory', ru: 3 },
  { method: 'GET', pattern: 'education/classes/{id}/members', handler: listRole('members'), service: 'directory', ru: 3 },
  { method: 'POST', pattern: 'education/classes/{id}/teachers/$ref', handler: addRole('teachers'), service: 'directory' },
  { method: 'POST', pattern: 'education/classes/{id}/members/$ref', handler: addRole('members'), service: 'directory' },
  { method: 'DELETE', pattern: 'education/classes/{id}/teachers/{id}/$ref', handler: removeRole('teachers'), service: 'directory' },
  { method: 'DELETE', pattern: 'education/classes/{id}/members/{id}/$ref', handler: removeRole('members'), service: 'directory' },
  { method: 'GET', pattern: 'education/users', handler: listEducationUsers, service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'education/users/{id}', handler: getEducationUser, service: 'directory', ru: 2 },
  { method: 'PATCH', pattern: 'education/users/{id}', handler: patchEducationUser, service: 'directory' },
];
