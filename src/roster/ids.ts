import type { GroupId, PersonId, PersonKind } from './types.js';

export function personId(kind: PersonKind, misId: string): PersonId {
  return `${kind}:${misId}`;
}

export function groupId(misId: string): GroupId {
  return `group:${misId}`;
}

/** Reads `student:1001` / `staff:31`; anything else is undefined so callers can report where it came from. */
export function parsePersonId(text: string): { kind: PersonKind; misId: string } | undefined {
  const m = /^(student|staff):(.+)$/.exec(text.trim());
  return m ? { kind: m[1] as PersonKind, misId: m[2] } : undefined;
}

/** Lessons are identified by class and start, so the same lesson read twice (from any source) has the same id. */
export function lessonId(group: GroupId, start: string): string {
  return `lesson:${group.slice('group:'.length)}@${start}`;
}
