import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { checkSecretsSet } from '../config/secrets.js';
import type { Logger } from '../log.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { todayIn } from '../policy/academic-year.js';
import type { Roster } from '../roster/types.js';
import { readRoster } from '../sources/index.js';
import type { SourceConfig } from '../sources/config.js';
import { fileStore, openTenant, type StateStore, type Tenant, type TenantConfig } from '../tenant/index.js';
import type { CalendarRead, Snapshot } from '../tenant/types.js';
import { storedAnchor, isManagedBy, type AnchorAttribute } from '../plan/anchor.js';
import { calendarScope } from '../policy/calendar.js';
import { assignsLicences } from '../policy/licences.js';
import { personFromAnchor } from '../plan/keys.js';
import { addDays } from '../roster/dates.js';
import { wantsContactPhones, wantsContacts } from '../sources/contacts.js';
import { readClassMatches, readUserMatchFiles } from './manual-matches.js';
import type { Selector } from '../plan/select.js';

const LOCAL_WRITES_PER_SECOND = 1_000;

export interface EngineOptions {
  configPath: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** The school's date to plan for (YYYY-MM-DD); default today in school.timeZone. */
  asOf?: string;
  now?: Date;
  /**
   * The configuration already loaded (and perhaps composed: a pull request's policy over its base branch's
   * connection); `configPath` is then not read.
   */
  loaded?: LoadedConfig;
  /** Plan only the changes of these people, groups or classes and what they depend on (`--only`). */
  only?: readonly Selector[];
  /**
   * Warm reads of a real tenant: the delta state kept by the last run (default `.rollcall/delta-state.json` beside
   * the config; the Action gives its sealed cache file) and whether to ignore it this once (`--full-read`).
   * Without it the tenant is read in full and nothing is kept.
   */
  deltaState?: { store?: StateStore; fullRead?: boolean };
}

export interface Session {
  loaded: LoadedConfig;
  asOf: string;
  roster: Roster;
  snapshot: Snapshot;
  tenant: Tenant;
  plan: Plan;
}

export async function openSession(opts: EngineOptions): Promise<Omit<Session, 'plan' | 'roster' | 'snapshot'>> {
  const loaded = opts.loaded ?? await loadConfig(opts.configPath);
  // Every missing secret at once, before anything is read or started.
  checkSecretsSet(loaded.config, opts.env);
  const asOf = opts.asOf ?? todayIn(loaded.config.school.timeZone, opts.now);
  const tenant = await openTenant(loaded.config.tenant as TenantConfig, {
    baseDir: path.dirname(loaded.file),
    log: opts.log,
    env: opts.env,
    // Pacing keeps a real tenant under Graph's write quota; the local tenant has no quota unless asked for one.
    ...(loaded.config.tenant.local ? { writesPerSecond: LOCAL_WRITES_PER_SECOND } : {}),
    ...(opts.deltaState ? { deltaState: { store: opts.deltaState.store ?? fileStore(deltaStatePath(loaded.file)), ...(opts.deltaState.fullRead ? { fullRead: true } : {}) } } : {}),
  });
  return { loaded, asOf, tenant };
}

/** Where the CLI keeps the delta state: `.rollcall/` beside the config, with the journal (gitignored). */
export function deltaStatePath(configFile: string): string {
  return path.join(path.dirname(configFile), '.rollcall', 'delta-state.json');
}

export async function readRosterFor(loaded: LoadedConfig, asOf: string, log: Logger, env?: NodeJS.ProcessEnv): Promise<Roster> {
  return readRoster(loaded.config.source as SourceConfig, {
    baseDir: path.dirname(loaded.file),
    asOf,
    calendar: loaded.config.calendar.enabled,
    workEmail: loaded.config.users.match.includes('workEmail'),
    contacts: wantsContacts(loaded.config),
    contactPhones: wantsContactPhones(loaded.config),
    // The timetable the calendar writes (and a day more, as the tenant read does).
    ...(loaded.config.calendar.enabled ? { calendarDays: loaded.config.calendar.windowDays + 1 } : {}),
    log,
    env,
  });
}

/**
 * rollcall's events live in the calendars it writes: the managed accounts of people in the calendar's scope. It
 * reads the window it writes (and a day more, so a lesson late in the last day is seen), for those mailboxes only:
 * a nightly run then costs a few requests, not one per pupil. The price: after calendar.users is narrowed, events
 * already written in mailboxes now out of scope are no longer seen, so they stay (README says how to clear them).
 */
export function calendarRead(config: LoadedConfig['config'], asOf: string): CalendarRead | undefined {
  if (!config.calendar.enabled) return undefined;
  const attribute: AnchorAttribute = config.users.anchor;
  const inScope = calendarScope(config);
  return {
    userIds: (users) => users
      .filter((u) => {
        if (!u.accountEnabled || !isManagedBy(u, attribute, config.school.key)) return false;
        const person = personFromAnchor(storedAnchor(u, attribute)!);
        return person !== undefined && inScope(person);
      })
      .map((u) => u.id),
    from: `${asOf}T00:00:00Z`,
    to: `${addDays(asOf, config.calendar.windowDays + 1)}T00:00:00Z`,
  };
}

/**
 * Reads the MIS and the tenant and computes the plan: the "simulate" step. Writes nothing. Both reads complete
 * or the whole run fails: a smaller roster or snapshot would turn into suspensions or duplicate accounts.
 */
export async function planSession(opts: EngineOptions): Promise<Session> {
  const base = await openSession(opts);
  try {
    const { loaded, asOf, tenant } = base;
    const config = loaded.config;
    const [roster, snapshot, matchFiles, classMatches] = await Promise.all([
      readRosterFor(loaded, asOf, opts.log, opts.env),
      tenant.reader.read({ education: config.tenant.education, guardians: config.guardians !== undefined, calendar: calendarRead(config, asOf), licences: assignsLicences(config) }),
      readUserMatchFiles(config),
      readClassMatches(config.classes?.from.length ? config.classes.matches : undefined),
    ]);
    const plan = buildPlan({ config, roster, snapshot, ...matchFiles, classMatches, asOf, now: (opts.now ?? new Date()).toISOString(), ...(opts.only ? { only: opts.only } : {}) });
    return { ...base, roster, snapshot, plan };
  } catch (err) {
    await base.tenant.close();
    throw err;
  }
}

