// Pull requests around a merge: which one a pushed commit came from, and what plan its reviewers saw.
import { listComments } from './comments.js';
import { sameLogin } from './identity.js';
import { parsePlanMarker, planMarkerPrefix, type PlanMarker } from './marker.js';
import type { GitHub, RepoRef } from './octokit.js';
import { REVIEW_BRANCH } from './review-pr.js';

export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body?: string | null;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  html_url?: string;
  user?: { login?: string; type?: string };
  head: { ref: string; sha: string };
  base: { ref: string; sha?: string };
}

/** The merged pull request a commit on the default branch came from, if any (a direct push has none). */
export async function mergedPullFor(gh: GitHub, repo: RepoRef, sha: string, defaultBranch: string): Promise<PullRequest | undefined> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...repo, commit_sha: sha });
  const pulls = data as PullRequest[];
  const merged = pulls.filter((p) => p.merged_at && p.base.ref === defaultBranch);
  // A commit can be in several pull requests (a branch merged twice); the one that produced this commit is best.
  return merged.find((p) => p.merge_commit_sha === sha) ?? merged.sort((a, b) => (b.merged_at ?? '').localeCompare(a.merged_at ?? ''))[0];
}

export interface Reviewed {
  marker?: PlanMarker;
  /** Where a marker for this config was found that rollcall did not write: ignored, and reported. */
  forged: string[];
}

/** rollcall's own review pull requests: its branch, opened by the identity it writes as. */
export function isOwnReviewPull(pr: PullRequest, author: string): boolean {
  return pr.head.ref.startsWith(REVIEW_BRANCH) && sameLogin(pr.user?.login, author);
}

/**
 * The plan reviewed on a pull request for one config: the marker in rollcall's own comment (pull requests people
 * open) or in the body of rollcall's own review pull request (which gets no comment of its own). A marker
 * anyone else wrote, in a comment or a body, is never the reviewed plan: it is listed in `forged`.
 */
export async function reviewedPlan(gh: GitHub, repo: RepoRef, pr: PullRequest, config: string, author: string): Promise<Reviewed> {
  const forged: string[] = [];
  let marker: PlanMarker | undefined;
  for (const c of await listComments(gh, repo, pr.number)) {
    if (!c.body?.includes(planMarkerPrefix(config))) continue;
    if (!sameLogin(c.user?.login, author)) { forged.push(`comment ${c.id} by ${c.user?.login ?? 'an unknown author'}`); continue; }
    marker ??= parsePlanMarker(c.body, config);
  }
  if (pr.body?.includes(planMarkerPrefix(config))) {
    if (isOwnReviewPull(pr, author)) marker ??= parsePlanMarker(pr.body, config);
    else forged.push(`the body of pull request #${pr.number} (by ${pr.user?.login ?? 'an unknown author'}, branch ${pr.head.ref})`);
  }
  return { ...(marker ? { marker } : {}), forged };
}
