// Everything a GitOps flow needs about this run, gathered once by the entry point (src/action/run.ts).
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import type { RunOptions } from '../engine/options.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PersonalData } from '../render/index.js';
import type { GitHubContext } from './context.js';
import { markerScheme, type MarkerScheme } from './marker.js';
import type { GitHub, RepoRef } from './octokit.js';
import { maskConfigSecrets } from './secrets.js';
import type { StateCache } from './delta-cache.js';
import type { Step } from './step.js';
import type { RepositoryFacts } from './visibility.js';
import { publishedPersonalData } from './visibility.js';

/** What the workflow sets for the flows (the action reads them from its inputs). */
export interface GitOpsSettings {
  options: RunOptions;
  /** Keys the destructive-change hashes in markers; without it a public repository's markers list none. */
  markerKey?: string;
  /** The read-only app registration a pull request signs in with, instead of tenant.graph.clientId. */
  readClientId?: string;
  /** Seals the delta state kept in the cache between runs (delta-cache.ts); without it every run reads in full. */
  stateKey?: string;
}

export interface GitOpsRun {
  inputs: GitOpsSettings;
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
  step: Step;
  /** The runner's cache, for the sealed delta state; undefined where there is none. */
  stateCache?: StateCache;
}

/** How this run hashes the destructive changes in its markers (see marker.ts). */
export function schemeFor(run: GitOpsRun): MarkerScheme {
  return markerScheme(run.inputs.markerKey, run.facts.public);
}

export function configPaths(workspace: string, configPath: string): { configFile: string; configRel: string } {
  const configFile = path.resolve(workspace, configPath);
  return { configFile, configRel: path.relative(workspace, configFile).split(path.sep).join('/') };
}

/** Loads the config; problems become annotations. Returns the error instead of throwing, so a flow can comment. */
export async function validateConfig(run: GitOpsRun): Promise<LoadedConfig | ConfigError> {
  try {
    const loaded = await loadConfig(run.configFile);
    maskConfigSecrets(loaded.config, (v) => run.step.mask(v));
    run.step.annotate(loaded.warnings.filter((w) => w.severity === 'warning'), run.ctx.workspace);
    return loaded;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    run.step.annotate(err.problems.length ? err.problems : [{ file: run.configFile, line: 1, col: 1, path: '', message: err.message, severity: 'error' }], run.ctx.workspace);
    return err;
  }
}

export function personalDataFor(run: GitOpsRun, loaded: LoadedConfig): PersonalData {
  return publishedPersonalData(loaded.config.report.personalData, run.facts);
}
