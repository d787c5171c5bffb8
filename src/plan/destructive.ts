import type { Change } from './types.js';

/**
 * What "destructive" means, once: a change that takes something away from people or the school's data in
 * users, groups, classes, teams, memberships, licences or students' guardians (suspend, delete, remove a member,
 * owner or a student's guardians, archive, take back a licence). The plan's
 * flag, the safety limits, the rendered plan and the merge gate all read it from here (through `Change.destructive`,
 * which buildPlan sets with this function). Calendar events are rewritten from the timetable every night, so
 * theirs are not destructive; `safety.maxEventDeletions` limits them on its own.
 */
export function isDestructive(c: Pick<Change, 'kind' | 'action'>): boolean {
  if (c.kind === 'event') return false;
  return c.action === 'suspend' || c.action === 'delete' || c.action === 'remove-member' || c.action === 'remove-owner' || c.action === 'remove' || c.action === 'archive' || c.action === 'unassign';
}

/** Deletions counted by `safety.maxDeletions`: users, groups and classes (never events). */
export const isObjectDeletion = (c: Pick<Change, 'kind' | 'action'>): boolean => c.action === 'delete' && isDestructive(c);

/** Deletions counted by `safety.maxEventDeletions`. */
export const isEventDeletion = (c: Pick<Change, 'kind' | 'action'>): boolean => c.kind === 'event' && c.action === 'delete';
