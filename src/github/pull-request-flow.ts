// pull_request: validate, plan the head and the base config against the same reads, one comment updated in
// place, a label while the plan is destructive, the whole plan in the job summary. Never a tenant write. The
// reads are made with the base branch's connection (connection.ts): the head only ever brings policy.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Problem } from '../config/problems.js';
import { planAgainst } from '../engine/replan.js';
import { ConfigError, RollcallError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { PersonalData } from '../render/index.js';
import { pseudonymiser } from '../render/mask.js';
import { md } from '../render/markdown.js';
import { checkoutBaseConfig, type BaseTree } from './base-config.js';
import { ignoredMarkersNote, upsertComment, type IssueComment } from './comments.js';
import { connectionDiff, connectionOf, effectiveConfig, reroot, writesConnection, type Connection } from './connection.js';
import { isFork, runUrl, type PullRequestPayload } from './context.js';
import { planFlow } from './flow.js';
import { DESTRUCTIVE_LABEL, setLabel } from './labels.js';
import { planMarker, planMarkerPrefix } from './marker.js';
import { GitHubApiError } from './octokit.js';
import { diffPlans } from './plan-diff.js';
import { prCommentBody } from './pr-comment.js';
import { publishPlan } from './publish.js';
import { schemeFor, type GitOpsRun } from './run.js';
import { maskConfigSecrets } from './secrets.js';

export async function pullRequestFlow(run: GitOpsRun): Promise<void> {
  const pr = run.ctx.payload.pull_request;
  if (!pr) throw new Error(`event ${run.ctx.eventName} has no pull_request in its payload`);
  let conn: Extract<BaseConnection, { connection: Connection }> | undefined;
  await planFlow(run, {
    notLoaded: async (err) => {
      await comment(run, pr, undefined, [], [
        `> [!CAUTION]\n> **The configuration does not load**; nothing was planned. Fix these (they are also annotated on the files):`,
        problemList(err.problems, run.ctx.workspace) || err.message,
      ].join('\n\n'));
      run.step.fail(`${run.configRel}: the configuration does not load (${err.problems.filter((p) => p.severity === 'error').length} problem(s))`);
    },
    prepare: async (loaded) => {
      if (isFork(pr, run.ctx)) {
        // A fork's run has no secrets (no MIS password, no OIDC token): it cannot read the MIS or the tenant.
        await comment(run, pr, undefined, [], `> [!NOTE]\n> **Validated only.** This pull request comes from a fork, whose runs get no secrets, so rollcall checked \`${run.configRel}\` but did not read the MIS or the tenant. The configuration is valid. Its plan will be shown when the change is proposed from a branch of this repository, and is checked again when it merges.`);
        await run.step.summary(`rollcall: \`${run.configRel}\` is valid (pull request from a fork: validated only, not planned).\n`);
        return undefined;
      }
      const found = await baseConnection(run, pr, loaded);
      if ('validateOnly' in found) {
        run.log.warn(`validated only: ${found.log}`);
        await comment(run, pr, undefined, [], `> [!NOTE]\n> **Validated only.** ${found.validateOnly} The configuration is valid.${found.settings}`);
        await run.step.summary(`rollcall: \`${run.configRel}\` is valid; validated only, not planned: ${found.log}.\n`);
        return undefined;
      }
      conn = found;
      const effective = effectiveConfig(loaded, found.connection, run.inputs.readClientId ? { clientId: run.inputs.readClientId } : {});
      // The secrets read are the base's: mask those (validateConfig masked the ones the head names).
      maskConfigSecrets(effective.config, (v) => run.step.mask(v));
      return effective;
    },
    planFailed: async (err) => {
      // Reading the MIS or the tenant failed: the comment must not go on showing an older plan as if it were current.
      if (!(err instanceof RollcallError)) return;
      // A source's message can quote a record; a public repository gets only the pointer to the log.
      const why = run.facts.public ? 'see the job log' : md(err.message);
      await comment(run, pr, undefined, [], `> [!CAUTION]\n> **rollcall could not plan** \`${run.configRel}\`: ${why}${err.retryable ? ' (this may pass if the run is retried)' : ''}`);
    },
    decide: async (session, { personalData: pd }) => {
      const head = session.plan;
      const base = conn!.base ? await planAgainst(session, conn!.base) : undefined;
      await report(run, pr, pd, conn!, head, base);
      return undefined; // a pull request's run never writes to the tenant
    },
  });
}

/** The comment, the label and the summary: what the head plans, set against what the base would plan. */
async function report(run: GitOpsRun, pr: PullRequestPayload, pd: PersonalData, conn: Extract<BaseConnection, { connection: Connection }>, head: Plan, base: Plan | undefined): Promise<void> {
  // What the comment shows is what the world may read; the marker is made from the plan itself.
  const view = run.facts.public ? pseudonymiser() : (p: Plan) => p;
  const shownHead = view(head);
  const shownBase = base ? view(base) : undefined;
  const diff = diffPlans(shownHead, shownBase);
  const marker = planMarker(run.configRel, head.checksum, head.changes, schemeFor(run));
  const url = runUrl(run.ctx);
  await comment(run, pr, head, head.changes, (ignored) => prCommentBody({ marker, configRel: run.configRel, head: shownHead, ...(shownBase ? { base: shownBase } : {}), diff, personalData: pd, notices: [...conn.notices, ...(ignored ? [ignored] : [])], ...(url ? { runUrl: url } : {}) }), marker);
  const destructive = head.changes.some((c) => c.destructive);
  if (run.gh) {
    await setLabel(run.gh, run.repo, pr.number, DESTRUCTIVE_LABEL, destructive, pr.labels?.map((l) => l.name)).catch((err) => {
      run.log.warn(`could not ${destructive ? 'add' : 'remove'} the ${DESTRUCTIVE_LABEL} label: ${(err as Error).message}`);
    });
  }
  const own = diff.introduced.length + diff.altered.length;
  await publishPlan(run.step, head, pd, run.configRel, run.ctx.runnerTemp,
    `**Pull request #${pr.number}**: ${own} change(s) of its own, ${diff.withdrawn.length} stopped, ${diff.pending.length} pending anyway${head.blocked.length ? '; **blocked** by a safety limit' : ''}${conn.changed ? '; planned with the base branch\'s connection (this pull request changes it)' : ''}. Nothing was written to the tenant.`);
}

/** The problems as a markdown list for a comment: positions and messages, which name config values, not people. */
export function problemList(problems: Problem[], workspace: string): string {
  return problems
    .filter((p) => p.severity === 'error')
    .map((p) => `- \`${path.relative(workspace, p.file).split(path.sep).join('/')}:${p.line}:${p.col}\` ${p.path ? `\`${p.path}\` ` : ''}${p.message.replace(/[<>]/g, '')}`)
    .join('\n');
}

type BaseConnection =
  | { connection: Connection; base?: LoadedConfig; notices: string[]; changed: boolean }
  | { validateOnly: string; log: string; settings: string };

/**
 * The connection a pull request is planned with: the base branch's config's (for a config the base branch does
 * not have, what it inherits there, and only if it sets none of its own). Anything else is validated only.
 */
async function baseConnection(run: GitOpsRun, pr: PullRequestPayload, loaded: LoadedConfig): Promise<BaseConnection> {
  const headText = await readFile(run.configFile, 'utf8');
  let tree: BaseTree | undefined;
  try {
    tree = await checkoutBaseConfig(run.ctx.workspace, pr.base.sha, run.configRel, run.ctx.runnerTemp, { headText });
  } catch (err) {
    run.log.warn(`could not read the base commit ${pr.base.sha.slice(0, 12)} with git: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!tree) {
    return { validateOnly: `rollcall could not read the base branch's \`${run.configRel}\` with git, and a pull request is only planned with the connection (MIS, tenant, secrets) the base branch sets.`, log: 'the base commit could not be read with git', settings: '' };
  }
  let baseLoaded: LoadedConfig;
  try {
    baseLoaded = await loadConfig(tree.configFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return tree.added
      ? { validateOnly: `\`${run.configRel}\` is new, and with the files it extends as they are on the base branch it does not load, so the base branch gives it no connection to plan with.`, log: 'the new config does not load over the base branch\'s files', settings: '' }
      : { validateOnly: `The base branch's \`${run.configRel}\` does not load, and a pull request is only planned with the connection (MIS, tenant, secrets) the base branch sets.`, log: 'the base branch\'s config does not load', settings: '' };
  }
  const connection = reroot(connectionOf(baseLoaded.config), tree.root, run.ctx.workspace);
  const changes = connectionDiff(connectionOf(loaded.config), connection);
  const settings = changes.length ? `\n>\n> Connection settings this pull request changes (values not shown): ${changes.map((c) => `\`${md(c.key)}\` ${c.change}`).join(', ')}.` : '';
  if (tree.added) {
    let top: Record<string, unknown> | undefined;
    try { top = parse(headText) as Record<string, unknown>; } catch { top = undefined; }
    if (writesConnection(top) || changes.length) {
      return {
        validateOnly: `\`${run.configRel}\` is new on this branch and sets its own connection (MIS, tenant or secrets) rather than the one it inherits on the base branch, so it is not planned here: a pull request never chooses where rollcall connects. It is planned once it is on the base branch.`,
        log: 'a new config that sets its own connection', settings,
      };
    }
    return { connection, notices: [`> [!NOTE]\n> \`${md(run.configRel)}\` does not exist on the base branch: every change is this pull request's. It is planned with the connection it inherits there.`], changed: false };
  }
  const notices = changes.length
    ? [`> [!WARNING]\n> **This pull request changes where rollcall connects.** A pull request never chooses where rollcall connects or which secrets it reads, so this plan was made with the base branch's connection; the new settings are used once this merges.${settings}`]
    : [];
  if (changes.length) run.log.warn(`this pull request changes connection settings (${changes.map((c) => c.key).join(', ')}); planned with the base branch's`);
  return { connection, base: baseLoaded, notices, changed: changes.length > 0 };
}

async function comment(run: GitOpsRun, pr: PullRequestPayload, plan: Plan | undefined, changes: Plan['changes'], text: string | ((ignored: string) => string), marker?: string): Promise<void> {
  const m = marker ?? planMarker(run.configRel, plan?.checksum, changes, schemeFor(run));
  const body = (others: IssueComment[]) => {
    const ignored = ignoredMarkersNote(others, run.writer).trim();
    if (typeof text !== 'string') return text(ignored);
    return `${m}## rollcall · ${run.configRel}\n\n${text}\n${ignored ? `\n${ignored}\n` : ''}`;
  };
  if (!run.gh) {
    run.log.warn('no github-token: the plan is in the job summary only');
    return;
  }
  try {
    const { created, others, author } = await upsertComment(run.gh, run.repo, pr.number, planMarkerPrefix(run.configRel), body, run.writer);
    run.log.info(`${created ? 'commented on' : 'updated the comment on'} pull request #${pr.number}`);
    for (const c of others) run.log.warn(`comment ${c.id} by ${c.user?.login ?? 'an unknown author'} carries rollcall's marker; ignored (only ${run.writer}'s comments count)`);
    if (author && author.toLowerCase() !== run.writer.toLowerCase()) run.log.warn(`GitHub recorded the comment as ${author}, not ${run.writer}: set github-token to the identity rollcall should write as`);
  } catch (err) {
    // A fork's token is read-only: the summary and the annotations still say everything.
    if (err instanceof GitHubApiError && (err.status === 403 || err.status === 404)) {
      run.log.warn(`could not comment on pull request #${pr.number} (${err.status}): the token cannot write to pull requests here; see the job summary`);
      return;
    }
    throw err;
  }
}
