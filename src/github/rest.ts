// A small typed client for the few GitHub REST calls rollcall makes. It honours GITHUB_API_URL, so the same
// action works on GitHub Enterprise Server (`https://HOST/api/v3`) as on github.com.
import { RollcallError } from '../errors.js';

export class GitHubApiError extends RollcallError {
  constructor(message: string, readonly status: number, readonly method: string, readonly route: string, options: { retryable?: boolean } = {}) {
    super(message, options);
  }
}

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  apiUrl?: string;
  userAgent?: string;
}

export type Query = Record<string, string | number | undefined>;

export class GitHubClient {
  readonly apiUrl: string;
  private readonly token: string;
  private readonly userAgent: string;

  constructor(opts: GitHubClientOptions) {
    this.apiUrl = (opts.apiUrl || 'https://api.github.com').replace(/\/+$/, '');
    this.token = opts.token;
    this.userAgent = opts.userAgent ?? 'rollcall-action';
  }

  url(route: string, query?: Query): string {
    const u = new URL(this.apiUrl + route);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request<T>(method: string, route: string, opts: { query?: Query; body?: unknown; allow404?: boolean } = {}): Promise<T | undefined> {
    const res = await this.send(method, this.url(route, opts.query), route, opts.body);
    if (res.status === 404 && opts.allow404) return undefined;
    return this.parse<T>(res, method, route);
  }

  async get<T>(route: string, query?: Query): Promise<T> {
    return (await this.request<T>('GET', route, { query })) as T;
  }

  async post<T>(route: string, body: unknown): Promise<T> {
    return (await this.request<T>('POST', route, { body })) as T;
  }

  async patch<T>(route: string, body: unknown): Promise<T> {
    return (await this.request<T>('PATCH', route, { body })) as T;
  }

  /** A GraphQL query, at GitHub's GraphQL address (not under the REST API's). */
  async graphql<T>(graphqlUrl: string, query: string): Promise<T | undefined> {
    const res = await this.send('POST', graphqlUrl, '/graphql', { query });
    return this.parse<T>(res, 'POST', '/graphql');
  }

  /** Every page of a list, following `Link: <…>; rel="next"` (100 a page). */
  async paginate<T>(route: string, query: Query = {}): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = this.url(route, { per_page: 100, ...query });
    for (let pages = 0; next && pages < 100; pages++) {
      const res = await this.send('GET', next, route);
      out.push(...((await this.parse<T[]>(res, 'GET', route)) ?? []));
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    return out;
  }

  private async send(method: string, url: string, route: string, body?: unknown): Promise<Response> {
    // One retry for what GitHub says is temporary (5xx, secondary rate limits); anything else is an answer.
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': this.userAgent,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (err) {
        if (attempt < 1) { await pause(1000); continue; }
        throw new GitHubApiError(`${method} ${route}: cannot reach ${this.apiUrl} (${(err as Error).message})`, 0, method, route, { retryable: true });
      }
      const temporary = res.status >= 500 || res.status === 429 || (res.status === 403 && res.headers.get('retry-after') !== null);
      if (temporary && attempt < 1) {
        await res.arrayBuffer().catch(() => undefined);
        await pause(Math.min(10, Number(res.headers.get('retry-after') ?? 1)) * 1000);
        continue;
      }
      return res;
    }
  }

  private async parse<T>(res: Response, method: string, route: string): Promise<T | undefined> {
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try { message = (JSON.parse(text) as { message?: string }).message ?? message; } catch { /* not JSON */ }
      throw new GitHubApiError(`${method} ${route}: ${res.status} ${message}`, res.status, method, route, { retryable: res.status >= 500 || res.status === 429 });
    }
    return text ? (JSON.parse(text) as T) : undefined;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
