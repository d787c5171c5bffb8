// `report.journal: branch`: each run's journal is added, as a file of its own, to the `rollcall/journal` branch
// through GitHub's git data API (a blob, a tree on the branch's tree, a commit, the ref moved fast-forward only), so
// the record outlives artifact retention and two runs never edit the same file. Nothing is checked out or fetched.
import { readFile } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { GitHubApiError, isNotFound, type GitHub, type RepoRef } from './octokit.js';

export const JOURNAL_BRANCH = 'rollcall/journal';

/** Another run moved the branch between our read and our write: read again and retry, a few times. */
const ATTEMPTS = 4;

/**
 * Where a run's journal goes on the branch: `journal/<config>/<YYYY-MM>/<time>-run<id>.jsonl`, so a school can
 * prune by month (delete a folder in one commit) and `rollcall history --journal` reads a checkout of it.
 */
export function journalBranchPath(configRel: string, startedAt: Date, runId: string): string {
  const slug = configRel.replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'rollcall';
  const time = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `journal/${slug}/${startedAt.toISOString().slice(0, 7)}/${time}-run${runId.replace(/[^A-Za-z0-9-]/g, '') || 'local'}.jsonl`;
}

/** Adds `file` as `pathOnBranch` to the journal branch (created on first use, with no history before it). */
export async function appendToJournalBranch(gh: GitHub, repo: RepoRef, file: string, pathOnBranch: string, message: string, log: Logger): Promise<string> {
  const content = await readFile(file);
  const { data: blob } = await gh.request('POST /repos/{owner}/{repo}/git/blobs', { ...repo, content: content.toString('base64'), encoding: 'base64' });
  for (let attempt = 1; ; attempt++) {
    const parent = await branchHead(gh, repo);
    const { data: tree } = await gh.request('POST /repos/{owner}/{repo}/git/trees', {
      ...repo, ...(parent ? { base_tree: parent.tree } : {}),
      tree: [{ path: pathOnBranch, mode: '100644', type: 'blob', sha: blob.sha }],
    });
    const { data: commit } = await gh.request('POST /repos/{owner}/{repo}/git/commits', { ...repo, message, tree: tree.sha, parents: parent ? [parent.commit] : [] });
    try {
      if (parent) await gh.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...repo, ref: `heads/${JOURNAL_BRANCH}`, sha: commit.sha, force: false });
      else await gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref: `refs/heads/${JOURNAL_BRANCH}`, sha: commit.sha });
      return commit.sha;
    } catch (err) {
      // 422: not a fast-forward (another run got there first) or the branch now exists. Anything else is final.
      if (!(err instanceof GitHubApiError && err.status === 422) || attempt >= ATTEMPTS) throw err;
      log.info(`${JOURNAL_BRANCH} moved while the journal was added; trying again`);
    }
  }
}

async function branchHead(gh: GitHub, repo: RepoRef): Promise<{ commit: string; tree: string } | undefined> {
  try {
    const { data: ref } = await gh.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...repo, ref: `heads/${JOURNAL_BRANCH}` });
    const { data: commit } = await gh.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...repo, commit_sha: ref.object.sha });
    return { commit: commit.sha, tree: commit.tree.sha };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
