// The action's entry: its inputs and the run's context read once, the GitHub client and identity set up, then
// the GitOps flow for this mode and event (src/github/), which reports through the runner's Step.
import * as core from '@actions/core';
import { readContext } from '../github/context.js';
import { chooseFlow, runFlow } from '../github/dispatch.js';
import { ACTIONS_BOT, graphqlUrl, writerLogin } from '../github/identity.js';
import { gitHub } from '../github/octokit.js';
import { publishingFor } from '../github/publish.js';
import { configPaths, type GitOpsRun } from '../github/run.js';
import { repositoryFacts } from '../github/visibility.js';
import { readInputs } from './inputs.js';
import { redactIds } from '../render/mask.js';
import { actionLogger, redactingLogger } from './logger.js';
import { actionStateCache } from './state-cache.js';
import { actionStep } from './step.js';

export async function runAction(): Promise<void> {
  const { mode, token, ...settings } = readInputs();
  const ctx = readContext();
  const log = actionLogger();
  const gh = token ? gitHub({ token, apiUrl: ctx.apiUrl, log }) : undefined;
  const facts = await repositoryFacts(gh, ctx);
  let writer = ACTIONS_BOT;
  if (gh) {
    const found = await writerLogin(gh, graphqlUrl(ctx.apiUrl));
    writer = found.login;
    if (!found.known) log.info(`GitHub did not say who the token writes as; assuming ${ACTIONS_BOT}`);
  }
  const run: GitOpsRun = {
    inputs: settings, ctx, ...(gh ? { gh } : {}), repo: { owner: ctx.owner, repo: ctx.repo }, facts,
    ...configPaths(ctx.workspace, settings.options.configPath), log: facts.public ? redactingLogger(log, redactIds) : log, writer, step: actionStep,
    ...(settings.stateKey ? { stateCache: await actionStateCache() } : {}),
  };
  publishingFor({ publicRepository: facts.public });
  const flow = chooseFlow(mode, ctx.eventName, ctx.ref, facts.defaultBranch, settings.options.only !== undefined);
  core.info(`rollcall: ${flow} for ${run.configRel} (event ${ctx.eventName || 'none'}, ${facts.public ? 'public' : 'private'} repository)`);
  await runFlow(run, flow);
}
