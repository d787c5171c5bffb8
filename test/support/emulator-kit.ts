// A minimal Graph caller for the emulator's contract tests (and other suites that want raw Graph calls): plain
// `fetch` (undici's) with a dispatcher that trusts exactly the emulator's certificate; returns status, headers, body.
import { Agent, fetch } from 'undici';

export interface Reply<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export class RawGraph {
  private agent: Agent;
  constructor(private base: string, ca: string, private token = 'test-token') {
    this.agent = new Agent({ connect: { ca }, connections: 8 });
  }

  /** `path` is relative to the Graph base (`users?$top=5`) or absolute (a nextLink). */
  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<Reply<T>> {
    const url = /^https:/.test(path) ? path : `${this.base}/${path.replace(/^\//, '')}`;
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(url, {
      method,
      dispatcher: this.agent,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(text !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: text,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    const raw = await res.text();
    const h: Record<string, string> = {};
    res.headers.forEach((v, k) => (h[k] = v));
    return { status: res.status, headers: h, body: raw ? JSON.parse(raw) : undefined };
  }

  get = <T = any>(p: string, h?: Record<string, string>) => this.call<T>('GET', p, undefined, h);
  post = <T = any>(p: string, b?: unknown, h?: Record<string, string>) => this.call<T>('POST', p, b ?? {}, h);
  patch = <T = any>(p: string, b: unknown, h?: Record<string, string>) => this.call<T>('PATCH', p, b, h);
  delete = <T = any>(p: string, h?: Record<string, string>) => this.call<T>('DELETE', p, undefined, h);

  close(): void {
    void this.agent.close();
  }
}

export const strongPassword = 'Xy7!correct-Horse';

export function newUser(local: string, extra: Record<string, unknown> = {}, domain = 'rollcall.test') {
  return {
    accountEnabled: true,
    displayName: local,
    mailNickname: local,
    userPrincipalName: `${local}@${domain}`,
    passwordProfile: { password: strongPassword, forceChangePasswordNextSignIn: true },
    ...extra,
  };
}
