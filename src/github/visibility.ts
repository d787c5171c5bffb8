// A public repository's comments, job summaries and artifacts can be read by anyone, so they never get names.
import { commentPersonalData, type PersonalData } from '../render/index.js';
import type { GitHubContext, RepositoryPayload } from './context.js';
import type { GitHub } from './octokit.js';

export interface RepositoryFacts {
  public: boolean;
  defaultBranch: string;
}

/** Asks the API first, then the event payload; when neither says, assumes public (the safe side). */
export async function repositoryFacts(gh: GitHub | undefined, ctx: GitHubContext): Promise<RepositoryFacts> {
  let repo = ctx.payload.repository;
  if (gh) {
    try {
      repo = (await gh.request('GET /repos/{owner}/{repo}', { owner: ctx.owner, repo: ctx.repo })).data as RepositoryPayload;
    } catch { /* a token without metadata access: fall back to the payload */ }
  }
  const isPublic = repo?.visibility !== undefined ? repo.visibility === 'public' : repo?.private !== undefined ? !repo.private : true;
  return { public: isPublic, defaultBranch: repo?.default_branch ?? 'main' };
}

/** What rollcall may publish: `report.personalData`, but never names where the world can read. */
export function publishedPersonalData(setting: PersonalData, facts: RepositoryFacts): PersonalData {
  return commentPersonalData(setting, { publicRepository: facts.public });
}
