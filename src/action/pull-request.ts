// pull_request: validate, plan the head and the base config against the same reads, one comment updated in
// place, a label while the plan is destructive, the whole plan in the job summary. Never a tenant write.
import * as core from '@actions/core';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { planAgainst, sameReads } from '../engine/replan.js';
import { planSession } from '../engine/run.js';
import { ConfigError, RollcallError } from '../errors.js';
import { checkoutBaseConfig } from '../github/base-config.js';
import { upsertComment } from '../github/comments.js';
import { isFork, runUrl, type PullRequestPayload } from '../github/context.js';
import { DESTRUCTIVE_LABEL, setLabel } from '../github/labels.js';
import { planMarker, planMarkerPrefix } from '../github/marker.js';
import { diffPlans } from '../github/plan-diff.js';
import { prCommentBody } from '../github/pr-comment.js';
import { GitHubApiError } from '../github/rest.js';
import type { Plan } from '../plan/types.js';
import { md } from '../render/markdown.js';
import { problemList } from './annotations.js';
import { personalDataFor, validateConfig, type ActionRun } from './context.js';
import { publishPlan } from './publish.js';

export async function pullRequestFlow(run: ActionRun): Promise<void> {
  const pr = run.ctx.payload.pull_request;
  if (!pr) throw new Error(`event ${run.ctx.eventName} has no pull_request in its payload`);
  const loaded = await validateConfig(run);
  const fork = isFork(pr, run.ctx);

  if (loaded instanceof ConfigError) {
    await comment(run, pr, undefined, [], [
      `> [!CAUTION]\n> **The configuration does not load**; nothing was planned. Fix these (they are also annotated on the files):`,
      problemList(loaded.problems, run.ctx.workspace) || loaded.message,
    ].join('\n\n'));
    core.setFailed(`${run.configRel}: the configuration does not load (${loaded.problems.filter((p) => p.severity === 'error').length} problem(s))`);
    return;
  }
  if (fork) {
    // A fork's run has no secrets (no MIS password, no OIDC token): it cannot read the MIS or the tenant.
    await comment(run, pr, undefined, [], `> [!NOTE]\n> **Validated only.** This pull request comes from a fork, whose runs get no secrets, so rollcall checked \`${run.configRel}\` but did not read the MIS or the tenant. The configuration is valid. Its plan will be shown when the change is proposed from a branch of this repository, and is checked again when it merges.`);
    core.summary.addRaw(`rollcall: \`${run.configRel}\` is valid (pull request from a fork: validated only, not planned).\n`);
    await core.summary.write();
    return;
  }

  const pd = personalDataFor(run, loaded);
  let session: Awaited<ReturnType<typeof planSession>>;
  try {
    session = await planSession({ configPath: run.configFile, log: run.log, ...(run.inputs.options.asOf ? { asOf: run.inputs.options.asOf } : {}) });
  } catch (err) {
    // Reading the MIS or the tenant failed: the comment must not go on showing an older plan as if it were current.
    if (err instanceof RollcallError) {
      // A source's message can quote a record; a public repository gets only the pointer to the log.
      const why = run.facts.public ? 'see the job log' : md(err.message);
      await comment(run, pr, undefined, [], `> [!CAUTION]\n> **rollcall could not plan** \`${run.configRel}\`: ${why}${err.retryable ? ' (this may pass if the run is retried)' : ''}`);
    }
    throw err;
  }
  let head: Plan;
  let base: Plan | undefined;
  const notices: string[] = [];
  try {
    head = session.plan;
    let baseTree: Awaited<ReturnType<typeof checkoutBaseConfig>> | null;
    try {
      baseTree = await checkoutBaseConfig(run.ctx.workspace, pr.base.sha, run.configRel, run.ctx.runnerTemp);
    } catch (err) {
      run.log.warn(`could not read the base commit ${pr.base.sha.slice(0, 12)} with git: ${(err as Error).message.split('\n')[0]}`);
      baseTree = null;
    }
    if (baseTree === null) {
      notices.push(`> [!NOTE]\n> The base branch's config could not be read with git, so every change is shown as this pull request's.`);
    } else if (!baseTree) {
      notices.push(`> [!NOTE]\n> \`${run.configRel}\` does not exist on the base branch: every change is this pull request's.`);
    } else {
      let baseLoaded: LoadedConfig | undefined;
      try {
        baseLoaded = await loadConfig(baseTree.configFile);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        notices.push(`> [!NOTE]\n> The base branch's \`${run.configRel}\` does not load, so every change is shown as this pull request's.`);
      }
      if (baseLoaded) {
        const same = sameReads({ loaded: session.loaded, root: run.ctx.workspace }, { loaded: baseLoaded, root: baseTree.root });
        if (!same.source || !same.tenant) {
          notices.push(`> [!WARNING]\n> This pull request changes which ${[!same.source && 'MIS', !same.tenant && 'tenant'].filter(Boolean).join(' and ')} rollcall reads. Both plans below were made from the new reads, so "pending anyway" is what the base branch's rules would do there, not what it does today.`);
        }
        base = await planAgainst(session, baseLoaded);
      }
    }
  } finally {
    await session.tenant.close();
  }

  const diff = diffPlans(head, base);
  const marker = planMarker(run.configRel, head.checksum, head.changes);
  const url = runUrl(run.ctx);
  const body = prCommentBody({ marker, configRel: run.configRel, head, ...(base ? { base } : {}), diff, personalData: pd, notices, ...(url ? { runUrl: url } : {}) });
  await comment(run, pr, head, head.changes, body, marker);
  const destructive = head.changes.some((c) => c.destructive);
  if (run.gh) {
    await setLabel(run.gh, run.route, pr.number, DESTRUCTIVE_LABEL, destructive, pr.labels?.map((l) => l.name)).catch((err) => {
      run.log.warn(`could not ${destructive ? 'add' : 'remove'} the ${DESTRUCTIVE_LABEL} label: ${(err as Error).message}`);
    });
  }
  const own = diff.introduced.length + diff.altered.length;
  await publishPlan(head, pd, run.configRel, run.ctx.runnerTemp,
    `**Pull request #${pr.number}**: ${own} change(s) of its own, ${diff.withdrawn.length} stopped, ${diff.pending.length} pending anyway${head.blocked.length ? '; **blocked** by a safety limit' : ''}. Nothing was written to the tenant.`);
}

async function comment(run: ActionRun, pr: PullRequestPayload, plan: Plan | undefined, changes: Plan['changes'], text: string, marker?: string): Promise<void> {
  const m = marker ?? planMarker(run.configRel, plan?.checksum, changes);
  const body = text.startsWith(planMarkerPrefix(run.configRel)) ? text : `${m}## rollcall · ${run.configRel}\n\n${text}\n`;
  if (!run.gh) {
    run.log.warn('no github-token: the plan is in the job summary only');
    return;
  }
  try {
    const { created } = await upsertComment(run.gh, run.route, pr.number, planMarkerPrefix(run.configRel), body);
    run.log.info(`${created ? 'commented on' : 'updated the comment on'} pull request #${pr.number}`);
  } catch (err) {
    // A fork's token is read-only: the summary and the annotations still say everything.
    if (err instanceof GitHubApiError && (err.status === 403 || err.status === 404)) {
      run.log.warn(`could not comment on pull request #${pr.number} (${err.status}): the token cannot write to pull requests here; see the job summary`);
      return;
    }
    throw err;
  }
}
