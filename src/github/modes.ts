// The explicit modes, each what its CLI command does: validate, plan (writes nothing), apply (blocked plans only
// with `approve` naming their checksum).
import { ConfigError } from '../errors.js';
import { approvalFor, refusalOf } from '../plan/refusal.js';
import { runCheck } from '../engine/check.js';
import { renderCheck } from '../render/check.js';
import { planFlow } from './flow.js';
import { publishPlan } from './publish.js';
import { redactIds } from '../render/mask.js';
import { validateConfig, type GitOpsRun } from './run.js';

export async function validateMode(run: GitOpsRun): Promise<void> {
  const loaded = await validateConfig(run);
  if (loaded instanceof ConfigError) run.step.fail(`${run.configRel}: the configuration does not load`);
  else run.log.info(`${run.configRel}: valid`);
}

/** What `rollcall check` does: the report in the log and the job summary, `missing` as an output, failed if any. */
export async function checkMode(run: GitOpsRun): Promise<void> {
  const loaded = await validateConfig(run);
  if (loaded instanceof ConfigError) return run.step.fail(`${run.configRel}: the configuration does not load`);
  const report = await runCheck(loaded, { log: run.log });
  const text = renderCheck(report, run.configRel);
  for (const line of text.trimEnd().split('\n')) run.log.info(line);
  await run.step.summary(`### rollcall check\n\n\`\`\`text\n${text}\`\`\`\n`);
  run.step.output('missing', String(report.missing));
  if (report.missing) run.step.fail(`${run.configRel}: ${report.missing} thing(s) missing for this configuration to run (see the job summary)`);
}

export async function planOrApplyMode(run: GitOpsRun, apply: boolean): Promise<void> {
  await planFlow(run, {
    notLoaded: async () => run.step.fail(`${run.configRel}: the configuration does not load`),
    decide: async ({ plan }, { personalData }) => {
      const { approval, mismatch } = approvalFor(run.inputs.options.approve, plan);
      const refusal = refusalOf(plan, approval);
      const approved = plan.blocked.length > 0 && !refusal;
      const go = apply && plan.changes.length > 0 && !refusal && !mismatch;
      // The selectors as typed; a public repository's summary names no MIS id (the same rule as its log).
      const only = run.inputs.options.only ? ` for only ${run.inputs.options.only.map((s) => `\`${run.facts.public ? redactIds(s.text) : s.text}\``).join(', ')}` : '';
      await publishPlan(run.step, plan, personalData, run.configRel, run.ctx.runnerTemp, `**${apply ? 'Apply' : 'Plan'}${only}**: ${plan.changes.length} change(s)${plan.blocked.length ? `, blocked by ${plan.blocked.map((b) => b.rule).join(', ')}${approved ? ' (approved by checksum)' : ''}` : ''}.`);
      if (!go) run.step.output('applied', 'false');
      if (mismatch && apply) {
        run.step.fail(mismatch);
        return undefined;
      }
      if (refusal) {
        run.step.fail(refusal.approvable
          ? `plan blocked by ${plan.blocked.map((b) => b.rule).join(', ')}; nothing was written. To apply exactly this plan, set the input approve: ${plan.checksum}`
          : `${refusal.message}; nothing was written (the approve input cannot let this through)`);
        return undefined;
      }
      return go ? { ...(approval ? { approval } : {}) } : undefined;
    },
  });
}
