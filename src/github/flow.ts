// The one skeleton every planning flow follows: validate the config → plan (read the MIS and the tenant) →
// decide → apply and report, or not → close the tenant, whatever happened. The flows (merge, scheduled, the
// explicit modes, pull requests) differ only in what they say and decide; they fill in the hooks.
import type { LoadedConfig } from '../config/load.js';
import { applySession } from '../engine/apply-session.js';
import { planSession, type Session } from '../engine/run.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Approval } from '../plan/refusal.js';
import type { PersonalData } from '../render/index.js';
import { personalDataFor, validateConfig, type GitOpsRun } from './run.js';

export interface Counts { done: number; skipped: number; failed: number }

/** The decision to write: what lets a blocked plan through, and what to say once it is applied. */
export interface Go {
  approval?: Approval;
  /** Runs after the apply, before the summary line (the merge's comment, closing a review pull request). */
  applied?: (counts: Counts) => Promise<void>;
}

export interface FlowHooks {
  /** The config does not load: say so (the step fails); nothing is read. */
  notLoaded(err: ConfigError): Promise<void>;
  /**
   * The config to plan with, or undefined when the flow ends before reading (a fork; a base branch without a
   * connection). Without this hook the config is planned as it loaded.
   */
  prepare?(loaded: LoadedConfig): Promise<LoadedConfig | undefined>;
  /** Reading the MIS or the tenant failed: a last word before the error fails the step. */
  planFailed?(err: unknown): Promise<void>;
  /** Publishes the plan and decides; a Go applies it. The tenant is still open (a pull request plans the base too). */
  decide(session: Session, seen: { loaded: LoadedConfig; personalData: PersonalData }): Promise<Go | undefined>;
}

export async function planFlow(run: GitOpsRun, hooks: FlowHooks): Promise<void> {
  const loaded = await validateConfig(run);
  if (loaded instanceof ConfigError) return hooks.notLoaded(loaded);
  const personalData = personalDataFor(run, loaded);
  const planWith = hooks.prepare ? await hooks.prepare(loaded) : loaded;
  if (!planWith) return;
  let session: Session;
  try {
    session = await planSession({ configPath: run.configFile, log: run.log, ...(hooks.prepare ? { loaded: planWith } : {}), ...(run.inputs.options.asOf ? { asOf: run.inputs.options.asOf } : {}), ...(run.inputs.options.only ? { only: run.inputs.options.only } : {}) });
  } catch (err) {
    await hooks.planFailed?.(err);
    throw err;
  }
  try {
    const go = await hooks.decide(session, { loaded, personalData });
    if (go) await applyAndReport(run, session, go);
  } finally {
    await session.tenant.close();
  }
}

/** Applies the session's plan; the counts go to the summary, and a failed change fails the step. */
async function applyAndReport(run: GitOpsRun, session: Session, go: Go): Promise<void> {
  const outcome = await applySession(session, {
    log: run.log, ...(go.approval ? { approval: go.approval } : {}), onProgress: progressEvery(run.log),
    onPasswordsFile: (f) => run.step.output('passwords-file', f),
  });
  run.step.output('applied', 'true');
  await go.applied?.(outcome.counts);
  const { done, skipped, failed } = outcome.counts;
  await run.step.summary(`\n\n**Applied:** ${done} done, ${skipped} skipped, ${failed} failed.\n`);
  if (failed) run.step.fail(`${failed} change(s) failed; see the log (changes are named by key)`);
}

/** On a runner a bar cannot redraw: a line every tenth of the way. */
export function progressEvery(log: Logger): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    const tenth = total ? Math.floor((done * 10) / total) : 10;
    if (tenth !== shown) { shown = tenth; log.info(`applied ${done} of ${total}`); }
  };
}
