import { nickname } from '../policy/nickname.js';
import type { GroupId, PersonId } from '../roster/types.js';

/** `bts:s1001` → `student:1001`: the person an anchor names, for accounts whose person the MIS no longer has. */
export function personFromAnchor(anchor: string): PersonId | undefined {
  const m = /^[^:]+:([st])(.+)$/.exec(anchor);
  if (!m) return undefined;
  return `${m[1] === 's' ? 'student' : 'staff'}:${m[2]}` as PersonId;
}

// Change keys: one per object, whatever the action, so a reviewer (and the merge gate) sees the same object under
// the same name when it is created, changed and deleted. Each is made from what both the MIS side and the tenant
// side know of the object.

/** An account's education profile (/education/users/{id}): by its person, beside the account's `user:` key. */
export function educationUserChangeKey(person: PersonId): string {
  return `educationUser:${person}`;
}

/** A licence assigned directly: by person and SKU part number, for its assignment, update and removal alike. */
export function licenceChangeKey(person: PersonId, skuPartNumber: string): string {
  return `licence:${person}:${skuPartNumber}`;
}

/** A group rollcall makes (MIS or security group): by its nickname, which is how rollcall finds it again. */
export function groupChangeKey(mailNickname: string): string {
  return `group:${mailNickname.toLowerCase()}`;
}

/** A licence group (the school's, found by its name): by that name as a nickname would spell it. */
export function licenceGroupChangeKey(name: string): string {
  return `group:licence:${nickname(name)}`;
}

/** A class team: by its class's MIS group (`team:group:455`), from the roster or the class's externalId. */
export function teamChangeKey(group: GroupId): string {
  return `team:${group}`;
}

/** A lesson in one person's calendar: by person and lesson, for the event created, updated or deleted alike. */
export function eventChangeKey(person: PersonId | string, lessonId: string): string {
  return `event:${person}:${lessonId}`;
}

/** A student's guardians (the relatedContacts of their education profile): by the student. */
export function guardianChangeKey(person: PersonId): string {
  return `guardian:${person}`;
}
