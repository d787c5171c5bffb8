import { isNotFound, type GitHub, type RepoRef } from './octokit.js';

export const DESTRUCTIVE_LABEL = 'rollcall:destructive';

/** Adds or removes a label on a pull request; `current` (from the event payload) saves a call when nothing changes. */
export async function setLabel(gh: GitHub, repo: RepoRef, issue: number, label: string, present: boolean, current?: string[]): Promise<void> {
  const has = current?.includes(label);
  if (present && has !== true) {
    await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...repo, issue_number: issue, labels: [label] });
  } else if (!present && has !== false) {
    // 404: the label was not there (or does not exist in the repository), which is what we want.
    await gh.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...repo, issue_number: issue, name: label }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}
