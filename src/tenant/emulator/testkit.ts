// A minimal HTTPS client for the emulator's own contract tests (and for other suites that want raw Graph calls):
// trusts exactly the emulator's certificate, speaks JSON, returns status, headers and parsed body.
import { Agent, request } from 'node:https';

export interface Reply<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export class RawGraph {
  private agent: Agent;
  constructor(private base: string, ca: string, private token = 'test-token') {
    this.agent = new Agent({ ca, keepAlive: true, maxSockets: 8 });
  }

  /** `path` is relative to the Graph base (`users?$top=5`) or absolute (a nextLink). */
  call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<Reply<T>> {
    const url = /^https:/.test(path) ? new URL(path) : new URL(`${this.base}/${path.replace(/^\//, '')}`);
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            ...(text !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } : {}),
            ...headers,
          },
          timeout: opts.timeoutMs ?? 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) h[k] = Array.isArray(v) ? v.join(', ') : String(v);
            resolve({ status: res.statusCode ?? 0, headers: h, body: raw ? JSON.parse(raw) : undefined });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      if (text !== undefined) req.write(text);
      req.end();
    });
  }

  get = <T = any>(p: string, h?: Record<string, string>) => this.call<T>('GET', p, undefined, h);
  post = <T = any>(p: string, b?: unknown, h?: Record<string, string>) => this.call<T>('POST', p, b ?? {}, h);
  patch = <T = any>(p: string, b: unknown, h?: Record<string, string>) => this.call<T>('PATCH', p, b, h);
  delete = <T = any>(p: string, h?: Record<string, string>) => this.call<T>('DELETE', p, undefined, h);

  close(): void {
    this.agent.destroy();
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
