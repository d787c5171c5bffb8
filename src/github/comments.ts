// One comment per config on a pull request, found again by its hidden marker and updated in place (never a
// second one), kept under GitHub's 65,536-character limit.
import type { GitHubClient } from './rest.js';

export const COMMENT_MAX_CHARS = 65_536;

export interface IssueComment {
  id: number;
  body?: string;
  user?: { login?: string; type?: string };
}

export async function listComments(gh: GitHubClient, repoRoute: string, issue: number): Promise<IssueComment[]> {
  return gh.paginate<IssueComment>(`${repoRoute}/issues/${issue}/comments`);
}

export async function findComment(gh: GitHubClient, repoRoute: string, issue: number, marker: string): Promise<IssueComment | undefined> {
  // The first one wins: were there ever two (a race between runs), the older keeps being updated.
  return (await listComments(gh, repoRoute, issue)).find((c) => c.body?.includes(marker));
}

/** Creates the comment, or updates the one carrying `marker`. Returns its id and whether it was new. */
export async function upsertComment(gh: GitHubClient, repoRoute: string, issue: number, marker: string, body: string): Promise<{ id: number; created: boolean }> {
  if (!body.includes(marker)) throw new Error('a sticky comment must carry its marker');
  if (body.length > COMMENT_MAX_CHARS) throw new Error(`comment of ${body.length} characters is over GitHub's ${COMMENT_MAX_CHARS}`);
  const existing = await findComment(gh, repoRoute, issue, marker);
  if (existing) {
    if (existing.body !== body) await gh.patch(`${repoRoute}/issues/comments/${existing.id}`, { body });
    return { id: existing.id, created: false };
  }
  const made = await gh.post<IssueComment>(`${repoRoute}/issues/${issue}/comments`, { body });
  return { id: made.id, created: true };
}
