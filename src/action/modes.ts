// The explicit modes, each what its CLI command does: validate, plan (writes nothing), apply (blocked plans only
// with `approve` naming their checksum).
import * as core from '@actions/core';
import { applySession } from '../engine/apply-session.js';
import { planSession } from '../engine/run.js';
import { ConfigError } from '../errors.js';
import { refusalOf, type Approval } from '../plan/refusal.js';
import { personalDataFor, validateConfig, type ActionRun } from './context.js';
import { progressEvery } from './merge.js';
import { publishPlan } from './publish.js';

export async function validateMode(run: ActionRun): Promise<void> {
  const loaded = await validateConfig(run);
  if (loaded instanceof ConfigError) core.setFailed(`${run.configRel}: the configuration does not load`);
  else core.info(`${run.configRel}: valid`);
}

export async function planOrApplyMode(run: ActionRun, apply: boolean): Promise<void> {
  const loaded = await validateConfig(run);
  if (loaded instanceof ConfigError) {
    core.setFailed(`${run.configRel}: the configuration does not load`);
    return;
  }
  const pd = personalDataFor(run, loaded);
  const session = await planSession({ configPath: run.configFile, log: run.log, ...(run.inputs.options.asOf ? { asOf: run.inputs.options.asOf } : {}) });
  try {
    const { plan } = session;
    const approval: Approval | undefined = run.inputs.options.approve ? { checksum: run.inputs.options.approve } : undefined;
    const refusal = refusalOf(plan, approval);
    const approved = plan.blocked.length > 0 && !refusal;
    const go = apply && plan.changes.length > 0 && !refusal;
    await publishPlan(plan, pd, run.configRel, run.ctx.runnerTemp, `**${apply ? 'Apply' : 'Plan'}**: ${plan.changes.length} change(s)${plan.blocked.length ? `, blocked by ${plan.blocked.map((b) => b.rule).join(', ')}${approved ? ' (approved by checksum)' : ''}` : ''}.`);
    core.setOutput('applied', go ? 'true' : 'false');
    if (refusal) {
      core.setFailed(refusal.approvable
        ? `plan blocked by ${plan.blocked.map((b) => b.rule).join(', ')}; nothing was written. To apply exactly this plan, set the input approve: ${plan.checksum}`
        : `${refusal.message}; nothing was written (the approve input cannot let this through)`);
      return;
    }
    if (!go) return;
    const outcome = await applySession(session, { log: run.log, ...(approval ? { approval } : {}), onProgress: progressEvery(run), onPasswordsFile: (f) => core.setOutput('passwords-file', f) });
    const { done, skipped, failed } = outcome.counts;
    await core.summary.addRaw(`\n\n**Applied:** ${done} done, ${skipped} skipped, ${failed} failed.\n`).write();
    if (failed) core.setFailed(`${failed} change(s) failed; see the log (changes are named by key)`);
  } finally {
    await session.tenant.close();
  }
}
