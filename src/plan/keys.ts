import { addressPart } from '../policy/ascii.js';
import type { PersonId } from '../roster/types.js';

/** `bts:s1001` → `student:1001`: the person an anchor names, for accounts whose person the MIS no longer has. */
export function personFromAnchor(anchor: string): PersonId | undefined {
  const m = /^[^:]+:([st])(.+)$/.exec(anchor);
  if (!m) return undefined;
  return `${m[1] === 's' ? 'student' : 'staff'}:${m[2]}` as PersonId;
}

/** A mailNickname from a name: ASCII letters, digits and hyphens only, at most 64 characters. */
export function nickname(...parts: string[]): string {
  return parts
    .map((p) => p.split(/[^\p{L}\p{N}]+/u).map(addressPart).filter(Boolean).join('-'))
    .filter(Boolean)
    .join('-')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** Compares MIS ids so that 2 comes before 10 ("lowest MIS id first" means numerically where ids are numbers). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
