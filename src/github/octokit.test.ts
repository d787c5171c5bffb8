// The GitHub client against a scripted server on loopback: pagination with no page cap, secondary rate limits
// waited out, temporary errors retried, and what is left a typed GitHubApiError. Waits are scaled to
// milliseconds (retryAfterBaseValue: 1), so a Retry-After of 1 costs a millisecond here and a second on GitHub.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listComments } from './comments.js';
import { writerLogin } from './identity.js';
import { GitHubApiError, gitHub } from './octokit.js';

async function serve(handle: (req: IncomingMessage, res: ServerResponse, u: URL) => void, run: (apiUrl: string, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handle(req, res, new URL(req.url!, 'http://x'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`, seen);
  } finally {
    server.close();
  }
}

const repo = { owner: 'o', repo: 'r' };

describe('the GitHub client', () => {
  it('follows every page of a list, past a hundred pages (no silent cap)', async () => {
    const PAGES = 105;
    await serve((req, res, u) => {
      const page = Number(u.searchParams.get('page') ?? 1);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (page < PAGES) headers.link = `<http://${req.headers.host}${u.pathname}?page=${page + 1}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify([{ id: page, body: `c${page}` }]));
    }, async (apiUrl, seen) => {
      const comments = await listComments(gitHub({ token: 't', apiUrl }), repo, 5);
      expect(comments).toHaveLength(PAGES);
      expect(comments.at(-1)?.id).toBe(PAGES);
      expect(seen[0]).toMatch(/^GET \/api\/v3\/repos\/o\/r\/issues\/5\/comments\?per_page=100$/);
    });
  }, 30_000);

  it('waits out a secondary rate limit (Retry-After) and then succeeds', async () => {
    let calls = 0;
    const warnings: string[] = [];
    await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(403, { 'content-type': 'application/json', 'retry-after': '3' }).end(JSON.stringify({ message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_branch: 'trunk' }));
    }, async (apiUrl) => {
      const log = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };
      const gh = gitHub({ token: 't', apiUrl, log, retryAfterBaseValue: 1 });
      const { data } = await gh.request('GET /repos/{owner}/{repo}', repo);
      expect(data.default_branch).toBe('trunk');
      expect(calls).toBe(2);
      expect(warnings.join('\n')).toMatch(/secondary rate limit .*retrying in 3 s/);
    });
  });

  it('retries a 502, and past its retries throws a GitHubApiError with the status and the route, not the token', async () => {
    let calls = 0;
    await serve((_req, res) => {
      calls++;
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad gateway' }));
    }, async (apiUrl) => {
      const gh = gitHub({ token: 'ghs_secret', apiUrl, retryAfterBaseValue: 1 });
      const err = await gh.request('GET /repos/{owner}/{repo}', repo).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitHubApiError);
      expect((err as GitHubApiError).status).toBe(502);
      expect((err as GitHubApiError).retryable).toBe(true);
      expect((err as GitHubApiError).message).toBe('GET /repos/{owner}/{repo}: 502 Bad gateway');
      expect((err as GitHubApiError).message).not.toContain('ghs_secret');
      expect(calls).toBe(4); // the first try and three retries
    });
  });

  it('sends the token as a bearer credential and does not retry an answer (a 404 is the answer)', async () => {
    let calls = 0;
    let auth: string | undefined;
    await serve((req, res) => {
      calls++;
      auth = req.headers.authorization;
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
    }, async (apiUrl) => {
      await expect(gitHub({ token: 't', apiUrl, retryAfterBaseValue: 1 }).request('GET /repos/{owner}/{repo}', repo)).rejects.toMatchObject({ status: 404 });
      expect(calls).toBe(1);
      expect(auth).toBe('Bearer t');
    });
  });

  it('asks GraphQL beside the REST API who the token writes as; a refusal falls back to the workflow token', async () => {
    let allow = true;
    await serve((req, res, u) => {
      if (u.pathname === '/api/graphql' && req.method === 'POST') {
        if (!allow) { res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Resource not accessible by integration' })); return; }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { viewer: { login: 'rollcall-app[bot]' } } }));
        return;
      }
      res.writeHead(404).end('{}');
    }, async (apiUrl) => {
      const gh = gitHub({ token: 't', apiUrl, retryAfterBaseValue: 1 });
      const graphql = apiUrl.replace(/\/v3$/, '/graphql');
      expect(await writerLogin(gh, graphql)).toEqual({ login: 'rollcall-app[bot]', known: true });
      allow = false;
      expect(await writerLogin(gh, graphql)).toEqual({ login: 'github-actions[bot]', known: false });
    });
  });
});
