// push to the default branch: the merge. Re-plan from live reads, decide against what was reviewed, apply or
// refuse, and say which on the pull request.
import { renderPlan } from '../render/index.js';
import { md } from '../render/markdown.js';
import { approvalPath, readApproval } from './approval.js';
import { upsertComment } from './comments.js';
import { runUrl } from './context.js';
import { planFlow } from './flow.js';
import { mergeMarker, type PlanMarker } from './marker.js';
import { decideMerge } from './merge-gate.js';
import { GitHubApiError } from './octokit.js';
import { publishable, publishPlan } from './publish.js';
import { isOwnReviewPull, mergedPullFor, reviewedPlan, type PullRequest } from './pulls.js';
import { schemeFor, type GitOpsRun } from './run.js';

export async function mergeFlow(run: GitOpsRun): Promise<void> {
  await planFlow(run, {
    notLoaded: async () => run.step.fail(`${run.configRel}: the configuration does not load; nothing was applied`),
    decide: async ({ plan }, { personalData: pd }) => {
      const { pr, reviewed, approved, forged } = await whatWasReviewed(run);
      const decision = decideMerge(plan, reviewed, approved, schemeFor(run));
      await publishPlan(run.step, plan, pd, run.configRel, run.ctx.runnerTemp, `**Merge**${pr ? ` of #${pr.number}` : ''}: ${decision.apply ? 'applying' : 'not applying'}: ${decision.why}.`);
      if (!decision.apply) {
        run.step.output('applied', 'false');
        if ('nothing' in decision && decision.nothing) {
          run.log.info('nothing to change');
          return undefined;
        }
        const unreviewed = 'unreviewed' in decision ? decision.unreviewed : [];
        const listed = unreviewed.length && pd !== 'counts'
          ? `\n\n${renderPlan(publishable({ ...plan, changes: unreviewed, blocked: [], unsynced: [], warnings: [], notes: [] }), { format: 'markdown', personalData: pd, maxChars: 20_000, title: 'Destructive changes nobody reviewed' })}`
          : '';
        await say(run, pr, `> [!CAUTION]\n> **rollcall applied nothing** for \`${md(run.configRel)}\`: ${md(decision.why)}.\n\n` +
          `The plan now is \`${plan.checksum.slice(0, 12)}\`. To go ahead, review it: open a pull request (its comment shows the plan) or let the scheduled run open its review pull request, and merge that.${listed}`, forged);
        run.step.fail(`nothing applied: ${decision.why}`);
        return undefined;
      }
      run.log.info(`applying: ${decision.why}`);
      return {
        ...(decision.approval ? { approval: decision.approval } : {}),
        applied: async ({ done, skipped, failed }) => {
          await say(run, pr, `${failed ? '> [!WARNING]\n> ' : ''}**rollcall applied** \`${plan.checksum.slice(0, 12)}\` for \`${md(run.configRel)}\` (${md(decision.why)}): ${done} done, ${skipped} skipped, ${failed} failed.`, forged);
        },
      };
    },
  });
}

interface WhatWasReviewed { pr?: PullRequest; reviewed?: PlanMarker; approved?: string; forged: string }

/** The merged pull request, the plan rollcall showed on it, and the approval file if rollcall's own review brought it. */
async function whatWasReviewed(run: GitOpsRun): Promise<WhatWasReviewed> {
  let pr: PullRequest | undefined;
  let reviewed: PlanMarker | undefined;
  let forged = '';
  let lookedUp = !run.gh;
  try {
    pr = run.gh ? await mergedPullFor(run.gh, run.repo, run.ctx.sha, run.facts.defaultBranch) : undefined;
    const found = pr && run.gh ? await reviewedPlan(run.gh, run.repo, pr, run.configRel, run.writer) : undefined;
    reviewed = found?.marker;
    lookedUp = true;
    // A marker rollcall did not write is never the reviewed plan; whoever wrote it, the pull request is told.
    for (const where of found?.forged ?? []) run.log.warn(`ignored a rollcall marker in ${where}: only ${run.writer} writes rollcall's markers`);
    if (found?.forged.length) forged = `\n\n> [!WARNING]\n> rollcall ignored ${found.forged.length} marker(s) it did not write (${md(found.forged.join('; '))}): only its own comment, or its own review pull request, records what was reviewed.`;
  } catch (err) {
    // Without the review, the stricter rule holds: only a plan within the limits (or approved by file) applies.
    if (!(err instanceof GitHubApiError)) throw err;
    run.log.warn(`could not read the merged pull request (${err.message}); applying only within the safety limits`);
  }
  // The approval file is rollcall's too: it counts when rollcall's own review pull request brought it, or a direct
  // push (which needs the right to push to the default branch); anyone's pull request could add one with the
  // checksum its comment showed.
  const fileApproval = await readApproval(run.ctx.workspace, run.configRel);
  const approvalTrusted = pr ? isOwnReviewPull(pr, run.writer) : lookedUp;
  const approved = approvalTrusted ? fileApproval : undefined;
  if (fileApproval && !approvalTrusted) run.log.warn(`ignored ${approvalPath(run.configRel)}: ${pr ? `pull request #${pr.number} is not rollcall's review pull request` : 'the merged pull request could not be read'}, and only that approves a plan by file`);
  run.log.info(`merge of ${pr ? `pull request #${pr.number}` : `commit ${run.ctx.sha.slice(0, 12)} (no pull request found)`}; reviewed plan ${reviewed ? reviewed.checksum.slice(0, 12) : 'none'}${approved ? `; approval file for ${approved.slice(0, 12)}` : ''}`);
  return { ...(pr ? { pr } : {}), ...(reviewed ? { reviewed } : {}), ...(approved ? { approved } : {}), forged };
}

async function say(run: GitOpsRun, pr: PullRequest | undefined, text: string, forged = ''): Promise<void> {
  if (!pr || !run.gh) {
    run.log.info(text.replace(/^> (\[!\w+\]\n> )?/, ''));
    return;
  }
  const marker = mergeMarker(run.configRel);
  const url = runUrl(run.ctx);
  await upsertComment(run.gh, run.repo, pr.number, marker, `${marker}${text}${forged}${url ? `\n\n<sub>[The run](${url}) has the whole plan in its summary.</sub>` : ''}\n`, run.writer);
}
