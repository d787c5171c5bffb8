// /teams: a team made from a group (template educationClass or standard) is provisioned asynchronously:
// 202 + Location of a teamsAsyncOperation that succeeds after `teamProvisioningMs`. Archive/unarchive are 202 too.
import { randomUUID } from 'node:crypto';
import type { Ctx, EmuRequest, EmuResponse, Route } from './context.js';
import { json, visible } from './context.js';
import { GraphError, badRequest } from './errors.js';
import { paginate, parseQuery, project } from './odata.js';
import type { OperationRecord, TeamRecord } from './state.js';
import { validateBody } from './validate.js';
import { checkSelect, refId, requireObject } from './views.js';

const TEAM_DEFAULTS = ['id', 'createdDateTime', 'displayName', 'description', 'internalId', 'classification', 'specialization', 'visibility', 'webUrl', 'isArchived', 'tenantId', 'isMembershipLimitedToOwners', 'memberSettings', 'guestSettings', 'messagingSettings', 'funSettings'] as const;

/** A new team's settings as Teams makes them (members may manage channels and apps, guests may not). */
const TEAM_SETTINGS = {
  memberSettings: { allowCreateUpdateChannels: true, allowDeleteChannels: true, allowAddRemoveApps: true, allowCreateUpdateRemoveTabs: true, allowCreateUpdateRemoveConnectors: true },
  guestSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
  messagingSettings: { allowUserEditMessages: true, allowUserDeleteMessages: true, allowOwnerDeleteMessages: true, allowTeamMentions: true, allowChannelMentions: true },
  funSettings: { allowGiphy: true, giphyContentRating: 'moderate', allowStickersAndMemes: true, allowCustomMemes: true },
};
const SETTINGS = Object.keys(TEAM_SETTINGS) as (keyof typeof TEAM_SETTINGS)[];

const teamsNotFound = (what: string) => new GraphError(404, 'NotFound', `No team found with Group Id ${what}`);

function accepted(op: OperationRecord): EmuResponse {
  return {
    status: 202,
    headers: { Location: `/teams('${op.teamId}')/operations('${op.id}')`, 'Content-Location': `/teams('${op.teamId}')` },
  };
}

function startOperation(ctx: Ctx, teamId: string, operationType: OperationRecord['operationType']): OperationRecord {
  const now = ctx.now();
  const op: OperationRecord = { id: randomUUID(), teamId, operationType, createdAt: now, completeAt: now + ctx.teamProvisioningMs };
  ctx.state.operations.set(op.id, op);
  ctx.state.onChange();
  return op;
}

function createTeam(req: EmuRequest, ctx: Ctx) {
  const body = requireObject(req.body);
  // A team made from a group may bring its first channels and apps inline; they are checked, not kept (no channels here).
  validateBody('team', body, ['channels', 'installedApps']);
  const template = body['template@odata.bind'];
  const groupBind = body['group@odata.bind'];
  const templateId = typeof template === 'string' ? refId(template) : '';
  if (!['educationClass', 'standard', 'educationStaff', 'educationProfessionalLearningCommunity'].includes(templateId)) {
    throw new GraphError(400, 'BadRequest', `Template '${templateId}' is not found.`);
  }
  if (typeof groupBind !== 'string') {
    throw new GraphError(400, 'BadRequest', 'Creating a team without a group is not supported by this emulator; bind an existing group with group@odata.bind.');
  }
  const groupId = refId(groupBind);
  const g = ctx.state.liveGroup(groupId);
  // Graph answers 404 for a group it cannot see yet (replication); rollcall retries, as Microsoft advises.
  if (!g || !visible(ctx, g)) throw new GraphError(404, 'NotFound', `Failed to execute Templates backend request CreateTeamFromGroupWithTemplateRequest. Group ${groupId} was not found.`);
  if (templateId === 'educationClass' && !g.education) throw new GraphError(400, 'BadRequest', `Group ${groupId} is not an education class; the educationClass template needs one.`);
  if (!(g.props.groupTypes as string[] | undefined)?.includes('Unified')) throw new GraphError(400, 'BadRequest', `Group ${groupId} is not a Microsoft 365 group.`);
  if (g.owners.length === 0) throw new GraphError(400, 'BadRequest', `Group ${groupId} has no owners; a team needs at least one owner.`);
  if (ctx.state.teams.has(groupId)) throw new GraphError(409, 'Conflict', `A team already exists for group ${groupId}.`);
  const now = ctx.now();
  const op = startOperation(ctx, groupId, 'createTeam');
  const failure = ctx.state.teamFailures.get(groupId);
  if (failure) {
    op.error = failure;
    return accepted(op);
  }
  const team: TeamRecord = {
    id: groupId,
    createdAt: now,
    readyAt: op.completeAt,
    isArchived: false,
    props: {
      specialization: templateId === 'educationClass' ? 'educationClass' : 'none',
      visibility: templateId === 'educationClass' ? 'hiddenMembership' : 'private',
      ...Object.fromEntries(SETTINGS.filter((k) => body[k] && typeof body[k] === 'object').map((k) => [k, { ...TEAM_SETTINGS[k], ...(body[k] as object) }])),
    },
  };
  ctx.state.teams.set(groupId, team);
  ctx.state.touch(g);
  return accepted(op);
}

function teamObject(ctx: Ctx, t: TeamRecord): Record<string, unknown> {
  const g = ctx.state.groups.get(t.id);
  return {
    id: t.id,
    createdDateTime: new Date(t.createdAt || Date.UTC(2024, 0, 1)).toISOString(),
    displayName: g?.props.displayName ?? null,
    description: g?.props.description ?? null,
    internalId: `19:${t.id.replace(/-/g, '')}@thread.tacv2`,
    classification: null,
    webUrl: `https://teams.microsoft.com/l/team/19%3a${t.id.replace(/-/g, '')}%40thread.tacv2/conversations?groupId=${t.id}&tenantId=${ctx.state.tenantId}`,
    isArchived: t.isArchived,
    tenantId: ctx.state.tenantId,
    isMembershipLimitedToOwners: false,
    ...TEAM_SETTINGS,
    ...t.props,
  };
}

function readyTeam(ctx: Ctx, id: string): TeamRecord {
  const t = ctx.state.teams.get(id);
  const g = ctx.state.liveGroup(id);
  if (!t || !g || ctx.now() < t.readyAt) throw teamsNotFound(id);
  return t;
}

function getTeam(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const q = parseQuery(req.params);
  checkSelect('team', q.select);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#teams/$entity`, ...project(teamObject(ctx, readyTeam(ctx, id)), q.select, TEAM_DEFAULTS) });
}

function listTeams(req: EmuRequest, ctx: Ctx) {
  const q = parseQuery(req.params);
  checkSelect('team', q.select);
  const items = [...ctx.state.teams.values()].filter((t) => ctx.now() >= t.readyAt && ctx.state.liveGroup(t.id)).map((t) => teamObject(ctx, t));
  const { page, nextLink } = paginate(items, q, `${ctx.graphBase}/teams`, 100, 999);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#teams`, ...(nextLink ? { '@odata.nextLink': nextLink } : {}), value: page.map((o) => project(o, q.select, ['id', 'displayName', 'description', 'isArchived'])) });
}

function getOperation(_req: EmuRequest, ctx: Ctx, [teamId, opId]: string[]) {
  const op = ctx.state.operations.get(opId);
  if (!op || op.teamId !== teamId) throw new GraphError(404, 'NotFound', `Operation ${opId} not found.`);
  const done = ctx.now() >= op.completeAt;
  const failed = done && op.error !== undefined;
  return json(200, {
    '@odata.context': `${ctx.graphBase}/$metadata#teams('${teamId}')/operations/$entity`,
    id: op.id,
    operationType: op.operationType,
    createdDateTime: new Date(op.createdAt).toISOString(),
    status: failed ? 'failed' : done ? 'succeeded' : 'inProgress',
    lastActionDateTime: new Date(done ? op.completeAt : op.createdAt).toISOString(),
    attemptsCount: 1,
    targetResourceId: op.teamId,
    targetResourceLocation: `/teams('${op.teamId}')`,
    error: failed ? { code: op.error!.code, message: op.error!.message } : null,
  });
}

const setArchived = (archived: boolean) => (req: EmuRequest, ctx: Ctx, [id]: string[]) => {
  if (req.body !== undefined) {
    const body = requireObject(req.body);
    for (const k of Object.keys(body)) if (!(archived && k === 'shouldSetSpoSiteReadOnlyForMembers')) throw badRequest(`The parameter '${k}' is not valid for this action.`);
  }
  const t = readyTeam(ctx, id);
  t.isArchived = archived;
  const g = ctx.state.groups.get(id);
  if (g) ctx.state.touch(g);
  return accepted(startOperation(ctx, id, archived ? 'archiveTeam' : 'unarchiveTeam'));
};

export const teamRoutes: Route[] = [
  { method: 'POST', pattern: 'teams', handler: createTeam, service: 'teams' },
  { method: 'GET', pattern: 'teams', handler: listTeams, service: 'teams' },
  { method: 'GET', pattern: 'teams/{id}', handler: getTeam, service: 'teams' },
  { method: 'GET', pattern: 'teams/{id}/operations/{id}', handler: getOperation, service: 'teams' },
  { method: 'POST', pattern: 'teams/{id}/archive', handler: setArchived(true), service: 'teams' },
  { method: 'POST', pattern: 'teams/{id}/unarchive', handler: setArchived(false), service: 'teams' },
];
