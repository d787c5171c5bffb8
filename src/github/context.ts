// What GitHub tells an action about its run: environment variables and the event payload file. Read once, typed.
import { readFileSync } from 'node:fs';
import { RollcallError } from '../errors.js';

export interface PullRequestPayload {
  number: number;
  title?: string;
  body?: string | null;
  merged?: boolean;
  merge_commit_sha?: string | null;
  labels?: { name: string }[];
  base: { sha: string; ref: string; repo?: { full_name: string } };
  head: { sha: string; ref: string; repo?: { full_name: string; fork?: boolean } | null };
}

export interface RepositoryPayload {
  full_name?: string;
  private?: boolean;
  visibility?: 'public' | 'private' | 'internal';
  default_branch?: string;
}

export interface EventPayload {
  pull_request?: PullRequestPayload;
  repository?: RepositoryPayload;
  ref?: string;
  after?: string;
  [key: string]: unknown;
}

export interface GitHubContext {
  eventName: string;
  payload: EventPayload;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  workspace: string;
  apiUrl: string;
  serverUrl: string;
  runId?: string;
  runnerTemp: string;
}

export function readContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new RollcallError('GITHUB_REPOSITORY is not set: rollcall\'s action runs inside GitHub Actions (use the CLI elsewhere)');
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload;
    } catch (err) {
      throw new RollcallError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`);
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    runnerTemp: env.RUNNER_TEMP || env.TMPDIR || '/tmp',
  };
}

/** A pull request from a fork runs without the repository's secrets and with a read-only token. */
export function isFork(pr: PullRequestPayload, ctx: Pick<GitHubContext, 'owner' | 'repo'>): boolean {
  const head = pr.head.repo;
  if (!head) return true; // the fork was deleted: nothing trusted about it
  return head.fork === true || head.full_name.toLowerCase() !== `${ctx.owner}/${ctx.repo}`.toLowerCase();
}

export function runUrl(ctx: GitHubContext): string | undefined {
  return ctx.runId ? `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${ctx.runId}` : undefined;
}
