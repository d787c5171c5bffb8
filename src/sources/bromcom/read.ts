import { resolveSecret } from '../../config/secrets.js';
import { SourceError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { RosterBuilder } from '../../roster/builder.js';
import { addDays } from '../../roster/dates.js';
import type { IsoDate, Roster } from '../../roster/types.js';
import type { BromcomSourceConfig } from '../config.js';
import { eachAtOnce, startAtOnce } from './at-once.js';
import { BromcomClient } from './client.js';
import { mapBromcomContacts, peopleColumns, phoneColumns, studentContactColumns } from './contacts.js';
import type { DataSet } from './dataset.js';
import { emailColumns } from './emails.js';
import { entitiesFor } from './entities.js';
import { between, notEndedBefore, type Filter } from './filter.js';
import { mapBromcomAsRead } from './map.js';

export { REQUIRED_ENTITIES } from './entities.js';

/**
 * Entities whose column names are not public: their columns are read first (no rows), so a service that names them
 * otherwise fails here, naming the columns it has, before the whole table is read.
 */
const DISCOVERED: Record<string, (columns: DataSet['columns']) => unknown> = {
  Emails: emailColumns, StudentContacts: studentContactColumns, People: peopleColumns, PersonTelephones: phoneColumns,
};

/**
 * Entities read at once. A 20,000-pupil school's read was mostly waiting for the service to build each answer in
 * turn; reading a few at a time overlaps that with parsing the ones already arriving. Each call is a stateless
 * request with its own credentials (ASMX keeps no session), so calls at once are ordinary concurrent requests; the
 * bound keeps the load on a school's MIS, and the memory of responses in flight, small. Neither Bromcom's public
 * documentation nor the reference answers say anything about concurrent calls or rate limits.
 */
export const READ_AT_ONCE = 3;

/** Entities whose empty answer is not a real one (checked as each arrives, before anything is mapped from it). */
const MUST_HAVE_ROWS = new Set(['Students', 'Staff', 'StudentContacts', 'People']);

/**
 * The order entities are asked for. Mapping takes them in its own order (Emails, Students, Staff, …; see
 * mapBromcomAsRead) and each waits for those before it, so they are asked for in that order, except that the large
 * ones come early, since the service takes longest to build them: Emails first (small, and what mapping starts
 * with: read and mapped while the service builds Students), then Students and CollectionAssociates, which it builds
 * while the answers before them are read. Asked for after the small ones, a large answer kept the reader waiting
 * later; asked for before Emails, Students held up the mapping of everything until Emails came in behind it.
 * Contacts come last, as they are mapped last.
 */
const READ_ORDER = ['Emails', 'Students', 'CollectionAssociates', 'Staff', 'SubjectClasses', 'Collections', 'CollectionExecutives', 'TimeTable', 'StudentContacts', 'People', 'PersonTelephones'];
function readOrder(wanted: readonly string[]): string[] {
  const rank = (e: string) => (READ_ORDER.includes(e) ? READ_ORDER.indexOf(e) : READ_ORDER.length);
  return [...wanted].sort((a, b) => rank(a) - rank(b));
}

/** A logger that keeps what it is told until `release`, and passes everything on from then. */
function heldLog(log: Logger): { log: Logger; release(): void } {
  let held: [keyof Logger & ('debug' | 'info' | 'warn' | 'error'), string][] | undefined = [];
  const say = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string) => (held ? held.push([level, message]) : log[level](message));
  return {
    log: { debug: say('debug'), info: say('info'), warn: say('warn'), error: say('error') },
    release() {
      const lines = held ?? [];
      held = undefined;
      for (const [level, message] of lines) log[level](message);
    },
  };
}

export interface BromcomReadOptions {
  asOf: IsoDate;
  calendar: boolean;
  /** users.match has workEmail: read the Emails entity (default true, as users.match's default has it). */
  workEmail?: boolean;
  /** Days of timetable read from asOf (default 14). */
  calendarDays?: number;
  /** Leavers whose end date is this many days back are still read, so leaver rules can see them (default 365). */
  leaverDays?: number;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** First retry delay; doubles each time (default 1000 ms). */
  retryDelayMs?: number;
  /** The config has guardians: read StudentContacts, People and Emails. */
  contacts?: boolean;
  /** guardians.phones: read PersonTelephones too. */
  contactPhones?: boolean;
  /** Entities read at once (default READ_AT_ONCE; 1 reads them one after another). */
  readAtOnce?: number;
}

export async function readBromcom(cfg: BromcomSourceConfig, opts: BromcomReadOptions): Promise<Roster> {
  const username = resolveSecret(cfg.username, 'source.bromcom.username', opts.env);
  const password = resolveSecret(cfg.password, 'source.bromcom.password', opts.env);
  const client = await BromcomClient.connect({
    url: cfg.url, schoolId: cfg.schoolId, username, password,
    secretNames: { username: cfg.username.env, password: cfg.password.env },
    timeoutMs: (cfg.timeoutSeconds ?? 120) * 1000, retries: cfg.retries ?? 3, retryDelayMs: opts.retryDelayMs ?? 1000, log: opts.log,
  });

  const wanted = entitiesFor({ calendar: opts.calendar, workEmail: opts.workEmail ?? true, contacts: opts.contacts, contactPhones: opts.contactPhones });
  const permitted = new Set((await client.findEntities()).map((e) => e.toLowerCase()));
  const missing = wanted.filter((e) => !permitted.has(e.toLowerCase()));
  if (missing.length) {
    throw new SourceError(
      `the Bromcom user may not read ${missing.join(', ')} for school ${cfg.schoolId}. In Bromcom, open Setup > Third Party Access Permissions & Logs and enable ${missing.length === 1 ? 'this entity' : 'these entities'} for the user rollcall signs in as.`,
      { record: 'findEntitiesBySchoolID' },
    );
  }

  const since = addDays(opts.asOf, -(opts.leaverDays ?? 365));
  const filters: Record<string, Filter> = {
    Students: notEndedBefore(since),
    Staff: notEndedBefore(since),
    Collections: notEndedBefore(opts.asOf),
    SubjectClasses: notEndedBefore(opts.asOf),
    CollectionAssociates: notEndedBefore(opts.asOf),
    CollectionExecutives: notEndedBefore(opts.asOf),
    TimeTable: between('PeriodStartDate', opts.asOf, addDays(opts.asOf, opts.calendarDays ?? 14)),
    Emails: { all: true },
    StudentContacts: { all: true },
    People: { all: true },
    PersonTelephones: { all: true },
  };
  // Asked for in READ_ORDER, mapped in their own order as they come in.
  const order = readOrder(wanted);
  // Any entity that fails fails the read (naming it); the others still in flight are stopped.
  // The columns of entities whose names are not public are checked before any table is asked for: these answers
  // are a few hundred bytes, quick while the service is idle, and behind the large answers they waited for them.
  await eachAtOnce(order.filter((e) => DISCOVERED[e]), opts.readAtOnce ?? READ_AT_ONCE, async (e, signal) => DISCOVERED[e]((await client.getEntity(e, { none: true }, signal)).columns));
  const reading = startAtOnce(order, opts.readAtOnce ?? READ_AT_ONCE, (entity, signal) => client.getEntity(entity, filters[entity], signal));
  const table = async (entity: string): Promise<DataSet | undefined> => {
    const at = order.indexOf(entity);
    if (at < 0) return undefined;
    const ds = await reading.result(at);
    // A school with no pupils or no staff is not a real answer: Data Processing Consent or a permission is hiding
    // them. Nor is one whose pupils have no contacts at all, with guardians on: it would remove every guardian.
    if (MUST_HAVE_ROWS.has(entity) && ds.rows.length === 0) {
      throw new SourceError(
        `Bromcom returned no ${entity} for school ${cfg.schoolId}. Nothing is planned from an empty read; check the user's Third Party permissions and the school's Data Processing Consent setting.`,
        { record: entity },
      );
    }
    return ds;
  };
  // What mapping logs waits for the read's summary line, which is said once every entity is in: the log reads as
  // it did when mapping started only then.
  const held = heldLog(opts.log);
  const builder = new RosterBuilder('bromcom', opts.asOf, held.log);
  try {
    // Emails read for contacts alone gives nobody a work e-mail.
    await mapBromcomAsRead((entity) => (entity === 'Emails' && !(opts.workEmail ?? true) ? Promise.resolve(undefined) : table(entity)), builder);
    if (opts.contacts) {
      const [StudentContacts, People, Emails, PersonTelephones] = [await table('StudentContacts'), await table('People'), await table('Emails'), await table('PersonTelephones')];
      mapBromcomContacts({ StudentContacts: StudentContacts!, People: People!, Emails: Emails!, emailColumns: emailColumns(Emails!.columns), PersonTelephones }, builder);
    }
  } catch (e) {
    reading.fail(e);
    held.release();
  }
  const read = await reading.settled();
  opts.log.info(`bromcom: read ${wanted.map((e) => `${e} ${read[order.indexOf(e)].rows.length}`).join(', ')}`);
  held.release();
  return builder.build();
}
