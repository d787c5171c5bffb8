// Applying a planned session: the part of `rollcall apply` that the action shares once it has decided to go ahead.
import path from 'node:path';
import { applyPlan, type ApplyOutcome } from '../apply/apply.js';
import { JournalWriter, localJournalFile, localRunId, type JournalTarget } from '../apply/journal.js';
import { sendSummaryMail } from '../apply/summary-mail.js';
import type { Logger } from '../log.js';
import { raiseIfRefused, type Approval } from '../plan/refusal.js';
import type { Session } from './run.js';
import type { TenantError } from '../errors.js';
import { permissionsError } from '../tenant/index.js';

export interface ApplySessionOptions {
  log: Logger;
  /** What lets a blocked plan through; without it a blocked plan throws BlockedError and nothing is written. */
  approval?: Approval;
  onProgress?: (done: number, total: number) => void;
  /** Where the first passwords went, as soon as they are written (the action's `passwords-file` output). */
  onPasswordsFile?: (file: string) => void;
  /** Where this run's journal goes; default `.rollcall/journal/YYYY-MM.jsonl` beside the config (the CLI's). */
  journal?: JournalTarget;
  now?: () => Date;
}

export interface SessionOutcome extends ApplyOutcome {
  /** The journal file this run appended to. */
  journalFile: string;
}

const FAILURES_LOGGED = 20;

/** The CLI's journal: beside the config, named by month, masked as report.personalData says. */
export function localJournal(session: Session, now: Date): JournalTarget {
  const file = localJournalFile(session.loaded.file, now);
  return {
    // The journal is beside the config, so the config's file name is what tells a trust's configs apart in it.
    file, run: localRunId(now), personalData: session.loaded.config.report.personalData, config: path.basename(session.loaded.file),
  };
}

/**
 * Runs the session's plan, journals every change as it finishes, and sends the summary mail; failed changes are
 * logged by key (never by name).
 */
export async function applySession(session: Session, opts: ApplySessionOptions): Promise<SessionOutcome> {
  const { plan, loaded } = session;
  const { log } = opts;
  const now = opts.now ?? (() => new Date());
  log.info(`applying ${plan.changes.length} change(s) (checksum ${plan.checksum.slice(0, 12)})`);
  const people = new Map(session.roster.people.map((p) => [p.id as string, p]));
  // A blocked plan throws here, before the journal is opened (applyPlan checks again, whoever calls it).
  raiseIfRefused(plan, opts.approval);
  // Opened before anything is written: a journal that cannot be kept stops the run while nothing has happened.
  const journal = await JournalWriter.open(opts.journal ?? localJournal(session, now()), plan, log, now);
  let outcome: ApplyOutcome;
  try {
    outcome = await applyPlan(plan, {
      config: loaded.config, writer: session.tenant.writer, log,
      person: (id) => people.get(id), onPasswordsFile: opts.onPasswordsFile,
      onResult: (r, c) => journal.write(c, r),
      ...(opts.approval ? { approval: opts.approval } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  } finally {
    const lines = await journal.close();
    if (lines) log.info(`journal: ${lines} line(s) appended to ${journal.file}`);
  }
  if (outcome.passwordsFile) log.info(`first passwords written, encrypted, to ${outcome.passwordsFile} (rollcall passwords open ${outcome.passwordsFile} --identity KEY-FILE)`);
  for (const r of outcome.failures.slice(0, FAILURES_LOGGED)) {
    log.error(`${r.kind} ${r.action} ${r.key}: ${r.error ? `${r.error.status} ${r.error.code}: ${r.error.message}` : r.detail ?? 'failed'}`);
  }
  if (outcome.counts.failed > FAILURES_LOGGED) log.error(`… and ${outcome.counts.failed - FAILURES_LOGGED} more failed change(s)`);
  await sendSummaryMail({ plan, outcome }, loaded.config, session.tenant.writer, log);
  const refused = await permissionsRefused(session, outcome);
  if (refused) throw refused;
  return { ...outcome, journalFile: journal.file };
}

/**
 * Changes Graph refused for lack of permission end the run with one error naming what to grant: every such change
 * fails the same way until an administrator grants it. With the token's roles at hand, only the permissions it
 * lacks are named.
 */
async function permissionsRefused(session: Session, outcome: ApplyOutcome): Promise<TenantError | undefined> {
  const denied = outcome.failures.flatMap((f) => f.error?.status === 403 ? f.error.missingPermissions ?? [] : []);
  if (!denied.length) return undefined;
  const roles = await session.tenant.grantedPermissions().catch(() => undefined);
  const granted = new Set((roles ?? []).map((r) => r.toLowerCase()));
  const lacking = roles ? denied.filter((m) => !m.anyOf.some((p) => granted.has(p.toLowerCase()))) : denied;
  const refusedChanges = outcome.failures.filter((f) => f.error?.status === 403).length;
  return permissionsError(`${refusedChanges} change(s) not applied`, lacking.length ? lacking : denied);
}
