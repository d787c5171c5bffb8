// Executes TenantOps through the batch queue. Every op is a small async routine awaiting its Graph calls;
// calls issued together share $batch requests. Ops refer to ids produced by earlier ops of the same call.
import type { Logger } from '../../log.js';
import type { IdRef, OpResult, TenantOp, TenantWriter } from '../types.js';
import { AnchorAnswer, checkAnswer, IdAnswer, IdPage } from './answers.js';
import type { GraphCall } from './batch.js';
import { TEAM_POLL_DELAYS_MS, BATCH_LIMIT } from './constants.js';
import { type GraphErrorInfo, describePermissions, errorInfo, isAlreadyReferenced, isConflict, isNotYetReplicated, missingPermissions } from './errors.js';
import type { BatchQueue, GraphAnswer } from './queue.js';
import { versionRelative } from './links.js';
import { TeamWatch, teamOperation } from './team-watch.js';

export interface WriterOptions {
  queue: BatchQueue;
  /** Origin + '/v1.0', used in @odata.bind / @odata.id links (Graph wants absolute URLs there). */
  graphBase: string;
  log: Logger;
  /** Team template for team.create: educationClass in education tenants, standard elsewhere. */
  education: boolean;
  /** Pauses before retrying a call that hit the replication delay (404 / "do not exist" on a new object). */
  replicationDelaysMs?: number[];
  /** Pauses between looks at a Teams async operation (create, archive); when they run out the op is reported accepted. */
  pollDelaysMs?: number[];
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_REPLICATION_DELAYS = [1000, 2000, 4000, 8000];
// Team provisioning usually finishes within a minute or two; after that, report it accepted rather than block the run.
const OUTLOOK = { Prefer: 'IdType="ImmutableId"' };

type Resolved = { ok: true; id: string } | { ok: false; result: OpResult };

const ok = (status: number) => status >= 200 && status < 300;
const enc = encodeURIComponent;
const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class GraphWriter implements TenantWriter {
  private readonly delays: number[];
  private readonly polls: number[];
  private readonly sleep: (ms: number) => Promise<void>;
  /** New teams, confirmed together from the list of teams rather than one operation each. */
  private readonly teams: TeamWatch;

  constructor(private readonly opts: WriterOptions) {
    this.delays = opts.replicationDelaysMs ?? DEFAULT_REPLICATION_DELAYS;
    this.polls = opts.pollDelaysMs ?? TEAM_POLL_DELAYS_MS;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.teams = new TeamWatch({ queue: opts.queue, polls: this.polls, sleep: this.sleep, graphBase: opts.graphBase });
  }

  async execute(ops: TenantOp[], onProgress?: (done: number, total: number) => void, onResult?: (r: OpResult) => void): Promise<OpResult[]> {
    const earlier = new Map<string, Promise<OpResult>>();
    let finished = 0;
    const all = ops.map((op) => {
      const refs = refsOf(op);
      // Only ops before this one are visible to its refs (looked up now, while `earlier` holds just those),
      // so a ref can never wait on itself or on a later op.
      const deps = new Map<string, Promise<OpResult> | undefined>();
      for (const [, ref] of refs) if (typeof ref !== 'string') deps.set(ref.ref, earlier.get(ref.ref));
      const p = this.run(op, refs, (ref) => this.resolve(op, ref, deps))
        .catch((err: unknown): OpResult => ({ key: op.key, status: 'failed', detail: `internal error: ${err instanceof Error ? err.message : String(err)}` }))
        .then((r) => { finished++; onResult?.(r); onProgress?.(finished, ops.length); return r; });
      earlier.set(op.key, p);
      return p;
    });
    const results = await Promise.all(all);
    const failed = results.filter((r) => r.status === 'failed').length;
    this.opts.log.debug(`graph: executed ${ops.length} changes, ${failed} failed`);
    return results;
  }

  private async resolve(op: TenantOp, ref: IdRef, deps: Map<string, Promise<OpResult> | undefined>): Promise<Resolved> {
    if (typeof ref === 'string') return { ok: true, id: ref };
    const dep = deps.get(ref.ref);
    if (!dep) return { ok: false, result: { key: op.key, status: 'failed', detail: `depends on ${ref.ref}, which is not an earlier change in this run` } };
    const r = await dep;
    if (r.status !== 'failed' && r.id) return { ok: true, id: r.id };
    return { ok: false, result: { key: op.key, status: 'failed', detail: `depends on ${ref.ref} which failed` } };
  }

  private async run(op: TenantOp, refs: [string, IdRef][], resolve: (ref: IdRef) => Promise<Resolved>): Promise<OpResult> {
    const ids: Record<string, string> = {};
    // Known ids are taken without an await, so ops reach the queue in op order (chains rely on that order).
    for (const [name, ref] of refs) {
      if (typeof ref === 'string') { ids[name] = ref; continue; }
      const r = await resolve(ref);
      if (!r.ok) return r.result;
      ids[name] = r.id;
    }
    const key = op.key;
    switch (op.op) {
      case 'user.create': return this.userCreate(key, op.body);
      case 'group.create': return this.createFindable(key, { method: 'POST', url: '/groups', body: op.body }, '/groups', 'mailNickname', op.body);
      case 'class.create': {
        const by = typeof op.body.externalId === 'string' && op.body.externalId ? 'externalId' : 'mailNickname';
        return this.createFindable(key, { method: 'POST', url: '/education/classes', body: op.body }, '/education/classes', by, op.body);
      }
      case 'user.update': return this.simple(key, { method: 'PATCH', url: `/users/${enc(ids.id)}`, body: op.patch, chain: `user:${ids.id}` }, ids.id);
      case 'group.update': return this.simple(key, { method: 'PATCH', url: `/groups/${enc(ids.id)}`, body: op.patch, chain: `group:${ids.id}` }, ids.id);
      // The education profile of an account: the same id as the user, so a new account's may not be replicated yet.
      case 'educationUser.update': return this.simple(key, { method: 'PATCH', url: `/education/users/${enc(ids.id)}`, body: op.patch, chain: `user:${ids.id}` }, ids.id);
      // Licences: the account may be new, so not replicated yet; Graph answers 200 with the user. Resending adds or
      // removes the same licences again, which changes nothing more.
      case 'licence.assign': return this.simple(key, { method: 'POST', url: `/users/${enc(ids.id)}/assignLicense`, body: { addLicenses: op.add, removeLicenses: op.remove }, chain: `user:${ids.id}`, resend: true }, ids.id);
      case 'class.update': return this.simple(key, { method: 'PATCH', url: `/education/classes/${enc(ids.id)}`, body: op.patch, chain: `group:${ids.id}` }, ids.id);
      case 'user.delete': return this.deleteOrRestore(key, { method: 'DELETE', url: `/users/${enc(ids.id)}`, chain: `user:${ids.id}` }, ids.id);
      case 'group.delete': return this.deleteOrRestore(key, { method: 'DELETE', url: `/groups/${enc(ids.id)}`, chain: `group:${ids.id}` }, ids.id);
      case 'class.delete': return this.deleteOrRestore(key, { method: 'DELETE', url: `/education/classes/${enc(ids.id)}`, chain: `group:${ids.id}` }, ids.id);
      case 'user.restore': return this.deleteOrRestore(key, { method: 'POST', url: `/directory/deletedItems/${enc(ids.id)}/restore`, resend: true, chain: `user:${ids.id}` }, ids.id);
      case 'member.add': return this.memberAdd(key, ids.groupId, op.memberIds.map((_, i) => ids[`member${i}`]), op.role);
      case 'member.remove': {
        const role = op.role === 'owner' ? 'owners' : 'members';
        return this.unlink(key, { method: 'DELETE', url: `/groups/${enc(ids.groupId)}/${role}/${enc(ids.memberId)}/$ref`, chain: `group:${ids.groupId}` }, 'not a member');
      }
      case 'class.add': {
        const role = op.role === 'teacher' ? 'teachers' : 'members';
        return this.link(key, { method: 'POST', url: `/education/classes/${enc(ids.classId)}/${role}/$ref`, body: { '@odata.id': `${this.opts.graphBase}/education/users/${ids.userId}` }, chain: `group:${ids.classId}`, resend: true });
      }
      case 'class.remove': {
        const role = op.role === 'teacher' ? 'teachers' : 'members';
        return this.unlink(key, { method: 'DELETE', url: `/education/classes/${enc(ids.classId)}/${role}/${enc(ids.userId)}/$ref`, chain: `group:${ids.classId}` }, 'not in the class');
      }
      case 'team.create': return this.teamCreate(key, ids.groupId);
      case 'team.archive': return this.teamAsync(key, { method: 'POST', url: `/teams/${enc(ids.teamId)}/archive`, resend: true, chain: `group:${ids.teamId}` }, ids.teamId);
      case 'team.unarchive': return this.teamAsync(key, { method: 'POST', url: `/teams/${enc(ids.teamId)}/unarchive`, resend: true, chain: `group:${ids.teamId}` }, ids.teamId);
      case 'event.create': return this.eventCreate(key, ids.userId, op.body);
      case 'event.update': return this.simple(key, { method: 'PATCH', url: `/users/${enc(ids.userId)}/events/${enc(op.id)}`, body: op.patch, headers: OUTLOOK, chain: `mailbox:${ids.userId}` }, op.id);
      case 'event.delete': return this.deleteOrRestore(key, { method: 'DELETE', url: `/users/${enc(ids.userId)}/events/${enc(op.id)}`, headers: OUTLOOK, chain: `mailbox:${ids.userId}` }, op.id);
      case 'mail.send': return this.mailSend(key, op.from, op.message);
    }
  }

  /** Sends, and resends after a pause while Graph has not yet replicated an object the call refers to. */
  private async sendReplicated(call: GraphCall): Promise<GraphAnswer> {
    for (let i = 0; ; i++) {
      const a = await this.opts.queue.send(call);
      if (i >= this.delays.length || !isNotYetReplicated(info(a))) return a;
      await this.sleep(this.delays[i]);
    }
  }

  private async simple(key: string, call: GraphCall, id: string): Promise<OpResult> {
    const a = await this.sendReplicated(call);
    return ok(a.status) ? { key, status: 'done', id } : failed(key, a);
  }

  /**
   * A delete, or a restore from deleted items: both make the object leave the place they name, so a 404 after an
   * attempt that may have gone through means that attempt did it.
   */
  private async deleteOrRestore(key: string, call: GraphCall, id: string): Promise<OpResult> {
    const a = await this.opts.queue.send(call);
    if (ok(a.status)) return { key, status: 'done', id };
    if (a.status === 404 && a.maybeDoneBefore) return { key, status: 'done', id, detail: 'already done by an earlier attempt' };
    return failed(key, a);
  }

  private async link(key: string, call: GraphCall): Promise<OpResult> {
    const a = await this.sendReplicated(call);
    if (ok(a.status)) return { key, status: 'done' };
    if (isAlreadyReferenced(info(a))) return { key, status: 'done', detail: 'already a member' };
    return failed(key, a);
  }

  private async unlink(key: string, call: GraphCall, absent: string): Promise<OpResult> {
    const a = await this.opts.queue.send(call);
    if (ok(a.status)) return { key, status: 'done' };
    if (a.status === 404) {
      return a.maybeDoneBefore ? { key, status: 'done', detail: 'already removed by an earlier attempt' }
        : { key, status: 'skipped', detail: absent, error: errorOf(a) };
    }
    return failed(key, a);
  }

  private async userCreate(key: string, body: Record<string, unknown>): Promise<OpResult> {
    // Resending is safe: a user whose first POST went through makes the second one a UPN conflict, adopted below.
    const a = await this.opts.queue.send({ method: 'POST', url: '/users', body, resend: true });
    if (ok(a.status)) return created(key, a);
    const upn = typeof body.userPrincipalName === 'string' ? body.userPrincipalName : undefined;
    if (!upn || !isConflict(info(a), 'userPrincipalName')) return failed(key, a);
    const anchor = anchorOf(body);
    if (!anchor.length) return failed(key, a, 'userPrincipalName already taken and the body has no anchor to prove it is ours');
    const found = await this.sendReplicated({ method: 'GET', url: `/users/${enc(upn)}?$select=id,employeeId,onPremisesExtensionAttributes` });
    if (!ok(found.status)) return failed(key, a, `userPrincipalName already taken; reading that account failed (${found.status})`);
    const { value: existing, problem } = checkAnswer(AnchorAnswer, found.body);
    if (problem !== undefined) return failed(key, a, `userPrincipalName already taken; reading that account gave a malformed answer (${problem})`);
    const mismatch = anchor.find(([name, want]) => anchorValue(existing, name) !== want);
    if (mismatch) return failed(key, a, `userPrincipalName already used by another account (its ${mismatch[0]} differs)`);
    return { key, status: 'done', id: existing.id, adopted: true, detail: 'already existed with the same anchor' };
  }

  /**
   * Groups and classes have no idempotency key: before resending a POST whose outcome is unknown, look the object
   * up by its unique property; on a conflict, adopt the object that holds it.
   */
  private async createFindable(key: string, call: GraphCall, list: string, by: string, body: Record<string, unknown>): Promise<OpResult> {
    const value = typeof body[by] === 'string' ? (body[by] as string) : undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const a = await this.opts.queue.send({ ...call, resend: false });
      if (ok(a.status)) return created(key, a, attempt ? 'created after an unanswered attempt' : undefined);
      const unknownOutcome = a.status === 0 || a.status >= 500;
      if (!unknownOutcome && !isConflict(info(a))) return failed(key, a);
      if (value === undefined) return failed(key, a, `cannot tell whether it was created: no ${by} to look it up by`);
      // After an unanswered POST the new object may not be listed yet: look again over the replication delays.
      const found = await this.findBy(list, by, value, unknownOutcome ? this.delays : []);
      if (found.error) return failed(key, a, `looking it up by ${by} failed (${found.error.status}${found.error.code === 'MalformedAnswer' ? `: ${found.error.message}` : ''})`);
      if (found.id) return { key, status: 'done', id: found.id, adopted: true, detail: `already existed (same ${by})` };
      if (!unknownOutcome) return failed(key, a);
    }
    return { key, status: 'failed', detail: 'no answer from Graph after several attempts' };
  }

  private async findBy(list: string, by: string, value: string, delays: number[]): Promise<{ id?: string; error?: GraphErrorInfo }> {
    const url = `${list}?$filter=${enc(`${by} eq ${odataString(value)}`)}&$select=id,${by}`;
    for (let i = 0; ; i++) {
      const a = await this.opts.queue.send({ method: 'GET', url });
      if (!ok(a.status)) return { error: info(a) };
      const { value: page, problem } = checkAnswer(IdPage, a.body);
      if (problem !== undefined) return { error: { status: a.status, code: 'MalformedAnswer', message: problem } };
      if (page.value.length) return { id: page.value[0].id };
      if (i >= delays.length) return {};
      await this.sleep(delays[i]);
    }
  }

  private async memberAdd(key: string, groupId: string, memberIds: string[], role: 'member' | 'owner'): Promise<OpResult> {
    const prop = role === 'owner' ? 'owners' : 'members';
    let already = 0;
    for (let i = 0; i < memberIds.length; i += BATCH_LIMIT) {
      const chunk = memberIds.slice(i, i + BATCH_LIMIT);
      const bind = chunk.map((id) => `${this.opts.graphBase}/directoryObjects/${id}`);
      const a = await this.sendReplicated({ method: 'PATCH', url: `/groups/${enc(groupId)}`, body: { [`${prop}@odata.bind`]: bind }, chain: `group:${groupId}` });
      if (ok(a.status)) continue;
      if (!isAlreadyReferenced(info(a))) return failed(key, a, i ? `${i} of ${memberIds.length} added before this failure` : undefined);
      // The bulk bind is all or nothing: add one by one, counting "already a member" as done.
      const each = await Promise.all(chunk.map((id) => this.sendReplicated({
        method: 'POST', url: `/groups/${enc(groupId)}/${prop}/$ref`, body: { '@odata.id': `${this.opts.graphBase}/directoryObjects/${id}` }, resend: true, chain: `group:${groupId}`,
      })));
      for (const r of each) {
        if (isAlreadyReferenced(info(r))) already++;
        else if (!ok(r.status)) return failed(key, r, 'adding one by one after the bulk add reported existing members');
      }
    }
    return { key, status: 'done', id: groupId, ...(already ? { detail: `${already} already ${role === 'owner' ? 'owners' : 'members'}` } : {}) };
  }

  private async teamCreate(key: string, groupId: string): Promise<OpResult> {
    const template = this.opts.education ? 'educationClass' : 'standard';
    const a = await this.sendReplicated({
      method: 'POST', url: '/teams', resend: true, chain: `group:${groupId}`,
      body: { 'template@odata.bind': `${this.opts.graphBase}/teamsTemplates('${template}')`, 'group@odata.bind': `${this.opts.graphBase}/groups('${groupId}')` },
    });
    if (ok(a.status)) return this.teams.created(key, a, groupId);
    if (a.status === 409 || isConflict(info(a))) return { key, status: 'done', id: groupId, adopted: true, detail: 'the group already has a team' };
    return failed(key, a);
  }

  private async teamAsync(key: string, call: GraphCall, teamId: string): Promise<OpResult> {
    const a = await this.sendReplicated(call);
    return ok(a.status) ? this.awaitOperation(key, a, teamId) : failed(key, a);
  }

  /**
   * 202 + Location of an archive's or unarchive's teamsAsyncOperation (the list of teams does not show the archived
   * state reliably, so each is asked on its own): done when it succeeds, failed with its error when it fails.
   */
  private async awaitOperation(key: string, accepted: GraphAnswer, id: string): Promise<OpResult> {
    const location = accepted.headers.location;
    if (accepted.status !== 202 || !location) return { key, status: 'done', id };
    for (const pause of this.polls) {
      await this.sleep(pause);
      const verdict = await teamOperation(this.opts.queue, key, versionRelative(location, this.opts.graphBase), id);
      if (verdict) return verdict;
    }
    return { key, status: 'done', id, detail: 'accepted; Teams is still provisioning it' };
  }

  private async eventCreate(key: string, userId: string, body: Record<string, unknown>): Promise<OpResult> {
    // transactionId makes a resent POST return the event already created instead of a second one.
    const resend = typeof body.transactionId === 'string' && body.transactionId !== '';
    const a = await this.opts.queue.send({ method: 'POST', url: `/users/${enc(userId)}/events`, body, headers: OUTLOOK, chain: `mailbox:${userId}`, resend });
    if (ok(a.status)) return created(key, a);
    if (!resend && (a.status === 0 || a.status >= 500)) return failed(key, a, 'outcome unknown and no transactionId: not resent');
    return failed(key, a);
  }

  private async mailSend(key: string, from: string, message: Record<string, unknown>): Promise<OpResult> {
    const a = await this.opts.queue.send({ method: 'POST', url: `/users/${enc(from)}/sendMail`, body: { message, saveToSentItems: true }, resend: false });
    if (ok(a.status)) return { key, status: 'done' };
    if (a.status === 0 || a.status >= 500) return failed(key, a, 'outcome unknown: not resent, to avoid a second mail');
    return failed(key, a);
  }
}

/** The ids an op refers to, by field name (member.add's memberIds as member0, member1, …). */
function refsOf(op: TenantOp): [string, IdRef][] {
  const refs: [string, IdRef][] = [];
  for (const name of ['id', 'groupId', 'classId', 'userId', 'teamId', 'memberId'] as const) {
    const v = (op as unknown as Record<string, IdRef | undefined>)[name];
    // An event's own id is always a plain Graph id, never a ref.
    if (v !== undefined && !(op.op.startsWith('event.') && name === 'id')) refs.push([name, v]);
  }
  if (op.op === 'member.add') op.memberIds.forEach((m, i) => refs.push([`member${i}`, m]));
  return refs;
}

function info(a: GraphAnswer): GraphErrorInfo {
  return errorInfo(a.status, a.body, a.headers);
}

function errorOf(a: GraphAnswer): OpResult['error'] {
  const i = info(a);
  // A refusal for lack of permission says which permission, for which operation (the table in tenant/permissions.ts).
  const missing = a.status === 403 && a.call ? missingPermissions(a.call) : [];
  const requestId = i.requestId ? { requestId: i.requestId } : {};
  if (missing.length) return { status: i.status, code: i.code, message: `${i.message} Needs the application permission ${describePermissions(missing)}.`, ...requestId, missingPermissions: missing };
  return { status: i.status, code: i.code, message: i.message, ...requestId };
}

function failed(key: string, a: GraphAnswer, detail?: string): OpResult {
  return { key, status: 'failed', error: errorOf(a), ...(detail ? { detail } : {}) };
}

/**
 * A create Graph answered 2xx: done with the new object's id, which later changes refer to. An answer without a
 * string id cannot be built on: failed, naming the field (the object may exist; the next run adopts it).
 */
function created(key: string, a: GraphAnswer, detail?: string): OpResult {
  const { value, problem } = checkAnswer(IdAnswer, a.body);
  if (problem !== undefined) return { key, status: 'failed', detail: "Graph answered the create without the new object's id", error: { status: a.status, code: 'MalformedAnswer', message: problem } };
  const requestId = a.headers['request-id'];
  return { key, status: 'done', id: value.id, ...(detail ? { detail } : {}), ...(requestId ? { requestId } : {}) };
}

/** The MIS anchor fields a create body carries: employeeId and/or extension attributes. */
export function anchorOf(body: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  if (typeof body.employeeId === 'string' && body.employeeId) out.push(['employeeId', body.employeeId]);
  const ext = body.onPremisesExtensionAttributes as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(ext ?? {})) if (typeof v === 'string' && v) out.push([k, v]);
  return out;
}

function anchorValue(user: Record<string, unknown>, name: string): unknown {
  if (name === 'employeeId') return user.employeeId;
  return (user.onPremisesExtensionAttributes as Record<string, unknown> | undefined)?.[name];
}
