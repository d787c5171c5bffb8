// Which GitOps flow runs for a mode and an event, and running it.
import { RollcallError } from '../errors.js';
import { mergeFlow } from './merge-flow.js';
import { checkMode, planOrApplyMode, validateMode } from './modes.js';
import { pullRequestFlow } from './pull-request-flow.js';
import type { GitOpsRun } from './run.js';
import { scheduledFlow } from './scheduled-flow.js';

export type Flow = 'pull-request' | 'merge' | 'scheduled' | 'validate' | 'check' | 'plan' | 'apply';

export function chooseFlow(mode: string, eventName: string, ref: string, defaultBranch: string, only = false): Flow {
  // A selection is a person's explicit request (`rollcall apply --only` from the Actions tab): it runs only when a
  // person starts it, and is applied as the explicit apply mode applies (within the limits, or approved by its
  // checksum), never carried by a review pull request or a merge, which approve whole plans.
  if (only) {
    if (eventName !== 'workflow_dispatch') throw new RollcallError(`input only is for workflow_dispatch runs (a person choosing whom to apply), not ${eventName || 'this'} events`);
    if (mode === 'validate') throw new RollcallError('input only selects changes to plan or apply; mode validate plans nothing');
    return mode === 'plan' ? 'plan' : 'apply';
  }
  // A pull request's run never connects with the head's settings, whatever the mode (pull-request-flow.ts), and never writes.
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    if (mode === 'apply') throw new RollcallError(`mode apply does not run on ${eventName} events: a pull request's code never writes to the tenant (use auto or plan)`);
    if (mode === 'plan') return 'pull-request';
    // check signs in with the configuration's own connection settings, which on a pull request are the head's.
    if (mode === 'check') throw new RollcallError(`mode check does not run on ${eventName} events: it would sign in with the pull request's connection settings (run it on push or workflow_dispatch)`);
  }
  if (mode === 'validate' || mode === 'check' || mode === 'plan' || mode === 'apply') return mode;
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

export async function runFlow(run: GitOpsRun, flow: Flow): Promise<void> {
  switch (flow) {
    case 'pull-request': return pullRequestFlow(run);
    case 'merge': return mergeFlow(run);
    case 'scheduled': return scheduledFlow(run);
    case 'validate': return validateMode(run);
    case 'check': return checkMode(run);
    case 'plan': return planOrApplyMode(run, false);
    case 'apply': return planOrApplyMode(run, true);
  }
}
