// Applying a planned session: the part of `rollcall apply` that the action shares once it has decided to go ahead.
import { applyPlan, type ApplyOutcome } from '../apply/apply.js';
import { sendSummaryMail } from '../apply/summary-mail.js';
import type { Logger } from '../log.js';
import type { Session } from './run.js';

export interface ApplySessionOptions {
  log: Logger;
  onProgress?: (done: number, total: number) => void;
  /** Where the first passwords went, as soon as they are written (the action's `passwords-file` output). */
  onPasswordsFile?: (file: string) => void;
}

/** Runs the session's plan and sends the summary mail; failed changes are logged by key (never by name). */
export async function applySession(session: Session, opts: ApplySessionOptions): Promise<ApplyOutcome> {
  const { plan, loaded } = session;
  const { log } = opts;
  log.info(`applying ${plan.changes.length} change(s) (checksum ${plan.checksum.slice(0, 12)})`);
  const people = new Map(session.roster.people.map((p) => [p.id as string, p]));
  const outcome = await applyPlan(plan, { config: loaded.config, writer: session.tenant.writer, log, person: (id) => people.get(id), onPasswordsFile: opts.onPasswordsFile, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  if (outcome.passwordsFile) log.info(`first passwords written, encrypted, to ${outcome.passwordsFile} (rollcall passwords open ${outcome.passwordsFile} --identity KEY-FILE)`);
  for (const r of outcome.results.filter((x) => x.status === 'failed').slice(0, 20)) {
    log.error(`${r.kind} ${r.action} ${r.key}: ${r.error ? `${r.error.status} ${r.error.code}: ${r.error.message}` : r.detail ?? 'failed'}`);
  }
  await sendSummaryMail(plan, outcome, loaded.config, session.tenant.writer, log);
  return outcome;
}
