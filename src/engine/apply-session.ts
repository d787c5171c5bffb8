// Applying a planned session: the part of `rollcall apply` that the action shares once it has decided to go ahead.
import { applyPlan, type ApplyOutcome } from '../apply/apply.js';
import { sendSummaryMail } from '../apply/summary-mail.js';
import type { Logger } from '../log.js';
import type { Approval } from '../plan/refusal.js';
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
}

const FAILURES_LOGGED = 20;

/** Runs the session's plan and sends the summary mail; failed changes are logged by key (never by name). */
export async function applySession(session: Session, opts: ApplySessionOptions): Promise<ApplyOutcome> {
  const { plan, loaded } = session;
  const { log } = opts;
  log.info(`applying ${plan.changes.length} change(s) (checksum ${plan.checksum.slice(0, 12)})`);
  const people = new Map(session.roster.people.map((p) => [p.id as string, p]));
  const outcome = await applyPlan(plan, {
    config: loaded.config, writer: session.tenant.writer, log,
    person: (id) => people.get(id), onPasswordsFile: opts.onPasswordsFile,
    ...(opts.approval ? { approval: opts.approval } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  if (outcome.passwordsFile) log.info(`first passwords written, encrypted, to ${outcome.passwordsFile} (rollcall passwords open ${outcome.passwordsFile} --identity KEY-FILE)`);
  for (const r of outcome.failures.slice(0, FAILURES_LOGGED)) {
    log.error(`${r.kind} ${r.action} ${r.key}: ${r.error ? `${r.error.status} ${r.error.code}: ${r.error.message}` : r.detail ?? 'failed'}`);
  }
  if (outcome.counts.failed > FAILURES_LOGGED) log.error(`… and ${outcome.counts.failed - FAILURES_LOGGED} more failed change(s)`);
  await sendSummaryMail(plan, outcome, loaded.config, session.tenant.writer, log);
  const refused = await permissionsRefused(session, outcome);
  if (refused) throw refused;
  return outcome;
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
