// schedule / workflow_dispatch: plan; apply when within limits and the config allows it
// (schedule.autoApply: withinLimits); otherwise one review pull request that approves exactly this plan.
import { refusalOf } from '../plan/refusal.js';
import { sendSummaryMail } from '../apply/summary-mail.js';
import type { Session } from '../engine/run.js';
import type { Plan } from '../plan/types.js';
import { renderPlan, type PersonalData } from '../render/index.js';
import { approvalPath } from './approval.js';
import { runUrl } from './context.js';
import { planFlow } from './flow.js';
import { parsePlanMarker, planMarker } from './marker.js';
import { publishable, publishPlan } from './publish.js';
import { isOwnReviewPull } from './pulls.js';
import { closeReviewPull, openReviewPull, pushReviewBranch, reviewBranch, upsertReviewPull } from './review-pr.js';
import { schemeFor, type GitOpsRun } from './run.js';

export async function scheduledFlow(run: GitOpsRun): Promise<void> {
  const branch = reviewBranch(run.configRel);
  const closeMarker = `<!-- rollcall:review-closed config=${encodeURIComponent(run.configRel)} -->\n`;
  await planFlow(run, {
    notLoaded: async () => run.step.fail(`${run.configRel}: the configuration does not load; nothing was planned`),
    decide: async (session, { loaded, personalData: pd }) => {
      const { plan } = session;
      const autoApply = loaded.config.schedule.autoApply;
      const publish = (headline: string) => publishPlan(run.step, plan, pd, run.configRel, run.ctx.runnerTemp, headline);
      if (!plan.changes.length) {
        await publish('**Scheduled run**: nothing to change.');
        if (run.gh) await closeReviewPull(run.gh, run.repo, branch, 'The tenant is in step with the MIS now; this review is no longer needed.', closeMarker, run.writer);
        run.step.output('applied', 'false');
        // A quiet night is mailed too (report.summaryWhen: always), so a missing mail means a run that did not happen.
        await mailSummary(run, session, {});
        return undefined;
      }
      if (autoApply === 'withinLimits' && !plan.blocked.length) {
        await publish(`**Scheduled run**: applying ${plan.changes.length} change(s), within the safety limits.`);
        return {
          applied: async () => {
            if (run.gh) await closeReviewPull(run.gh, run.repo, branch, `The scheduled run applied a newer plan (\`${plan.checksum.slice(0, 12)}\`) within the safety limits; this review is no longer needed.`, closeMarker, run.writer);
          },
        };
      }
      // A configuration problem is not a judgement call: a review pull request would ask people to approve a plan no
      // approval can apply. The run fails instead, so the school sees it and fixes the file.
      const refusal = refusalOf(plan);
      if (refusal && !refusal.approvable) {
        await publish(`**Scheduled run**: not applied: ${refusal.message}.`);
        run.step.output('applied', 'false');
        run.step.fail(`${refusal.message}; nothing was written (a review pull request cannot approve a configuration problem)`);
        await mailSummary(run, session, { notApplied: 'a configuration problem blocks the plan: fix the configuration' });
        return undefined;
      }
      const why = plan.blocked.length
        ? `the plan crosses ${plan.blocked.map((b) => b.rule).join(', ')}`
        : 'schedule.autoApply is never: every change is reviewed';
      await publish(`**Scheduled run**: not applied (${why}); a review pull request carries it.`);
      run.step.output('applied', 'false');
      if (!run.gh) {
        run.log.warn('no github-token: cannot open the review pull request');
        await mailSummary(run, session, { notApplied: why });
        return undefined;
      }
      // The same plan as the open review: leave it be, so reviewers are not notified of a change that is none.
      const open = await openReviewPull(run.gh, run.repo, branch);
      const carried = open?.body && isOwnReviewPull(open, run.writer) ? parsePlanMarker(open.body, run.configRel) : undefined;
      if (open && carried?.checksum === plan.checksum) {
        run.log.info(`review pull request #${open.number} already carries this plan (${plan.checksum.slice(0, 12)})`);
        run.step.output('review-pull-request', String(open.number));
        await mailSummary(run, session, { notApplied: why, review: { number: open.number, url: open.html_url } });
        return undefined;
      }
      await pushReviewBranch(run.ctx.workspace, run.ctx.sha, run.configRel, plan, run.ctx.runnerTemp);
      const title = `rollcall: review ${plan.changes.length} change(s) for ${plan.school.name}${plan.blocked.length ? ' (blocked by a safety limit)' : ''}`;
      const { pull, created } = await upsertReviewPull(run.gh, run.repo, branch, run.facts.defaultBranch, title, reviewBody(run, plan, pd, why));
      run.log.info(`${created ? 'opened' : 'updated'} review pull request #${pull.number}`);
      run.step.output('review-pull-request', String(pull.number));
      await mailSummary(run, session, { notApplied: why, review: { number: pull.number, url: pull.html_url } });
      return undefined;
    },
  });
}

/** The summary mail of a run that applied nothing (an apply mails its own, with its outcome). */
async function mailSummary(run: GitOpsRun, session: Session, report: { notApplied?: string; review?: { number: number; url?: string } }): Promise<void> {
  await sendSummaryMail({ plan: session.plan, ...report }, session.loaded.config, session.tenant.writer, run.log);
}

function reviewBody(run: GitOpsRun, plan: Plan, pd: PersonalData, why: string): string {
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
