import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { countRoster } from '../roster/counts.js';
import { addDays, isValidIsoDate, today } from '../roster/dates.js';
import type { IsoDate, Roster, RosterCounts } from '../roster/types.js';
import { readBromcom } from './bromcom/read.js';
import type { SourceConfig } from './config.js';
import { readCsvSource } from './csv/read.js';
import { sharpDropWarnings } from './drop.js';
import { readOneRoster } from './oneroster/read.js';
import { readSds } from './sds/read.js';

export type { SourceConfig } from './config.js';

export interface ReadRosterOptions {
  baseDir: string;
  /** YYYY-MM-DD, default today. */
  asOf?: IsoDate;
  /** Read the timetable (lessons). */
  calendar?: boolean;
  /**
   * users.match has workEmail (default true, as its default has it). Bromcom reads the Emails entity only then;
   * file sources read the e-mail column they have either way.
   */
  workEmail?: boolean;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Counts from the previous read, for the sharp-drop warning. */
  previousCounts?: RosterCounts;
  /**
   * Days of timetable from asOf. Bromcom reads this window (default 14); for file sources, which hold whatever the
   * export holds, lessons outside it are left out when it is given.
   */
  calendarDays?: number;
  /** Bromcom: first retry delay in ms, doubling (default 1000). */
  retryDelayMs?: number;
  /** The config has `guardians:` (wantsContacts): read students' contacts into Roster.contacts. */
  contacts?: boolean;
  /** `guardians.phones`: Bromcom also reads PersonTelephones (file sources read the phone column they have). */
  contactPhones?: boolean;
}

const DROP_HINT: Record<Roster['source']['kind'], string> = {
  bromcom: "If nobody left, check Bromcom's Data Processing Consent setting: with a lawful basis of \"Consent\", people without consent are hidden from third parties.",
  oneroster: 'If nobody left, check the export filters of the system that wrote the OneRoster files.',
  sds: 'If nobody left, check the export that wrote the School Data Sync files.',
  csv: 'If nobody left, check the export that wrote the CSV files.',
};

/** Reads the configured MIS into a Roster. A read that fails throws; it never returns fewer people. */
export async function readRoster(source: SourceConfig, opts: ReadRosterOptions): Promise<Roster> {
  const kinds = (Object.keys(source) as (keyof SourceConfig)[]).filter((k) => source[k] !== undefined);
  if (kinds.length !== 1) throw new ConfigError(`source must name exactly one of bromcom, oneroster, sds, csv (found ${kinds.join(', ') || 'none'})`);
  const asOf = opts.asOf ?? today();
  if (!isValidIsoDate(asOf)) throw new ConfigError(`the as-of date "${asOf}" is not a date (YYYY-MM-DD)`);
  const file = { baseDir: opts.baseDir, asOf, calendar: opts.calendar ?? false, contacts: opts.contacts ?? false, log: opts.log };
  let roster: Roster;
  if (source.bromcom) {
    roster = await readBromcom(source.bromcom, { asOf, calendar: opts.calendar ?? false, workEmail: opts.workEmail, calendarDays: opts.calendarDays, log: opts.log, env: opts.env ?? process.env, retryDelayMs: opts.retryDelayMs, contacts: opts.contacts ?? false, contactPhones: opts.contactPhones ?? false });
  } else if (source.oneroster) roster = await readOneRoster(source.oneroster, file);
  else if (source.sds) roster = await readSds(source.sds, file);
  else roster = await readCsvSource(source.csv!, file);
  if (opts.calendarDays !== undefined) {
    const end = addDays(asOf, opts.calendarDays);
    // Lesson times carry the school's local date first, which is what the window is in.
    roster.lessons = roster.lessons.filter((l) => l.start.slice(0, 10) >= asOf && l.start.slice(0, 10) < end);
  }
  const counts = countRoster(roster);
  for (const w of sharpDropWarnings(counts, opts.previousCounts, DROP_HINT[roster.source.kind])) {
    roster.warnings.push(w);
    opts.log.warn(w);
  }
  opts.log.info(`${roster.source.kind}: ${counts.students} students, ${counts.staff} staff, ${counts.groups} groups, ${counts.memberships} memberships, ${counts.lessons} lessons`);
  return roster;
}
