// schedule / workflow_dispatch: plan; apply when within limits and the config allows it
// (schedule.autoApply: withinLimits); otherwise one review pull request that approves exactly this plan.
import * as core from '@actions/core';
import { applySession } from '../engine/apply-session.js';
import { planSession } from '../engine/run.js';
import { ConfigError } from '../errors.js';
import { approvalPath } from '../github/approval.js';
import { runUrl } from '../github/context.js';
import { parsePlanMarker, planMarker } from '../github/marker.js';
import { isOwnReviewPull } from '../github/pulls.js';
import { closeReviewPull, openReviewPull, pushReviewBranch, reviewBranch, upsertReviewPull } from '../github/review-pr.js';
import type { Plan } from '../plan/types.js';
import { renderPlan, type PersonalData } from '../render/index.js';
import { personalDataFor, schemeFor, validateConfig, type ActionRun } from './context.js';
import { progressEvery } from './merge.js';
import { publishable, publishPlan } from './publish.js';

export async function scheduledFlow(run: ActionRun): Promise<void> {
  const loaded = await validateConfig(run);
  if (loaded instanceof ConfigError) {
    core.setFailed(`${run.configRel}: the configuration does not load; nothing was planned`);
    return;
  }
  const pd = personalDataFor(run, loaded);
  const autoApply = loaded.config.schedule?.autoApply ?? 'never';
  const branch = reviewBranch(run.configRel);
  const session = await planSession({ configPath: run.configFile, log: run.log, ...(run.inputs.options.asOf ? { asOf: run.inputs.options.asOf } : {}) });
  try {
    const { plan } = session;
    const closeMarker = `<!-- rollcall:review-closed config=${encodeURIComponent(run.configRel)} -->\n`;
    if (!plan.changes.length) {
      await publishPlan(plan, pd, run.configRel, run.ctx.runnerTemp, '**Scheduled run**: nothing to change.');
      if (run.gh) await closeReviewPull(run.gh, run.repo, branch, 'The tenant is in step with the MIS now; this review is no longer needed.', closeMarker, run.writer);
      core.setOutput('applied', 'false');
      return;
    }
    if (autoApply === 'withinLimits' && !plan.blocked.length) {
      await publishPlan(plan, pd, run.configRel, run.ctx.runnerTemp, `**Scheduled run**: applying ${plan.changes.length} change(s), within the safety limits.`);
      const outcome = await applySession(session, { log: run.log, onProgress: progressEvery(run), onPasswordsFile: (f) => core.setOutput('passwords-file', f) });
      core.setOutput('applied', 'true');
      const { done, skipped, failed } = outcome.counts;
      await core.summary.addRaw(`\n\n**Applied:** ${done} done, ${skipped} skipped, ${failed} failed.\n`).write();
      if (run.gh) await closeReviewPull(run.gh, run.repo, branch, `The scheduled run applied a newer plan (\`${plan.checksum.slice(0, 12)}\`) within the safety limits; this review is no longer needed.`, closeMarker, run.writer);
      if (failed) core.setFailed(`${failed} change(s) failed; see the log (changes are named by key)`);
      return;
    }
    const why = plan.blocked.length
      ? `the plan crosses ${plan.blocked.map((b) => b.rule).join(', ')}`
      : 'schedule.autoApply is never: every change is reviewed';
    await publishPlan(plan, pd, run.configRel, run.ctx.runnerTemp, `**Scheduled run**: not applied (${why}); a review pull request carries it.`);
    core.setOutput('applied', 'false');
    if (!run.gh) {
      core.warning('no github-token: cannot open the review pull request');
      return;
    }
    // The same plan as the open review: leave it be, so reviewers are not notified of a change that is none.
    const open = await openReviewPull(run.gh, run.repo, branch);
    const carried = open?.body && isOwnReviewPull(open, run.writer) ? parsePlanMarker(open.body, run.configRel) : undefined;
    if (open && carried?.checksum === plan.checksum) {
      run.log.info(`review pull request #${open.number} already carries this plan (${plan.checksum.slice(0, 12)})`);
      core.setOutput('review-pull-request', String(open.number));
      return;
    }
    await pushReviewBranch(run.ctx.workspace, run.ctx.sha, run.configRel, plan, run.ctx.runnerTemp);
    const title = `rollcall: review ${plan.changes.length} change(s) for ${plan.school.name}${plan.blocked.length ? ' (blocked by a safety limit)' : ''}`;
    const { pull, created } = await upsertReviewPull(run.gh, run.repo, branch, run.facts.defaultBranch, title, reviewBody(run, plan, pd, why));
    run.log.info(`${created ? 'opened' : 'updated'} review pull request #${pull.number}`);
    core.setOutput('review-pull-request', String(pull.number));
  } finally {
    await session.tenant.close();
  }
}

function reviewBody(run: ActionRun, plan: Plan, pd: PersonalData, why: string): string {
  const marker = planMarker(run.configRel, plan.checksum, plan.changes, schemeFor(run));
  const url = runUrl(run.ctx);
  const head = [
    marker,
    `rollcall did not apply this plan for \`${run.configRel}\`: ${why}.`,
    '',
    `**Merging this pull request applies exactly the plan with checksum \`${plan.checksum}\`**: it adds \`${approvalPath(run.configRel)}\`, which approves that checksum and nothing else. If the MIS or the tenant changes first, the plan changes, the merge applies nothing it was not shown, and the next scheduled run updates this pull request.`,
    '',
  ].join('\n');
  const foot = `\n<sub>The whole plan is in the job summary${url ? ` of [the run](${url})` : ''} and its plan artifact.</sub>\n`;
  return `${head}${renderPlan(publishable(plan), { format: 'markdown', personalData: pd, maxChars: 60_000 - head.length - foot.length })}${foot}`;
}
