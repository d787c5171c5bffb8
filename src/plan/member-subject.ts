// Who leaves a group or class, in the words a reviewer checks: the pupil or member of staff, from their account
// (a removal is destructive and must name the person, not repeat the class twice). Adds keep a lean subject: a
// first sync has tens of thousands of them and the per-group totals say enough.
import { initials } from '../policy/ascii.js';
import type { PersonId } from '../roster/types.js';
import type { TenantUser } from '../tenant/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import { personFromAnchor } from './keys.js';
import type { Subject } from './types.js';

/** The account's person (from its anchor when the plan has none for it), name and initials; `name` stays the group's. */
export function removedMemberSubject(user: TenantUser | undefined, attribute: AnchorAttribute, groupName: string, person?: PersonId): Subject {
  if (!user) return { person, name: groupName };
  const anchor = storedAnchor(user, attribute);
  return {
    person: person ?? (anchor ? personFromAnchor(anchor) : undefined),
    name: groupName,
    displayName: user.displayName,
    initials: initials(user.givenName ?? user.displayName.split(' ')[0], user.surname ?? user.displayName.split(' ').slice(-1)[0]),
  };
}
