// /users/delta and /groups/delta. A round (initial sync or changes since a token) is materialised when it starts
// and paged with @odata.nextLink; its last page carries @odata.deltaLink. Deletions come as @removed
// (reason "changed" for soft delete, "deleted" when gone). Groups carry members@delta when members are selected and
// there are any (none: no members@delta); a group with many members is split over several entries with the same id,
// as Graph does, so clients must merge.
// Replication delay does not apply here: delta reports every committed change exactly once. A restore from
// deletedItems is not a change of a selectable property: a round with $select does not report it (as Graph does,
// microsoft-graph-docs-contrib#6555), until the object changes again.
import { randomUUID } from 'node:crypto';
import type { Ctx, EmuRequest, Route } from './context.js';
import { json } from './context.js';
import { GraphError, odataError, unsupportedQuery } from './errors.js';
import { decodeSkip, encodeSkip, parseFilter, project, type Expr } from './odata.js';
import type { GroupRecord } from './state.js';
import { GROUP_DEFAULTS, USER_DEFAULTS, checkSelect, groupObject, userObject } from './views.js';

export const MEMBERS_PER_ENTRY = 50;
const TOKEN_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const KEEP_ROUNDS = 64;

interface Token {
  s: number; // changes after this sequence
  t: number; // issued at (ms)
  sel?: string[];
  k: 'users' | 'groups';
  /** `$filter=id eq '…' or id eq '…'`: the only filter delta takes; the round tracks these objects only. */
  ids?: string[];
}

/**
 * Graph's delta functions take one kind of $filter: objects by id (`id eq 'a' or id eq 'b'`, at most 50). Anything
 * else (a name, startswith, a range) is refused, so a delta sweep cannot be split into partitions by filter.
 */
function idFilter(text: string | null): string[] | undefined {
  if (text === null) return undefined;
  const refuse = () => unsupportedQuery(`Unsupported query: delta supports $filter only by id ('id eq ...', joined by 'or').`);
  const ids: string[] = [];
  const walk = (e: Expr): void => {
    if (e.t === 'or') return (walk(e.l), walk(e.r));
    if (e.t === 'cmp' && e.op === 'eq' && e.l.t === 'path' && e.l.p.length === 1 && e.l.p[0].toLowerCase() === 'id' && e.r.t === 'lit' && typeof e.r.v === 'string') return void ids.push(e.r.v);
    throw refuse();
  };
  walk(parseFilter(text));
  if (ids.length > 50) throw refuse();
  return ids;
}

interface Round {
  items: Record<string, unknown>[];
  token: Token;
}

const rounds = new WeakMap<Ctx['state'], Map<string, Round>>();

function roundsOf(ctx: Ctx): Map<string, Round> {
  let m = rounds.get(ctx.state);
  if (!m) rounds.set(ctx.state, (m = new Map()));
  return m;
}

const memberRef = (ctx: Ctx, id: string, removed = false) => ({
  '@odata.type': ctx.state.groups.has(id) ? '#microsoft.graph.group' : '#microsoft.graph.user',
  id,
  ...(removed ? { '@removed': { reason: 'deleted' } } : {}),
});

type LogByGroup = Map<string, { memberId: string; role: 'members' | 'owners'; op: 'add' | 'remove' }[]>;

function groupEntries(ctx: Ctx, g: GroupRecord, base: Record<string, unknown>, select: string[] | undefined, since: number | undefined, log: LogByGroup): Record<string, unknown>[] {
  const wantMembers = !select || select.includes('members');
  const wantOwners = select?.includes('owners') ?? false;
  const delta = (role: 'members' | 'owners') => {
    // Soft-deleted users keep their memberships in Entra but are not listed as members.
    if (since === undefined) return g[role].filter((id) => ctx.state.users.get(id)?.deletedAt === undefined).map((id) => memberRef(ctx, id));
    const last = new Map<string, 'add' | 'remove'>();
    for (const c of log.get(g.id) ?? []) if (c.role === role) last.set(c.memberId, c.op);
    return [...last].map(([id, op]) => memberRef(ctx, id, op === 'remove'));
  };
  const members = wantMembers ? delta('members') : [];
  const owners = wantOwners ? delta('owners') : [];
  const chunks = Math.max(1, Math.ceil(members.length / MEMBERS_PER_ENTRY), Math.ceil(owners.length / MEMBERS_PER_ENTRY));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < chunks; i++) {
    const slice = (l: unknown[]) => l.slice(i * MEMBERS_PER_ENTRY, (i + 1) * MEMBERS_PER_ENTRY);
    // A group with no members (or no membership change) carries no members@delta at all, as Graph answers; a
    // continuation entry repeats the group's selected properties, as the docs' large-group page shows.
    out.push({
      ...base,
      ...(wantMembers && slice(members).length ? { 'members@delta': slice(members) } : {}),
      ...(wantOwners && slice(owners).length ? { 'owners@delta': slice(owners) } : {}),
    });
  }
  return out;
}

function materialise(ctx: Ctx, token: Token): Record<string, unknown>[] {
  const items = materialiseAll(ctx, token);
  if (!token.ids) return items;
  const wanted = new Set(token.ids);
  return items.filter((i) => wanted.has(String(i.id)));
}

function materialiseAll(ctx: Ctx, token: Token): Record<string, unknown>[] {
  const since = token.s >= 0 ? token.s : undefined;
  const upTo = ctx.state.seq;
  const sel = token.sel?.filter((s) => s !== 'members' && s !== 'owners');
  const view = (o: Record<string, unknown>, defaults: readonly string[]) => ({ ...project(o, sel && sel.length ? sel : token.sel ? ['id'] : undefined, defaults), id: o.id });
  const items: Record<string, unknown>[] = [];
  if (token.k === 'users') {
    for (const u of ctx.state.users.values()) {
      if (since === undefined) {
        if (u.deletedAt === undefined) items.push(view(userObject(u), USER_DEFAULTS));
      } else if (u.v > since && !(token.sel && u.restoredV === u.v)) {
        items.push(u.deletedAt === undefined ? view(userObject(u), USER_DEFAULTS) : { id: u.id, '@removed': { reason: 'changed' } });
      }
    }
  } else {
    // The membership log bucketed once per round (not scanned per group): changes in (since, upTo], in order.
    const log: LogByGroup = new Map();
    if (since !== undefined) {
      for (const c of ctx.state.memberLog) {
        if (c.seq <= since || c.seq > upTo) continue;
        let l = log.get(c.groupId);
        if (!l) log.set(c.groupId, (l = []));
        l.push(c);
      }
    }
    const changedMembership = log;
    for (const g of ctx.state.groups.values()) {
      if (since === undefined) {
        if (g.deletedAt === undefined) items.push(...groupEntries(ctx, g, view(groupObject(g), GROUP_DEFAULTS), token.sel, undefined, log));
      } else if ((g.v > since && !(token.sel && g.restoredV === g.v)) || changedMembership.has(g.id)) {
        if (g.deletedAt !== undefined) items.push({ id: g.id, '@removed': { reason: 'changed' } });
        else items.push(...groupEntries(ctx, g, view(groupObject(g), GROUP_DEFAULTS), token.sel, since, log));
      }
    }
  }
  if (since !== undefined) {
    for (const t of ctx.state.tombstones) if (t.seq > since && t.type === (token.k === 'users' ? 'user' : 'group')) items.push({ id: t.id, '@removed': { reason: 'deleted' } });
  }
  return items;
}

const deltaRoute = (k: 'users' | 'groups') => (req: EmuRequest, ctx: Ctx) => {
  const p = req.params;
  const link = (extra: string) => `${ctx.graphBase}/${k}/delta?${extra}`;
  const pageSize = (() => {
    const prefer = /odata\.maxpagesize=(\d+)/i.exec(req.headers['prefer'] ?? '');
    const top = p.get('$top');
    const n = Number(prefer?.[1] ?? top ?? 100);
    if (!Number.isInteger(n) || n < 1 || n > 999) throw new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${n}'. Must be between 1 and 999 inclusive.`);
    return n;
  })();

  let roundId: string;
  let offset = 0;
  const skip = p.get('$skiptoken');
  if (skip) {
    const s = decodeSkip<{ r: string; o: number }>(skip);
    if (!roundsOf(ctx).has(s.r)) throw new GraphError(410, 'resyncRequired', 'Resync required. Replace any local state with the results of a new delta query without a token.');
    roundId = s.r;
    offset = s.o;
  } else {
    const dt = p.get('$deltatoken');
    let token: Token;
    if (dt === 'latest') {
      return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#${k}`, '@odata.deltaLink': link(`$deltatoken=${encodeSkip({ s: ctx.state.seq, t: ctx.now(), sel: p.get('$select')?.split(',').map((x) => x.trim()), k })}`), value: [] });
    } else if (dt) {
      token = decodeSkip<Token>(dt);
      if (token.k !== k || typeof token.s !== 'number') throw odataError('Invalid delta token.');
      if (ctx.now() - token.t > TOKEN_LIFETIME_MS) throw new GraphError(410, 'resyncRequired', 'Resync required. Replace any local state with the results of a new delta query without a token.');
    } else {
      const sel = p.get('$select')?.split(',').map((x) => x.trim()).filter(Boolean);
      checkSelect(k === 'users' ? 'user' : 'group', sel);
      const ids = idFilter(p.get('$filter'));
      token = { s: -1, t: ctx.now(), sel, k, ...(ids ? { ids } : {}) };
    }
    roundId = randomUUID();
    const all = roundsOf(ctx);
    all.set(roundId, { items: materialise(ctx, token), token: { ...token, s: ctx.state.seq, t: ctx.now() } });
    while (all.size > KEEP_ROUNDS) all.delete(all.keys().next().value!);
  }
  const round = roundsOf(ctx).get(roundId)!;
  const page = round.items.slice(offset, offset + pageSize);
  const more = offset + pageSize < round.items.length;
  return json(200, {
    '@odata.context': `${ctx.graphBase}/$metadata#${k}`,
    ...(more ? { '@odata.nextLink': link(`$skiptoken=${encodeSkip({ r: roundId, o: offset + pageSize })}`) } : { '@odata.deltaLink': link(`$deltatoken=${encodeSkip(round.token)}`) }),
    value: page,
  });
};

export const deltaRoutes: Route[] = [
  { method: 'GET', pattern: 'users/delta', handler: deltaRoute('users'), service: 'directory', ru: 2 },
  { method: 'GET', pattern: 'groups/delta', handler: deltaRoute('groups'), service: 'directory', ru: 2 },
];
