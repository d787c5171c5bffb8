// The review pull request a scheduled run opens when its plan is blocked (or never auto-applied): one branch,
// `rollcall/review`, force-pushed with a single commit on the default branch that adds the approval file; one
// pull request from it, updated in place. Merging it approves exactly the checksum in the file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { Plan } from '../plan/types.js';
import { approvalFor, approvalPath, approvalText } from './approval.js';
import { upsertComment } from './comments.js';
import type { GitHub, RepoRef } from './octokit.js';
import type { PullRequest } from './pulls.js';

export const REVIEW_BRANCH = 'rollcall/review';

/**
 * `rollcall/review` for the repository's `rollcall.yaml`; a trust's other configs each get their own branch
 * (`rollcall/review-schools-north`), so schools run as a matrix never overwrite each other's review.
 */
export function reviewBranch(configRel: string): string {
  if (configRel === 'rollcall.yaml' || configRel === 'rollcall.yml') return REVIEW_BRANCH;
  const slug = configRel.replace(/\.ya?ml$/i, '').replace(/(^|\/)rollcall$/i, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
  return `${REVIEW_BRANCH}-${slug || 'config'}`;
}

const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/**
 * Commits the approval file on top of `baseSha` without touching the working tree or the index (a temporary
 * index file), and force-pushes it to `origin` as the review branch. Returns the new commit.
 */
export async function pushReviewBranch(workspace: string, baseSha: string, configRel: string, plan: Plan, tmpDir: string): Promise<string> {
  const scratch = await mkdtemp(path.join(tmpDir, 'rollcall-index-'));
  const env = {
    ...process.env,
    GIT_INDEX_FILE: path.join(scratch, 'index'),
    GIT_AUTHOR_NAME: BOT.name, GIT_AUTHOR_EMAIL: BOT.email, GIT_COMMITTER_NAME: BOT.name, GIT_COMMITTER_EMAIL: BOT.email,
  };
  // simple-git refuses GIT_* variables it is not told about (they can redirect git); these five are ours.
  const git = simpleGit({ baseDir: workspace, allowEnvironment: ['GIT_INDEX_FILE', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'] }).env(env);
  try {
    const file = approvalPath(configRel);
    await git.raw(['read-tree', baseSha]);
    const content = path.join(scratch, 'approval.json');
    await writeFile(content, approvalText(approvalFor(configRel, plan)));
    const hash = (await git.raw(['hash-object', '-w', content])).trim();
    await git.raw(['update-index', '--add', '--cacheinfo', `100644,${hash},${file}`]);
    const tree = (await git.raw(['write-tree'])).trim();
    const message = `rollcall: approve plan ${plan.checksum.slice(0, 12)} for ${configRel}\n\nMerging this applies exactly the plan with checksum ${plan.checksum}.`;
    const commit = (await git.raw(['commit-tree', tree, '-p', baseSha, '-m', message])).trim();
    await git.raw(['push', '--force', 'origin', `${commit}:refs/heads/${reviewBranch(configRel)}`]);
    return commit;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function openReviewPull(gh: GitHub, repo: RepoRef, branch: string): Promise<PullRequest | undefined> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls', { ...repo, state: 'open', head: `${repo.owner}:${branch}` });
  const open = data as PullRequest[];
  return open.find((p) => p.head.ref === branch);
}

/** Opens the review pull request, or updates the open one (title and body), so there is only ever one. */
export async function upsertReviewPull(gh: GitHub, repo: RepoRef, branch: string, base: string, title: string, body: string): Promise<{ pull: PullRequest; created: boolean }> {
  const existing = await openReviewPull(gh, repo, branch);
  if (existing) {
    const { data } = await gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: existing.number, title, body });
    return { pull: data as PullRequest, created: false };
  }
  const { data } = await gh.request('POST /repos/{owner}/{repo}/pulls', { ...repo, title, body, head: branch, base });
  return { pull: data as PullRequest, created: true };
}

/** A review pull request whose plan no longer stands (applied, or nothing left to do): say so and close it. */
export async function closeReviewPull(gh: GitHub, repo: RepoRef, branch: string, why: string, marker: string, author: string): Promise<number | undefined> {
  const existing = await openReviewPull(gh, repo, branch);
  if (!existing) return undefined;
  await upsertComment(gh, repo, existing.number, marker, `${marker}${why}\n`, author);
  await gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: existing.number, state: 'closed' });
  return existing.number;
}
