// Pull requests around a merge: which one a pushed commit came from, and what plan its reviewers saw.
import { listComments } from './comments.js';
import { parsePlanMarker, type PlanMarker } from './marker.js';
import type { GitHubClient } from './rest.js';

export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body?: string | null;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  html_url?: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha?: string };
}

/** The merged pull request a commit on the default branch came from, if any (a direct push has none). */
export async function mergedPullFor(gh: GitHubClient, repoRoute: string, sha: string, defaultBranch: string): Promise<PullRequest | undefined> {
  const pulls = await gh.get<PullRequest[]>(`${repoRoute}/commits/${sha}/pulls`);
  const merged = pulls.filter((p) => p.merged_at && p.base.ref === defaultBranch);
  // A commit can be in several pull requests (a branch merged twice); the one that produced this commit is best.
  return merged.find((p) => p.merge_commit_sha === sha) ?? merged.sort((a, b) => (b.merged_at ?? '').localeCompare(a.merged_at ?? ''))[0];
}

/**
 * The plan reviewed on a pull request for one config: the marker in rollcall's comment (pull requests people
 * open) or in the body (review pull requests rollcall opens, which get no comment of their own).
 */
export async function reviewedPlan(gh: GitHubClient, repoRoute: string, pr: PullRequest, config: string): Promise<PlanMarker | undefined> {
  for (const c of await listComments(gh, repoRoute, pr.number)) {
    const m = c.body ? parsePlanMarker(c.body, config) : undefined;
    if (m) return m;
  }
  return pr.body ? parsePlanMarker(pr.body, config) : undefined;
}
