// A new account whose template address is taken gets 2, 3, … (lowest MIS id first). The plan says so in the
// create's reason, in one wording read back here, so a reviewer can check it is not the same person twice.
import type { Change } from './types.js';

const MARK = '; numbered because ';
const TAKEN = ' is taken';

export function numberedReason(why: string, base: string): string {
  return `${why}${MARK}${base}${TAKEN}`;
}

/** The address the template gave, when this create's address got a number instead. */
export function numberedFrom(c: Pick<Change, 'action' | 'kind' | 'reason'>): string | undefined {
  if (c.action !== 'create' || c.kind !== 'user') return undefined;
  const at = c.reason.lastIndexOf(MARK);
  if (at < 0 || !c.reason.endsWith(TAKEN)) return undefined;
  return c.reason.slice(at + MARK.length, -TAKEN.length);
}
