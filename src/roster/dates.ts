import type { IsoDate, Person } from './types.js';

export function isValidIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's date where the process runs; sources are told the school's date explicitly when it matters. */
export function today(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

export type PersonStatus = 'current' | 'future' | 'left';

/** On roll as of a date: started on or before it, and ends on or after it (the end date is the last day). */
export function personStatus(p: Pick<Person, 'startDate' | 'endDate'>, asOf: IsoDate): PersonStatus {
  if (p.startDate && p.startDate > asOf) return 'future';
  if (p.endDate && p.endDate < asOf) return 'left';
  return 'current';
}
