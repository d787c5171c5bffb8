// `apply --only`: the part of a plan about some people, groups or classes, and what that part needs to succeed
// (the account before its memberships, the class before its pupils). Pure: a plan's changes in, a subset out, in
// the plan's own order. buildPlan checks the safety limits and computes the checksum of what is selected, so a
// selection is a plan of its own: reviewed, limited and approved as itself.
import { SelectionError } from '../errors.js';
import type { Group, PersonId } from '../roster/types.js';
import { CHANGE_KINDS as KINDS, type Change, type ChangeKind, type Plan } from './types.js';

export type Selector =
  /** Every change of one kind (`kind:user`). */
  | { text: string; type: 'kind'; kind: ChangeKind }
  /** One MIS person (`student:1042`, `staff:31`). */
  | { text: string; type: 'person'; person: PersonId }
  /** A bare MIS id, a sign-in address, or a group or class by MIS id, name, nickname or change key. */
  | { text: string; type: 'name'; value: string };

/**
 * Selectors as typed: `--only` may be repeated and each may list several, separated by commas (the action's `only`
 * input by commas or lines). An empty list or an unknown kind is a mistake named here, before anything is read.
 */
export function parseSelectors(raw: readonly string[], option = '--only'): Selector[] {
  const texts = raw.flatMap((r) => r.split(/[,\n]/)).map((t) => t.trim()).filter(Boolean);
  if (!texts.length) throw new SelectionError(`${option} needs at least one person, group, class or kind:K`);
  return texts.map((text): Selector => {
    const kind = /^kind:(.*)$/i.exec(text);
    if (kind) {
      const k = kind[1].toLowerCase() as ChangeKind;
      if (!KINDS.includes(k)) throw new SelectionError(`${option} ${text}: no such kind (one of ${KINDS.map((x) => `kind:${x}`).join(', ')})`);
      return { text, type: 'kind', kind: k };
    }
    const person = /^(student|staff):(.+)$/i.exec(text);
    if (person) return { text, type: 'person', person: `${person[1].toLowerCase() as 'student' | 'staff'}:${person[2]}` };
    return { text, type: 'name', value: text };
  });
}

export interface SelectionContext {
  /** The MIS person each managed account belongs to (tenant id → person): removals name the account, not the person. */
  personOfAccount: ReadonlyMap<string, PersonId>;
  /** The MIS's groups: a class is found by its MIS name too, which the plan shows only in its template's form. */
  groups?: readonly Pick<Group, 'id' | 'misId' | 'name'>[];
}

/**
 * The changes the selectors name plus, transitively, the creates they depend on. A selector that names nothing
 * pending is an error naming it (and, for a person rollcall holds back, why), never a silently smaller apply.
 */
export function selectChanges(plan: Pick<Plan, 'changes' | 'unsynced'>, selectors: readonly Selector[], ctx: SelectionContext): Change[] {
  const chosen = new Set<Change>();
  const unmatched: Selector[] = [];
  for (const s of selectors) {
    const hits = plan.changes.filter(matcher(s, plan.changes, ctx));
    if (!hits.length) unmatched.push(s);
    for (const c of hits) chosen.add(c);
  }
  if (unmatched.length) throw new SelectionError(unmatched.map((s) => nothingFor(s, plan)).join('; '));

  // What the chosen changes refer to by "created by": the creates of those objects, and theirs in turn.
  const creates = new Map<string, Change[]>();
  for (const c of plan.changes) {
    if (c.action !== 'create') continue;
    const list = creates.get(c.key);
    if (list) list.push(c);
    else creates.set(c.key, [c]);
  }
  const queue = [...chosen];
  while (queue.length) {
    const c = queue.pop()!;
    for (const ref of [c.target?.createdBy, c.group?.createdBy, c.member?.createdBy]) {
      for (const dep of (ref && creates.get(ref)) || []) {
        if (!chosen.has(dep)) { chosen.add(dep); queue.push(dep); }
      }
    }
  }
  return plan.changes.filter((c) => chosen.has(c));
}

function matcher(s: Selector, changes: readonly Change[], ctx: SelectionContext): (c: Change) => boolean {
  if (s.type === 'kind') return (c) => c.kind === s.kind;
  if (s.type === 'person') return personMatcher(new Set([s.person]), ctx);
  const value = s.value.toLowerCase();
  // A bare id is a student's, a staff member's or a group's MIS id; an address is the account's.
  const people = new Set<PersonId>([`student:${s.value}`, `staff:${s.value}`]);
  for (const c of changes) {
    if (c.kind === 'user' && c.subject.person && c.subject.name?.toLowerCase() === value) people.add(c.subject.person);
  }
  const isPerson = personMatcher(people, ctx);
  const isGroup = groupMatcher(value, changes, ctx);
  return (c) => isPerson(c) || isGroup(c);
}

function personMatcher(people: ReadonlySet<PersonId>, ctx: SelectionContext): (c: Change) => boolean {
  const accountOf = (id: string | undefined) => (id === undefined ? undefined : ctx.personOfAccount.get(id));
  const has = (p: string | undefined) => p !== undefined && people.has(p as PersonId);
  return (c) => {
    if (has(c.subject.person)) return true;
    // Keys name the person where the subject does not: `user:P`, `event:P:…`, memberships `…:P`.
    if (c.kind === 'user') return has(c.key.slice('user:'.length)) || has(accountOf(c.target?.id));
    if (c.kind === 'event') return has(/^event:((?:student|staff):[^:]+):/.exec(c.key)?.[1]) || has(accountOf(c.member?.id));
    if (c.kind === 'membership') {
      return has(accountOf(c.member?.id)) || has(c.member?.createdBy?.slice('user:'.length)) || [...people].some((p) => c.key.endsWith(`:${p}`));
    }
    return false;
  };
}

/**
 * A group or class by what the plan knows of it: its name as the plan shows it, its MIS id (in the keys of classes,
 * teams and mapped groups, and a new class's externalId), its nickname, or its change key. Its memberships and
 * its class team come with it.
 */
function groupMatcher(value: string, changes: readonly Change[], ctx: SelectionContext): (c: Change) => boolean {
  const gids = new Set([value.startsWith('group:') ? value : `group:${value}`]);
  for (const g of ctx.groups ?? []) if (g.misId.toLowerCase() === value || g.name.toLowerCase() === value) gids.add(g.id.toLowerCase() as Group['id']);
  const keys = new Set([value, `group:${value}`, ...[...gids].flatMap((gid) => [`class:${gid}`, `team:${gid}`, `group:${gid}`])]);
  const after = (c: Change, field: string) => String(c.after?.[field] ?? '').toLowerCase();
  const isObject = (c: Change) => (c.kind === 'group' || c.kind === 'class' || c.kind === 'team')
    && (keys.has(c.key.toLowerCase()) || c.subject.name?.toLowerCase() === value
      || ['mailNickname', 'externalId', 'externalName', 'displayName'].some((f) => after(c, f) === value));
  const objects = changes.filter(isObject);
  // The same group as tenant id or as the key of the change that creates it.
  const refs = new Set(objects.flatMap((c) => [c.target?.id, c.action === 'create' ? c.key : undefined, c.target?.createdBy]).filter((x): x is string => !!x));
  // A membership's key carries its group's: `student:class:group:455:…`, `member:group:<nickname>:…`.
  const inKey = [`:group:${value}:`, ...(/^(class|group):/.test(value) ? [`:${value}:`] : []), ...[...gids].flatMap((gid) => [`:class:${gid}:`, `:group:${gid}:`])];
  return (c) => {
    if (c.kind === 'membership') {
      const g = c.group;
      const key = c.key.toLowerCase();
      return g?.name.toLowerCase() === value || (g?.id !== undefined && refs.has(g.id)) || (g?.createdBy !== undefined && refs.has(g.createdBy))
        || inKey.some((k) => key.includes(k));
    }
    if (c.kind === 'team') return isObject(c) || (c.target?.id !== undefined && refs.has(c.target.id)) || (c.target?.createdBy !== undefined && refs.has(c.target.createdBy));
    return isObject(c);
  };
}

/** Why a selector selected nothing: a held or unsynced person says why (the reason, never the detail's names). */
function nothingFor(s: Selector, plan: Pick<Plan, 'unsynced'>): string {
  const people = s.type === 'person' ? [s.person] : s.type === 'name' ? [`student:${s.value}`, `staff:${s.value}`] : [];
  const held = plan.unsynced.find((u) => u.person && people.includes(u.person));
  if (held) return `"${s.text}" has no pending change: ${held.person} is not synced (${held.reason})`;
  if (s.type === 'kind') return `"${s.text}" matches no pending change: the plan has no ${s.kind} change`;
  return `"${s.text}" matches no pending change: no person (MIS id, student:ID, staff:ID, sign-in address), group or class (MIS id, name) with a change in the plan`;
}
