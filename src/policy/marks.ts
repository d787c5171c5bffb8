// The tags rollcall writes into the description of each group it makes: the desired description carries the mark,
// and plan/ownership.ts recognises a group as rollcall's by it (why a description: see there).

/** What kind of rollcall group a mark claims: MIS groups (`groups:`) or security groups (`users.*.securityGroups`). */
export type OwnedRole = 'group' | 'sg';

/** The tag rollcall writes at the end of the description of each group it makes. */
export function ownershipMark(schoolKey: string, role: OwnedRole): string {
  return `[rollcall:${schoolKey}:${role}]`;
}

/**
 * The tag that replaces the mark when rollcall lets a group go (`groups.onEnd: keep` or `archive`): the group is
 * then the school's, never adopted, archived or deleted again, and the academic year says when it was let go.
 */
export function releasedMark(schoolKey: string, academicYear: string): string {
  return `[rollcall:${schoolKey}:released ${academicYear}]`;
}

/** The description rollcall gives a group: what it is, then the mark. */
export function markedDescription(text: string, schoolKey: string, role: OwnedRole): string {
  return `${text} ${ownershipMark(schoolKey, role)}`;
}
