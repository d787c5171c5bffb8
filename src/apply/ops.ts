import { educationUserPatch } from '../plan/education-users.js';
import type { Change, ObjectRef } from '../plan/types.js';
import type { TenantOp } from '../tenant/types.js';

/** One tenant op and the plan changes it carries out (a membership op carries up to 20). */
export interface OpFor { op: TenantOp; changes: Change[] }

export type Resolve = (ref: ObjectRef | undefined) => string | undefined;

const MEMBERS_PER_REQUEST = 20;

/**
 * The ops for one phase of changes. Ids of objects created in earlier phases come through `resolve`;
 * a change whose object was never created comes back in `unresolved` and is not sent.
 */
export function opsFor(changes: Change[], resolve: Resolve, bodyOf: (c: Change) => Record<string, unknown>): { ops: OpFor[]; unresolved: Change[] } {
  const ops: OpFor[] = [];
  const unresolved: Change[] = [];
  const adds = new Map<string, { group: string; role: 'member' | 'owner'; items: { change: Change; member: string }[] }>();
  for (const c of changes) {
    const target = resolve(c.target);
    const need = (...ids: (string | undefined)[]) => ids.every((x) => x !== undefined);
    switch (`${c.kind}:${c.action}`) {
      case 'user:create':
        ops.push({ op: { op: 'user.create', key: c.key, body: bodyOf(c) }, changes: [c] });
        break;
      case 'group:create':
        ops.push({ op: { op: 'group.create', key: c.key, body: bodyOf(c) }, changes: [c] });
        break;
      case 'class:create':
        ops.push({ op: { op: 'class.create', key: c.key, body: bodyOf(c) }, changes: [c] });
        break;
      case 'class:update':
      case 'group:update':
      // Archiving a group is a rename and a new description; hiding it is a separate update (Graph's rule).
      case 'group:archive':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: c.kind === 'class' ? 'class.update' : 'group.update', key: c.key, id: target!, patch: c.after ?? {} }, changes: [c] });
        break;
      case 'team:create':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'team.create', key: c.key, groupId: target! }, changes: [c] });
        break;
      case 'team:archive':
      case 'team:unarchive':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: c.action === 'archive' ? 'team.archive' : 'team.unarchive', key: c.key, teamId: target! }, changes: [c] });
        break;
      case 'event:create': {
        const user = resolve(c.member);
        if (!need(user)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'event.create', key: c.key, userId: user!, body: bodyOf(c) }, changes: [c] });
        break;
      }
      case 'event:update':
      case 'event:delete': {
        const user = resolve(c.member);
        if (!need(user, target)) { unresolved.push(c); break; }
        ops.push({ op: c.action === 'update' ? { op: 'event.update', key: c.key, userId: user!, id: target!, patch: c.after ?? {} } : { op: 'event.delete', key: c.key, userId: user!, id: target! }, changes: [c] });
        break;
      }
      case 'user:update':
      case 'user:restore':
      case 'user:suspend':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'user.update', key: c.key, id: target!, patch: c.after ?? {} }, changes: [c] });
        break;
      case 'educationUser:set':
      case 'educationUser:update':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'educationUser.update', key: c.key, id: target!, patch: educationUserPatch(c.after ?? {}) }, changes: [c] });
        break;
      // Graph replaces the collection: `after` is the whole list, someone else's contacts included.
      case 'guardian:set':
      case 'guardian:update':
      case 'guardian:remove':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'educationUser.update', key: c.key, id: target!, patch: { relatedContacts: c.after?.relatedContacts ?? [] } }, changes: [c] });
        break;
      case 'licence:assign':
      case 'licence:update':
      case 'licence:unassign': {
        if (!need(target)) { unresolved.push(c); break; }
        const skuId = String((c.action === 'unassign' ? c.before : c.after)?.skuId ?? '');
        const add = c.action === 'unassign' ? [] : [{ skuId, disabledPlans: [...((c.after?.disabledPlanIds as string[] | undefined) ?? [])] }];
        ops.push({ op: { op: 'licence.assign', key: c.key, id: target!, add, remove: c.action === 'unassign' ? [skuId] : [] }, changes: [c] });
        break;
      }
      case 'user:delete':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'user.delete', key: c.key, id: target! }, changes: [c] });
        break;
      case 'group:delete':
        if (!need(target)) { unresolved.push(c); break; }
        ops.push({ op: { op: 'group.delete', key: c.key, id: target! }, changes: [c] });
        break;
      case 'membership:add-member':
      case 'membership:add-owner': {
        const group = resolve(c.group);
        const member = resolve(c.member);
        if (!need(group, member)) { unresolved.push(c); break; }
        if (c.via === 'class') {
          ops.push({ op: { op: 'class.add', key: c.key, classId: group!, userId: member!, role: c.action === 'add-owner' ? 'teacher' : 'member' }, changes: [c] });
          break;
        }
        const role = c.action === 'add-owner' ? 'owner' : 'member';
        const k = `${role}:${group}`;
        if (!adds.has(k)) adds.set(k, { group: group!, role, items: [] });
        adds.get(k)!.items.push({ change: c, member: member! });
        break;
      }
      case 'membership:remove-member':
      case 'membership:remove-owner': {
        const group = resolve(c.group);
        const member = resolve(c.member);
        if (!need(group, member)) { unresolved.push(c); break; }
        if (c.via === 'class') {
          ops.push({ op: { op: 'class.remove', key: c.key, classId: group!, userId: member!, role: c.action === 'remove-owner' ? 'teacher' : 'member' }, changes: [c] });
          break;
        }
        ops.push({ op: { op: 'member.remove', key: c.key, groupId: group!, memberId: member!, role: c.action === 'remove-owner' ? 'owner' : 'member' }, changes: [c] });
        break;
      }
      default:
        throw new Error(`apply does not know how to ${c.action} a ${c.kind}`);
    }
  }
  // Graph takes up to 20 members in one PATCH; fewer requests keep a first sync inside the write quota.
  for (const { group, role, items } of adds.values()) {
    for (let i = 0; i < items.length; i += MEMBERS_PER_REQUEST) {
      const chunk = items.slice(i, i + MEMBERS_PER_REQUEST);
      ops.push({
        op: { op: 'member.add', key: `${role}s:${group}:${i / MEMBERS_PER_REQUEST}`, groupId: group, memberIds: chunk.map((x) => x.member), role },
        changes: chunk.map((x) => x.change),
      });
    }
  }
  return { ops, unresolved };
}
