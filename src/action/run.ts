// The action's dispatcher: which flow runs for this mode and event.
import * as core from '@actions/core';
import { RollcallError } from '../errors.js';
import { readContext } from '../github/context.js';
import { ACTIONS_BOT, graphqlUrl, writerLogin } from '../github/identity.js';
import { gitHub } from '../github/octokit.js';
import { repositoryFacts } from '../github/visibility.js';
import { configPaths, type ActionRun } from './context.js';
import { readInputs } from './inputs.js';
import { actionLogger } from './logger.js';
import { mergeFlow } from './merge.js';
import { planOrApplyMode, validateMode } from './modes.js';
import { publishingFor } from './publish.js';
import { pullRequestFlow } from './pull-request.js';
import { scheduledFlow } from './scheduled.js';

export type Flow = 'pull-request' | 'merge' | 'scheduled' | 'validate' | 'plan' | 'apply';

export function chooseFlow(mode: string, eventName: string, ref: string, defaultBranch: string): Flow {
  // A pull request's run never connects with the head's settings, whatever the mode (pull-request.ts), and never writes.
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    if (mode === 'apply') throw new RollcallError(`mode apply does not run on ${eventName} events: a pull request's code never writes to the tenant (use auto or plan)`);
    if (mode === 'plan') return 'pull-request';
  }
  if (mode === 'validate' || mode === 'plan' || mode === 'apply') return mode;
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
      return 'pull-request';
    case 'push':
      // A push elsewhere than the default branch is not a merge: show the plan, write nothing.
      return ref === `refs/heads/${defaultBranch}` ? 'merge' : 'plan';
    case 'schedule':
    case 'workflow_dispatch':
      return 'scheduled';
    default:
      return 'plan';
  }
}

export async function runAction(): Promise<void> {
  const inputs = readInputs();
  const ctx = readContext();
  const log = actionLogger();
  const gh = inputs.token ? gitHub({ token: inputs.token, apiUrl: ctx.apiUrl, log }) : undefined;
  const facts = await repositoryFacts(gh, ctx);
  let writer = ACTIONS_BOT;
  if (gh) {
    const found = await writerLogin(gh, graphqlUrl(ctx.apiUrl));
    writer = found.login;
    if (!found.known) log.info(`GitHub did not say who the token writes as; assuming ${ACTIONS_BOT}`);
  }
  const run: ActionRun = { inputs, ctx, ...(gh ? { gh } : {}), repo: { owner: ctx.owner, repo: ctx.repo }, facts, ...configPaths(ctx.workspace, inputs.options.configPath), log, writer };
  publishingFor({ publicRepository: facts.public });
  const flow = chooseFlow(inputs.mode, ctx.eventName, ctx.ref, facts.defaultBranch);
  core.info(`rollcall: ${flow} for ${run.configRel} (event ${ctx.eventName || 'none'}, ${facts.public ? 'public' : 'private'} repository)`);
  switch (flow) {
    case 'pull-request': return pullRequestFlow(run);
    case 'merge': return mergeFlow(run);
    case 'scheduled': return scheduledFlow(run);
    case 'validate': return validateMode(run);
    case 'plan': return planOrApplyMode(run, false);
    case 'apply': return planOrApplyMode(run, true);
  }
}
