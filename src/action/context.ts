// Everything a flow needs about this run, gathered once by the entry point.
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import type { GitHubContext } from '../github/context.js';
import type { GitHub, RepoRef } from '../github/octokit.js';
import { markerScheme, type MarkerScheme } from '../github/marker.js';
import type { RepositoryFacts } from '../github/visibility.js';
import { publishedPersonalData } from '../github/visibility.js';
import type { Logger } from '../log.js';
import type { PersonalData } from '../render/index.js';
import { annotate } from './annotations.js';
import type { ActionInputs } from './inputs.js';
import { maskConfigSecrets } from './secrets.js';

export interface ActionRun {
  inputs: ActionInputs;
  ctx: GitHubContext;
  /** Undefined without a token: nothing is posted to GitHub then. */
  gh?: GitHub;
  repo: RepoRef;
  facts: RepositoryFacts;
  /** The config, absolute, and relative to the repository root (posix), as comments and markers name it. */
  configFile: string;
  configRel: string;
  log: Logger;
  /** The login rollcall writes to GitHub as: only its comments and review pull requests carry trusted markers. */
  writer: string;
}

/** How this run hashes the destructive changes in its markers (see github/marker.ts). */
export function schemeFor(run: ActionRun): MarkerScheme {
  return markerScheme(run.inputs.markerKey, run.facts.public);
}

export function configPaths(workspace: string, configPath: string): { configFile: string; configRel: string } {
  const configFile = path.resolve(workspace, configPath);
  return { configFile, configRel: path.relative(workspace, configFile).split(path.sep).join('/') };
}

/** Loads the config; problems become annotations. Returns the error instead of throwing, so a flow can comment. */
export async function validateConfig(run: ActionRun): Promise<LoadedConfig | ConfigError> {
  try {
    const loaded = await loadConfig(run.configFile);
    maskConfigSecrets(loaded.config);
    annotate(loaded.warnings.filter((w) => w.severity === 'warning'), run.ctx.workspace);
    return loaded;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    annotate(err.problems.length ? err.problems : [{ file: run.configFile, line: 1, col: 1, path: '', message: err.message, severity: 'error' }], run.ctx.workspace);
    return err;
  }
}

export function personalDataFor(run: ActionRun, loaded: LoadedConfig): PersonalData {
  return publishedPersonalData(loaded.config.report?.personalData, run.facts);
}
