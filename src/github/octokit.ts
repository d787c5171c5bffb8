// The GitHub API through Octokit: typed routes, pagination that follows every `Link: rel="next"` (no page cap),
// retries of what GitHub says is temporary, and GitHub's rate limits (primary and secondary) honoured. It honours
// GITHUB_API_URL, so the same action works on GitHub Enterprise Server (`https://HOST/api/v3`) as on github.com.
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RollcallError } from '../errors.js';
import type { Logger } from '../log.js';

/** Any answer from GitHub that is not a success, after retries: the status and the route, never the token. */
export class GitHubApiError extends RollcallError {
  constructor(message: string, readonly status: number, readonly method: string, readonly route: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options);
  }
}

const RollcallOctokit = Octokit.plugin(paginateRest, retry, throttling);
export type GitHub = InstanceType<typeof RollcallOctokit>;

/** The repository a call is about, as typed routes take it. */
export interface RepoRef { owner: string; repo: string }

export interface GitHubOptions {
  token: string;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  apiUrl?: string;
  userAgent?: string;
  log?: Logger;
  /**
   * Milliseconds per unit of wait: the retry plugin waits (n + 1)² units before its nth retry, the throttling
   * plugin waits Retry-After units. 1000 on GitHub; a test sets 1 so a fake server's errors cost no time.
   */
  retryAfterBaseValue?: number;
}

/**
 * How long a rate limit may hold the run before rollcall gives up on the call: a job waiting for GitHub's hourly
 * window to reset would hold its runner for nothing. A secondary limit asks for about a minute; twice is enough.
 */
const MAX_WAIT_SECONDS = 120;
const MAX_LIMIT_RETRIES = 2;

export function gitHub(opts: GitHubOptions): GitHub {
  const log = opts.log;
  const limited = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number): boolean => {
    const again = retryCount < MAX_LIMIT_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
    log?.warn(`GitHub ${kind} rate limit on ${options.method ?? ''} ${options.url ?? ''}: ${again ? `retrying in ${retryAfter} s` : 'giving up'}`);
    return again;
  };
  const octokit = new RollcallOctokit({
    baseUrl: (opts.apiUrl || 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'rollcall-action',
    // Octokit's own logger prints to the console; the run's logger decides what shows.
    log: { debug: (m: string) => log?.debug(m), info: (m: string) => log?.debug(m), warn: (m: string) => log?.debug(m), error: (m: string) => log?.debug(m) },
    retry: { ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}) },
    throttle: {
      onRateLimit: limited('primary'),
      onSecondaryRateLimit: limited('secondary'),
      ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
    },
  });
  // The token as a bearer credential, whatever its kind (Octokit's token auth would send `token …` for most).
  octokit.hook.before('request', (options) => { options.headers.authorization = `Bearer ${opts.token}`; });
  // Registered after the plugins' hooks, so it sees the error that is left once they gave up, and makes it ours.
  octokit.hook.error('request', (error, options) => {
    const e = error as Error & { status?: number; response?: { data?: unknown } };
    const method = String(options.method ?? 'GET');
    const route = String(options.url ?? '');
    const status = typeof e.status === 'number' ? e.status : 0;
    const data = e.response?.data as { message?: string } | string | undefined;
    const said = typeof data === 'object' && data?.message ? data.message : typeof data === 'string' && data ? data.slice(0, 300) : e.message;
    throw new GitHubApiError(status === 500 && !e.response ? `${method} ${route}: cannot reach GitHub (${e.message})` : `${method} ${route}: ${status} ${said}`,
      status, method, route, { retryable: status >= 500 || status === 429, cause: error });
  });
  return octokit;
}

/** True for an error that says GitHub answered 404 (the thing is not there). */
export const isNotFound = (err: unknown): boolean => err instanceof GitHubApiError && err.status === 404;
