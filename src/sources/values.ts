import { SourceError } from '../errors.js';
import { isValidIsoDate } from '../roster/dates.js';
import type { IsoDate, PersonKind } from '../roster/types.js';
import { describeWhere, type Where } from '../roster/where.js';

/**
 * ISO dates, optionally with a time (the date part is the school's calendar date). `us` also accepts M/D/YYYY,
 * which is what School Data Sync's v1/UK samples use. Anything else is an error: a guessed date is worse than none.
 */
export function parseDate(text: string | undefined, where: Where, column: string, opts: { us?: boolean } = {}): IsoDate | undefined {
  if (text === undefined) return undefined;
  let iso: string | undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) iso = m[1];
  else if (opts.us) {
    const u = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    if (u) iso = `${u[3]}-${u[1].padStart(2, '0')}-${u[2].padStart(2, '0')}`;
  }
  if (!iso || !isValidIsoDate(iso)) {
    throw new SourceError(`${describeWhere(where)}: ${column} "${text}" is not a date (expected YYYY-MM-DD${opts.us ? ' or M/D/YYYY' : ''})`, where);
  }
  return iso;
}

/** A date-time with an explicit offset, normalised to YYYY-MM-DDTHH:MM:SS±HH:MM so equal instants written alike compare equal. */
export function parseDateTime(text: string | undefined, where: Where, column: string): string {
  const m = text && /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(text);
  if (!m || !isValidIsoDate(m[1])) {
    throw new SourceError(`${describeWhere(where)}: ${column} "${text ?? ''}" is not a date-time with an offset (e.g. 2025-09-03T08:50:00+01:00)`, where);
  }
  const offset = m[4] === 'Z' ? '+00:00' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  return `${m[1]}T${m[2]}${m[3] ?? ':00'}${offset}`;
}

/** Year groups arrive as "7", "07" or "Year 7"; they are kept as the bare number when they are one. */
export function normaliseYearGroup(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(?:year\s*|y)?0*(\d+)$/i.exec(text.trim());
  return m ? m[1] : text.trim();
}

/**
 * A OneRoster or SDS role as rollcall sees it: a student, staff, or someone it never provisions (parents, guardians).
 * Each format names its own staff roles; undefined means a role rollcall does not know.
 */
export function kindOfRole(role: string | undefined, staffRoles: ReadonlySet<string>, notProvisioned: ReadonlySet<string>): PersonKind | 'skip' | undefined {
  const r = (role ?? '').toLowerCase();
  if (r === 'student') return 'student';
  if (staffRoles.has(r)) return 'staff';
  if (notProvisioned.has(r)) return 'skip';
  return undefined;
}
