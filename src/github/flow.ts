// The one skeleton every planning flow follows: validate the config → plan (read the MIS and the tenant) →
// decide → apply and report, or not → close the tenant, whatever happened. The flows (merge, scheduled, the
// explicit modes, pull requests) differ only in what they say and decide; they fill in the hooks.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { localRunId, type JournalTarget } from '../apply/journal.js';
import { applySession } from '../engine/apply-session.js';
import { planSession, type Session } from '../engine/run.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Approval } from '../plan/refusal.js';
import type { PersonalData } from '../render/index.js';
import { actionDeltaState } from './delta-cache.js';
import { appendToJournalBranch, JOURNAL_BRANCH, journalBranchPath } from './journal-branch.js';
import { publishable } from './publish.js';
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
    const delta = await actionDeltaState(run, planWith, run.stateCache, run.inputs.stateKey);
    session = await planSession({
      configPath: run.configFile, log: run.log, ...(hooks.prepare ? { loaded: planWith } : {}), ...(run.inputs.options.asOf ? { asOf: run.inputs.options.asOf } : {}), ...(run.inputs.options.only ? { only: run.inputs.options.only } : {}),
      ...(delta ? { deltaState: { store: delta.store, ...(run.inputs.options.fullRead ? { fullRead: true } : {}) } } : {}),
    });
    await delta?.keep();
  } catch (err) {
    await hooks.planFailed?.(err);
    throw err;
  }
  try {
    const go = await hooks.decide(session, { loaded, personalData });
    if (go) await applyAndReport(run, session, go, personalData);
  } finally {
    await session.tenant.close();
  }
}

/**
 * Applies the session's plan; the counts go to the summary, the journal to its artifact (and the journal branch),
 * and a failed change fails the step.
 */
async function applyAndReport(run: GitOpsRun, session: Session, go: Go, personalData: PersonalData): Promise<void> {
  const startedAt = new Date();
  const journal = actionJournal(run, personalData, startedAt);
  let outcome;
  try {
    outcome = await applySession(session, {
      log: run.log, ...(go.approval ? { approval: go.approval } : {}), onProgress: progressEvery(run.log),
      onPasswordsFile: (f) => run.step.output('passwords-file', f), journal,
    });
  } finally {
    // What was done is recorded even when the apply stopped halfway.
    await keepJournal(run, session, journal, startedAt);
  }
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

/**
 * The run's journal: a file of its own in the runner's temp folder (the `journal-file` output, for
 * actions/upload-artifact), masked as this repository may publish, since artifacts and the branch are read by
 * everyone with access to it (a public repository's ids pseudonymised).
 */
function actionJournal(run: GitOpsRun, personalData: PersonalData, startedAt: Date): JournalTarget {
  const slug = run.configRel.replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'rollcall';
  return {
    file: path.join(run.ctx.runnerTemp, `rollcall-journal-${slug}.jsonl`),
    run: run.ctx.runId ?? localRunId(startedAt), config: run.configRel, personalData, view: publishable,
  };
}

async function keepJournal(run: GitOpsRun, session: Session, journal: JournalTarget, startedAt: Date): Promise<void> {
  const exists = await stat(journal.file).then((st) => st.size > 0, () => false);
  if (!exists) return;
  run.step.output('journal-file', journal.file);
  if (session.loaded.config.report.journal !== 'branch') return;
  if (!run.gh) {
    run.log.warn(`report.journal is branch but there is no github-token: the journal is only in the artifact`);
    return;
  }
  const where = journalBranchPath(run.configRel, startedAt, journal.run);
  try {
    await appendToJournalBranch(run.gh, run.repo, journal.file, where, `rollcall: journal of run ${journal.run} for ${run.configRel}`, run.log);
    run.log.info(`journal added to ${JOURNAL_BRANCH} as ${where}`);
  } catch (err) {
    // The tenant has changed either way; the artifact still holds the journal.
    run.log.warn(`could not add the journal to ${JOURNAL_BRANCH} (${(err as Error).message}); it is in the journal-file artifact`);
  }
}
