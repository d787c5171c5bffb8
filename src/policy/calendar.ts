// Whose calendars get lessons: the desired side of calendar events that depends on the configuration alone.
import type { Config } from '../config/load.js';
import type { PersonId } from '../roster/types.js';

/** Whose calendars rollcall writes (calendar.users, listed, exclude); the tenant read asks for exactly these. */
export function calendarScope(config: Config): (person: PersonId) => boolean {
  const cal = config.calendar;
  const listed = new Set(cal.listed);
  const excluded = new Set(cal.exclude);
  const who = cal.users;
  return (p) => !excluded.has(p) && (who === 'all' || (who === 'listed' ? listed.has(p) : p.startsWith(who === 'staff' ? 'staff:' : 'student:')));
}
