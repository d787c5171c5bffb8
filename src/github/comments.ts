// One comment per config on a pull request, found again by its hidden marker and updated in place (never a
// second one), kept under GitHub's 65,536-character limit.
import { sameLogin } from './identity.js';
import type { GitHub, RepoRef } from './octokit.js';

export const COMMENT_MAX_CHARS = 65_536;

export interface IssueComment {
  id: number;
  body?: string;
  user?: { login?: string; type?: string };
}

/** Every comment, however many pages: a marker is looked for in all of them. */
export async function listComments(gh: GitHub, repo: RepoRef, issue: number): Promise<IssueComment[]> {
  return gh.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue, per_page: 100 }) as Promise<IssueComment[]>;
}

/**
 * rollcall's own comment carrying `marker`, and the comments by anyone else that carry it too (a quote, or a
 * forgery): only a comment written by `author`, the identity rollcall writes as, is ever rollcall's.
 */
export async function findComment(gh: GitHub, repo: RepoRef, issue: number, marker: string, author: string): Promise<{ own?: IssueComment; others: IssueComment[] }> {
  const carrying = (await listComments(gh, repo, issue)).filter((c) => c.body?.includes(marker));
  // The first one wins: were there ever two (a race between runs), the older keeps being updated.
  const own = carrying.find((c) => sameLogin(c.user?.login, author));
  return { ...(own ? { own } : {}), others: carrying.filter((c) => !sameLogin(c.user?.login, author)) };
}

export interface Upserted { id: number; created: boolean; /** The login GitHub recorded for the write. */ author?: string; others: IssueComment[] }

/**
 * Creates rollcall's comment, or updates its own one carrying `marker`. Returns its id and whether it was new.
 * `body` may be a function of the other comments that carry the marker, so the comment can say it ignores them.
 */
export async function upsertComment(gh: GitHub, repo: RepoRef, issue: number, marker: string, text: string | ((others: IssueComment[]) => string), author: string): Promise<Upserted> {
  const { own, others } = await findComment(gh, repo, issue, marker, author);
  const body = typeof text === 'string' ? text : text(others);
  if (!body.includes(marker)) throw new Error('a sticky comment must carry its marker');
  if (body.length > COMMENT_MAX_CHARS) throw new Error(`comment of ${body.length} characters is over GitHub's ${COMMENT_MAX_CHARS}`);
  if (own) {
    if (own.body !== body) await gh.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: own.id, body });
    return { id: own.id, created: false, ...(own.user?.login ? { author: own.user.login } : {}), others };
  }
  const { data: made } = await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue, body });
  return { id: Number(made.id), created: true, ...(made.user?.login ? { author: made.user.login } : {}), others };
}

/** A line for rollcall's comment about comments by others that carry its marker: they are not rollcall's. */
export function ignoredMarkersNote(others: IssueComment[], writer: string): string {
  if (!others.length) return '';
  const who = [...new Set(others.map((c) => c.user?.login ?? "an unknown author"))].join(", ");
  return `\n> [!WARNING]\n> ${others.length} other comment(s) on this pull request (by ${who.replace(/[<>`]/g, '')}) carry rollcall's hidden marker. rollcall ignores them: only comments by ${writer} count as its plan or its review.\n`;
}
