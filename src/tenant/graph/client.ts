// The one place a Microsoft Graph client is built, for a real tenant and for the local emulator alike:
// graph-client v3's own middleware (auth → redirect → origin guard → telemetry → HTTP) with a counter in front of
// HTTP. No SDK RetryHandler: rollcall retries in one place each, reads in paging.ts (getJson) and $batch in queue.ts,
// with one budget; the SDK's retries stacked under those multiplied every attempt by four (~160 sends for one page).
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler, Client, GraphClientError, HTTPMessageHandler, RedirectHandler, RedirectHandlerOptions, TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';
import { endpointProblem } from '../../config/endpoints.js';
import { ConfigError, TenantError } from '../../errors.js';
import { rolesOfToken } from '../permissions.js';

export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';

export interface GraphClientOptions {
  credential: TokenCredential;
  /** Origin of the Graph service, e.g. https://graph.microsoft.com or the emulator's https://127.0.0.1:port. */
  graphUrl?: string;
  /** PEM of the only CA to trust (the local emulator's self-signed certificate). */
  ca?: string | Buffer;
  /** No answer within this long counts as no answer at all (default 100 s, Graph's own gateway timeout). */
  timeoutMs?: number;
  /** Called for every response that reaches the wire layer, retries included. */
  onResponse?: (status: number, retryAfter: string | null) => void;
  /** `tenant.graph.allowCustomEndpoints`: a graphUrl outside Microsoft's clouds (and this machine) is allowed. */
  allowCustomEndpoint?: boolean;
}

export interface GraphClient {
  client: Client;
  origin: string;
  /** HTTP requests sent so far (each retry counts). */
  requests(): number;
  /** 429 answers to whole requests (not the ones inside a $batch). */
  throttled(): number;
  /** True once close() was called: nothing sent after that can succeed, so nothing should be retried. */
  closed?(): boolean;
  /** The application permissions of the access token it sends (the `roles` claim); signs in if need be. */
  grantedPermissions?(): Promise<string[]>;
  close(): Promise<void>;
}

/** Counts what actually goes on the wire; sits just before the HTTP handler so it sees every retry. */
class CountingHandler implements Middleware {
  private next?: Middleware;
  requests = 0;
  throttled = 0;
  constructor(private readonly onResponse?: (status: number, retryAfter: string | null) => void) {}
  async execute(context: Context): Promise<void> {
    this.requests++;
    try {
      await this.next!.execute(context);
    } finally {
      const status = context.response?.status ?? 0;
      if (status === 429) this.throttled++;
      this.onResponse?.(status, context.response?.headers.get('Retry-After') ?? null);
    }
  }
  setNext(next: Middleware): void { this.next = next; }
}

/**
 * Nothing leaves for another origin than the configured one: a nextLink, a Location or a redirect naming another
 * host (or another port of this machine) would otherwise carry the bearer token there, since graph-client attaches
 * it to every Microsoft Graph cloud and to every port of a custom host. Sits after the redirect handler, so each
 * hop is checked; rollcall reads and writes nothing Graph serves from elsewhere.
 */
class OriginGuard implements Middleware {
  private next?: Middleware;
  constructor(private readonly origin: string) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    let origin: string | undefined;
    try { origin = new URL(url).origin; } catch { origin = undefined; }
    if (origin !== this.origin) throw new ForeignHostError(url, this.origin);
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void { this.next = next; }
}

/**
 * A request refused because it would have gone to another host than tenant.graph.graphUrl. A GraphClientError,
 * because graph-client passes those through unchanged (any other error becomes a GraphError without status,
 * which reads as "no answer" and would be retried); readers turn it into a TenantError with refusedHost().
 */
export class ForeignHostError extends GraphClientError {
  constructor(url: string, origin: string) {
    let host = url;
    try { host = new URL(url).host; } catch { /* not a URL: show it as it is */ }
    super(`refused to send a request to ${host}: rollcall only talks to the configured Graph address ${origin} (a nextLink or redirect named another host)`);
    // GraphClientError's constructor resets the prototype to its own; restore ours so instanceof works.
    Object.setPrototypeOf(this, ForeignHostError.prototype);
    this.name = 'ForeignHostError';
  }
}

/** The TenantError for a refused host (final: sending again would be refused again), or undefined. */
export function refusedHost(err: unknown, what: string): TenantError | undefined {
  if (!(err instanceof ForeignHostError)) return undefined;
  return new TenantError(`${what}: ${err.message}`, { code: 'ForeignHost' }, { cause: err, retryable: false });
}

function methodOf(request: string | { method?: string }, options: { method?: string } | undefined): string {
  return (options?.method ?? (typeof request === 'string' ? 'GET' : request.method) ?? 'GET').toUpperCase();
}

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const graphUrl = opts.graphUrl ?? DEFAULT_GRAPH_URL;
  const refused = endpointProblem('graph', graphUrl, opts.allowCustomEndpoint ?? false);
  if (refused) throw new ConfigError(`tenant.graph.graphUrl: ${refused}`);
  const origin = new URL(graphUrl).origin;
  const host = new URL(origin).hostname;
  const authProvider = new TokenCredentialAuthenticationProvider(opts.credential, {
    scopes: [`${origin}/.default`],
  });
  const counter = new CountingHandler(opts.onResponse);
  const chain: Middleware[] = [
    new AuthenticationHandler(authProvider), new RedirectHandler(new RedirectHandlerOptions()),
    new OriginGuard(origin), new TelemetryHandler(), counter, new HTTPMessageHandler(),
  ];
  for (let i = 0; i < chain.length - 1; i++) (chain[i] as Middleware & { setNext(m: Middleware): void }).setNext(chain[i + 1]);
  const timeout = opts.timeoutMs ?? 100_000;
  // Without a timeout a request whose answer never comes would hang the run; a timed-out write counts as uncertain.
  const agent = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, ...(opts.ca !== undefined ? { connect: { ca: opts.ca } } : {}) });
  const client = Client.initWithMiddleware({
    middleware: chain[0],
    baseUrl: origin,
    defaultVersion: 'v1.0',
    // The auth handler attaches the token only to Graph's own hosts and these.
    customHosts: new Set([host]),
    fetchOptions: { dispatcher: agent } as RequestInit,
  });
  let closed = false;
  return {
    client,
    origin,
    requests: () => counter.requests,
    throttled: () => counter.throttled,
    closed: () => closed,
    grantedPermissions: async () => {
      let token;
      try {
        token = await opts.credential.getToken(`${origin}/.default`);
      } catch (err) {
        throw new TenantError(`signing in to Microsoft Graph failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { code: 'SignInFailed' }, { cause: err });
      }
      if (!token) throw new TenantError('signing in to Microsoft Graph gave no access token', { code: 'SignInFailed' });
      return rolesOfToken(token.token);
    },
    close: async () => { closed = true; await agent.destroy(); },
  };
}
