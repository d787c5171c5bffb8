// The one place a Microsoft Graph client is built, for a real tenant and for the local emulator alike:
// graph-client v3's own middleware (auth → redirect → telemetry → HTTP) with a counter in front of HTTP. No SDK
// RetryHandler: rollcall retries in one place each, reads in paging.ts (getJson) and $batch in queue.ts, with one
// budget; the SDK's retries stacked under those multiplied every attempt by four (~160 sends for one page).
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler, Client, HTTPMessageHandler, RedirectHandler, RedirectHandlerOptions, TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';

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

export function createGraphClient(opts: GraphClientOptions): GraphClient {
  const origin = new URL(opts.graphUrl ?? DEFAULT_GRAPH_URL).origin;
  const host = new URL(origin).hostname;
  const authProvider = new TokenCredentialAuthenticationProvider(opts.credential, {
    scopes: [`${origin}/.default`],
  });
  const counter = new CountingHandler(opts.onResponse);
  const chain: Middleware[] = [
    new AuthenticationHandler(authProvider), new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(), counter, new HTTPMessageHandler(),
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
    close: async () => { closed = true; await agent.destroy(); },
  };
}
