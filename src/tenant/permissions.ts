// Microsoft Graph's application permissions, per operation: the one table the local tenant enforces, the one
// rollcall's errors name a permission from, and the one `rollcall check` measures a token against.
//
// Source: the "Permissions" table ("Application" row: least privileged, then higher privileged) of each v1.0 API
// page on learn.microsoft.com/graph/api: user-list, user-get, user-post-users, user-update, user-delete,
// user-list-memberof, user-delta; group-list, group-get, group-post-groups, group-update, group-delete,
// group-list-members, group-list-owners, group-list-transitivemembers, group-post-members, group-post-owners,
// group-delete-members, group-delete-owners, group-delta; directory-deleteditems-list, -get, -restore, -delete;
// domain-list, domain-get; organization-list; educationroot-post-classes, educationroot-list-classes,
// educationclass-get, -update, -delete, -list-teachers, -list-members, -post-teachers, -post-members,
// -delete-teachers, -delete-members; educationuser-get, educationuser-update; team-post, teams-list, team-get,
// teamsasyncoperation-get, team-archive, team-unarchive; user-post-events, user-list-events, event-get,
// event-update, event-delete, user-list-calendarview, user-sendmail; subscribedsku-list, user-assignlicense. Property rules: the user resource's
// employeeLeaveDateTime ("Returned only on $select"; reading needs User-LifeCycleInfo.Read.All) and the how-to
// "Configure the employeeLeaveDateTime property for a user" (writing needs User.Read.All and
// User-LifeCycleInfo.ReadWrite.All; Directory.ReadWrite.All does not cover it).

/** An operation as the table names it: the method and the path below /v1.0 with `{id}` for each key. */
export interface Operation {
  method: string;
  pattern: string;
}

/** One condition: any of these permissions (least privileged first) meets it. */
export interface Requirement {
  anyOf: readonly string[];
  /** What the condition is for, in words: `PATCH users/{id}` or `employeeLeaveDateTime (write)`. */
  what: string;
}

const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const USER_WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const GROUP_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const MEMBER_READ = ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_WRITE = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const MEMBER_WRITE = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const EDU_READ = ['EduRoster.ReadBasic.All', 'EduRoster.Read.All', 'EduRoster.ReadWrite.All'];
const EDU_WRITE = ['EduRoster.ReadWrite.All'];
const TEAM_READ = ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const CAL_READ = ['Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
const CAL_WRITE = ['Calendars.ReadWrite'];

/** `METHOD pattern` → the permissions any one of which allows it. `$batch` needs none: each request in it is checked. */
export const OPERATION_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  'POST users': USER_WRITE,
  'GET users': USER_READ,
  'GET users/{id}': USER_READ,
  'PATCH users/{id}': USER_WRITE,
  'DELETE users/{id}': ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  'GET users/{id}/memberOf': USER_READ,
  'GET users/delta': USER_READ,
  'POST groups': ['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'GET groups': GROUP_READ,
  'GET groups/{id}': GROUP_READ,
  'PATCH groups/{id}': GROUP_WRITE,
  'DELETE groups/{id}': GROUP_WRITE,
  'GET groups/{id}/members': MEMBER_READ,
  'GET groups/{id}/owners': MEMBER_READ,
  'GET groups/{id}/transitiveMembers': MEMBER_READ,
  'POST groups/{id}/members/$ref': MEMBER_WRITE,
  'POST groups/{id}/owners/$ref': GROUP_WRITE,
  'DELETE groups/{id}/members/{id}/$ref': MEMBER_WRITE,
  'DELETE groups/{id}/owners/{id}/$ref': GROUP_WRITE,
  'GET groups/delta': GROUP_READ,
  'GET directory/deletedItems/microsoft.graph.user': USER_READ,
  'GET directory/deletedItems/microsoft.graph.group': ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // By id the docs name a permission per object type (users: User.*, groups: Group.*); either kind is accepted here.
  'GET directory/deletedItems/{id}': ['User.Read.All', 'Group.Read.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'POST directory/deletedItems/{id}/restore': ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'DELETE directory/deletedItems/{id}': ['User.DeleteRestore.All', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'GET domains': ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'GET domains/{id}': ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'GET organization': ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'POST education/classes': EDU_WRITE,
  'GET education/classes': EDU_READ,
  'GET education/classes/{id}': EDU_READ,
  'PATCH education/classes/{id}': EDU_WRITE,
  'DELETE education/classes/{id}': EDU_WRITE,
  'GET education/classes/{id}/teachers': EDU_READ,
  'GET education/classes/{id}/members': EDU_READ,
  'POST education/classes/{id}/teachers/$ref': EDU_WRITE,
  'POST education/classes/{id}/members/$ref': EDU_WRITE,
  'DELETE education/classes/{id}/teachers/{id}/$ref': EDU_WRITE,
  'DELETE education/classes/{id}/members/{id}/$ref': EDU_WRITE,
  'GET education/users': ['EduRoster.Read.All', 'EduRoster.ReadWrite.All'],
  'GET education/users/{id}': ['EduRoster.Read.All', 'EduRoster.ReadWrite.All'],
  'PATCH education/users/{id}': EDU_WRITE,
  'POST teams': ['Team.Create', 'Teamwork.Migrate.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'GET teams': ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All'],
  'GET teams/{id}': TEAM_READ,
  'GET teams/{id}/operations/{id}': TEAM_READ,
  'POST teams/{id}/archive': ['TeamSettings.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'POST teams/{id}/unarchive': ['TeamSettings.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  'POST users/{id}/events': CAL_WRITE,
  'POST users/{id}/calendar/events': CAL_WRITE,
  'GET users/{id}/events': CAL_READ,
  'GET users/{id}/calendar/events': CAL_READ,
  'GET users/{id}/events/{id}': CAL_READ,
  'PATCH users/{id}/events/{id}': CAL_WRITE,
  'DELETE users/{id}/events/{id}': CAL_WRITE,
  'GET users/{id}/calendarView': CAL_READ,
  'POST users/{id}/sendMail': ['Mail.Send'],
  'GET subscribedSkus': ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  'POST users/{id}/assignLicense': USER_WRITE,
  'POST $batch': [],
};

/** Properties of a user with permissions of their own, on top of the operation's. */
const LIFECYCLE = {
  property: 'employeeLeaveDateTime',
  read: ['User-LifeCycleInfo.Read.All', 'User-LifeCycleInfo.ReadWrite.All'],
  write: ['User-LifeCycleInfo.ReadWrite.All'],
} as const;

const USER_READS = new Set(['GET users', 'GET users/{id}', 'GET users/delta']);
const USER_WRITES = new Set(['POST users', 'PATCH users/{id}']);

/**
 * Everything rollcall may ask of Graph, as the README's write app has it: the local tenant's default grant, and
 * the permission an error names when the docs allow several (the one here, else the least privileged).
 */
export const ROLLCALL_PERMISSIONS: readonly string[] = [
  'User.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All', 'Group.ReadWrite.All', 'Team.ReadBasic.All',
  'EduRoster.ReadWrite.All', 'Calendars.ReadWrite', 'Mail.Send', 'LicenseAssignment.Read.All',
];

/** Every permission the table names (for validating a list of granted permissions). */
export const KNOWN_PERMISSIONS: ReadonlySet<string> = new Set([
  ...Object.values(OPERATION_PERMISSIONS).flat(), ...LIFECYCLE.read, ...LIFECYCLE.write,
]);

/** The table's operation for a request path (below /v1.0, without the query): a literal segment beats `{id}`. */
export function operationOf(method: string, path: string): Operation | undefined {
  const segs = path.split('?')[0].split('/').filter(Boolean);
  let best: { op: Operation; holes: number } | undefined;
  for (const key of Object.keys(OPERATION_PERMISSIONS)) {
    const space = key.indexOf(' ');
    if (key.slice(0, space) !== method.toUpperCase()) continue;
    const parts = key.slice(space + 1).split('/');
    if (parts.length !== segs.length) continue;
    let holes = 0;
    const fits = parts.every((p, i) => (p === '{id}' ? ++holes > 0 : p.toLowerCase() === segs[i].toLowerCase()));
    if (fits && (!best || holes < best.holes)) best = { op: { method: method.toUpperCase(), pattern: key.slice(space + 1) }, holes };
  }
  return best?.op;
}

/**
 * What one request needs: the operation's permissions and any property's own. `select` is the $select list;
 * `body` the JSON body of a write. An operation the table does not know needs nothing it can name.
 */
export function requirementsOf(op: Operation, req: { select?: readonly string[]; body?: unknown } = {}): Requirement[] {
  const key = `${op.method} ${op.pattern}`;
  const anyOf = OPERATION_PERMISSIONS[key];
  if (!anyOf || !anyOf.length) return [];
  const lc = (s: string) => s.toLowerCase();
  if (USER_WRITES.has(key) && typeof req.body === 'object' && req.body !== null) {
    const props = Object.keys(req.body).map(lc);
    if (props.includes(lc(LIFECYCLE.property))) {
      const out: Requirement[] = [{ anyOf: LIFECYCLE.write, what: `${LIFECYCLE.property} (write)` }];
      // With only the leave date in the body, reading users is enough alongside the lifecycle permission.
      out.push(props.some((p) => p !== lc(LIFECYCLE.property)) ? { anyOf, what: key } : { anyOf: USER_READ, what: key });
      return out;
    }
  }
  const out: Requirement[] = [{ anyOf, what: key }];
  if (USER_READS.has(key) && req.select?.some((p) => lc(p.trim()) === lc(LIFECYCLE.property))) {
    out.push({ anyOf: LIFECYCLE.read, what: `${LIFECYCLE.property} (read)` });
  }
  return out;
}

/** The requirements none of whose permissions the roles include. */
export function unmet(requirements: readonly Requirement[], roles: readonly string[]): Requirement[] {
  const granted = new Set(roles.map((r) => r.toLowerCase()));
  return requirements.filter((r) => !r.anyOf.some((p) => granted.has(p.toLowerCase())));
}

/**
 * The one permission to ask an administrator for: among `prefer` (rollcall's write set, for writes) if one fits,
 * else the least privileged.
 */
export function permissionToGrant(r: Requirement, prefer: readonly string[] = ROLLCALL_PERMISSIONS): string {
  return r.anyOf.find((p) => prefer.includes(p)) ?? r.anyOf[0];
}

/** A request as rollcall sends it: `url` relative to /v1.0 (`/users/x?$select=…`) or absolute (a nextLink). */
export interface GraphRequest {
  method: string;
  url: string;
  body?: unknown;
}

/** What a request needs, from the table: the operation its URL names, its $select and its body. */
export function requirementsOfRequest(req: GraphRequest): Requirement[] {
  let path = req.url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/?(v1\.0|beta)(?=\/|$)/i, '');
  const q = path.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
  path = q < 0 ? path : path.slice(0, q);
  let segs: string[];
  try {
    segs = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return [];
  }
  const op = operationOf(req.method, segs.join('/'));
  return op ? requirementsOf(op, { select: query.get('$select')?.split(','), body: req.body }) : [];
}

/** The `roles` claim of a JWT access token (application permissions), without verifying it; [] if absent. */
export function rolesOfToken(token: string): string[] {
  const parts = token.split('.');
  if (parts.length !== 3) return [];
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
