// Who rollcall writes as on GitHub. Only comments (and review pull requests) by that identity carry markers
// rollcall trusts: anyone can paste a marker into a comment or a pull request's body.
import { GitHubApiError, type GitHub } from './octokit.js';

/** The identity of the workflow's own token (`GITHUB_TOKEN`). */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * The login the token writes as, found once per run: GraphQL's `viewer` answers for installation tokens (the
 * workflow's token, a GitHub App's) and personal tokens alike, where REST `GET /user` refuses installation
 * tokens and `GET /app` needs the app's own key. When GitHub does not say, the workflow's token is assumed.
 */
export async function writerLogin(gh: GitHub, graphqlUrl: string): Promise<{ login: string; known: boolean }> {
  try {
    const res = await gh.graphql<{ viewer?: { login?: string } }>({ query: 'query { viewer { login } }', url: graphqlUrl });
    const login = res?.viewer?.login;
    if (login) return { login, known: true };
  } catch (err) {
    // GitHubApiError: refused (403, 401); GraphqlResponseError: answered with `errors` (a token that cannot say).
    if (!(err instanceof GitHubApiError || (err as Error)?.name === 'GraphqlResponseError')) throw err;
  }
  return { login: ACTIONS_BOT, known: false };
}

/** `GITHUB_GRAPHQL_URL`, or where GitHub serves GraphQL beside the REST API (github.com and Enterprise Server). */
export function graphqlUrl(apiUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_GRAPHQL_URL) return env.GITHUB_GRAPHQL_URL;
  const base = apiUrl.replace(/\/+$/, '');
  return base.endsWith("/api/v3") ? `${base.slice(0, -"v3".length)}graphql` : `${base}/graphql`;
}

/** Same login, however GitHub cases it. */
export const sameLogin = (a: string | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();
