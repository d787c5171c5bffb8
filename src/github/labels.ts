import type { GitHubClient } from './rest.js';

export const DESTRUCTIVE_LABEL = 'rollcall:destructive';

/** Adds or removes a label on a pull request; `current` (from the event payload) saves a call when nothing changes. */
export async function setLabel(gh: GitHubClient, repoRoute: string, issue: number, label: string, present: boolean, current?: string[]): Promise<void> {
  const has = current?.includes(label);
  if (present && has !== true) {
    await gh.post(`${repoRoute}/issues/${issue}/labels`, { labels: [label] });
  } else if (!present && has !== false) {
    // 404: the label was not there (or does not exist in the repository), which is what we want.
    await gh.request('DELETE', `${repoRoute}/issues/${issue}/labels/${encodeURIComponent(label)}`, { allow404: true });
  }
}
