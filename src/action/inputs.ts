// The action's inputs, read once, into the RunOptions the CLI builds from argv.
import * as core from '@actions/core';
import { runOptions } from '../engine/options.js';
import { RollcallError } from '../errors.js';
import type { GitOpsSettings } from '../github/run.js';

export type ActionMode = 'auto' | 'validate' | 'check' | 'plan' | 'apply';

export interface ActionInputs extends GitOpsSettings {
  mode: ActionMode;
  /** For comments, labels and review pull requests; empty when the workflow gives none (then nothing is posted). */
  token: string;
}

const MODES: ActionMode[] = ['auto', 'validate', 'check', 'plan', 'apply'];

export function readInputs(): ActionInputs {
  const mode = (core.getInput('mode') || 'auto') as ActionMode;
  if (!MODES.includes(mode)) throw new RollcallError(`input mode must be one of ${MODES.join(', ')}, not ${mode}`);
  const token = core.getInput('github-token');
  // The runner masks the token it hands out; a personal token passed in is masked here too.
  if (token) core.setSecret(token);
  const options = runOptions({
    configPath: core.getInput('config'),
    asOf: core.getInput('as-of') || undefined,
    approve: core.getInput('approve') || undefined,
    // Selectors separated by commas or lines; empty is the whole plan.
    only: core.getInput('only').trim() ? [core.getInput('only')] : undefined,
    verbose: core.isDebug(),
    format: 'markdown',
    fullRead: core.getInput('full-read') === 'true',
  }, { configPath: 'input config', asOf: 'input as-of', approve: 'input approve', only: 'input only' });
  const stateKey = core.getInput('state-key');
  if (stateKey) core.setSecret(stateKey);
  const markerKey = core.getInput('marker-key');
  if (markerKey) core.setSecret(markerKey);
  const readClientId = core.getInput('read-client-id');
  if (readClientId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(readClientId)) {
    throw new RollcallError(`input read-client-id must be an application (client) id, a GUID such as 11111111-2222-3333-4444-555555555555`);
  }
  return { mode, token, options, ...(markerKey ? { markerKey } : {}), ...(readClientId ? { readClientId } : {}), ...(stateKey ? { stateKey } : {}) };
}
