// The HTTPS front: reads the request, applies latency, token checks and faults, routes, throttles, counts,
// and writes Graph-shaped JSON. $batch re-enters `dispatch` for each inner request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAILBOX_CONCURRENCY, mailboxOf, type Ctx, type EmuRequest, type EmuResponse, type Route } from './context.js';
import { GraphError, MSG, errorBody, odataError } from './errors.js';
import type { Faults } from './faults.js';
import { Router, splitPath } from './router.js';
import type { EmulatorState } from './state.js';
import { Throttle, mailboxConcurrencyResponse } from './throttle.js';
import { TokenIssuer } from './tokens.js';
import { requirementsOf, unmet } from '../permissions.js';

export interface RequestCounts {
  /** HTTP requests received (a $batch counts once here). */
  total: number;
  /** `METHOD pattern`, e.g. 'POST users', 'GET users/{id}', 'POST $batch'; batch inner requests included. */
  byKind: Record<string, number>;
  /** Answers 429 from the throttling model (inner ones included). */
  throttled: number;
  /** Injected faults of any kind. */
  faults: number;
  /** Requests that arrived inside a $batch. */
  batchInner: number;
}

export const emptyCounts = (): RequestCounts => ({ total: 0, byKind: {}, throttled: 0, faults: 0, batchInner: 0 });

export interface PipelineDeps {
  state: EmulatorState;
  routes: Route[];
  throttle?: Throttle;
  faults?: Faults;
  tokens: TokenIssuer;
  checkTokens: boolean;
  replicationDelayMs: number;
  timeScale: number;
  teamProvisioningMs: number;
  url: () => string;
}

// Graph's words for a token without the permission (shared/reference/graph.md; the same for every operation).
const INSUFFICIENT_PRIVILEGES = 'Insufficient privileges to complete the operation.';
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY = 4 * 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const graphError = (code: string, message: string) => errorBody(new GraphError(0, code, message), randomUUID(), new Date().toISOString());

export class Pipeline {
  counts = emptyCounts();
  private router: Router;
  readonly ctx: Ctx;
  /** Sockets held open by 'timeout' faults; released on stop. */
  readonly held = new Set<ServerResponse>();
  private lastPurge = 0;
  /** Outer requests in flight per mailbox (Outlook allows 4 at once per app). */
  private inflight = new Map<string, number>();

  constructor(private deps: PipelineDeps) {
    this.router = new Router(deps.routes);
    this.ctx = {
      state: deps.state,
      get graphBase() {
        return `${deps.url()}/v1.0`;
      },
      now: () => Date.now(),
      replicationDelayMs: deps.replicationDelayMs,
      timeScale: deps.timeScale,
      teamProvisioningMs: deps.teamProvisioningMs,
      mailboxConcurrency: deps.throttle ? MAILBOX_CONCURRENCY : undefined,
      dispatch: (req) => this.dispatch(req),
    };
  }

  private count(kind: string): void {
    this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
  }

  private faultResponse(kind: '429' | '429-no-retry-after' | '503'): EmuResponse {
    this.counts.faults++;
    if (kind === '503') return { status: 503, body: graphError('ServiceUnavailable', 'The service is currently unavailable. Please retry later.'), headers: { 'Retry-After': '1' } };
    const headers: Record<string, string> = kind === '429' ? { 'Retry-After': this.deps.throttle?.retryAfterHeader(1000 / this.deps.timeScale) ?? '1' } : {};
    return { status: 429, body: graphError('TooManyRequests', MSG.tooMany), headers };
  }

  /**
   * Graph's answer to a token without the application permission an operation (or a property it reads or
   * writes) needs: 403 Authorization_RequestDenied, before anything is read or written.
   */
  private authorize(req: EmuRequest, route: Route): void {
    const select = req.params.get('$select')?.split(',');
    const missing = unmet(requirementsOf({ method: req.method, pattern: route.pattern }, { select, body: req.body }), req.roles ?? []);
    if (missing.length) throw new GraphError(403, 'Authorization_RequestDenied', INSUFFICIENT_PRIVILEGES);
  }

  /** Routing, throttling and the handler for one Graph request (outer or inside a batch). */
  async dispatch(req: EmuRequest): Promise<EmuResponse> {
    let route: Route;
    let ids: string[];
    try {
      ({ route, ids } = this.router.match(req));
    } catch (e) {
      this.count(`${req.method} ?`);
      throw e;
    }
    this.count(`${req.method} ${route.pattern}`);
    if (req.roles) this.authorize(req, route);
    if (req.inBatch) {
      this.counts.batchInner++;
      const f = this.deps.faults?.draw(true);
      if (f && (f.kind === '429' || f.kind === '429-no-retry-after' || f.kind === '503')) return this.faultResponse(f.kind);
    }
    if (req.overConcurrency) {
      this.counts.throttled++;
      return mailboxConcurrencyResponse();
    }
    let extra: Record<string, string> = {};
    if (this.deps.throttle) {
      const v = this.deps.throttle.check(req, route, Date.now());
      if (v.limited) {
        this.counts.throttled++;
        return {
          status: 429,
          body: graphError('TooManyRequests', MSG.tooMany),
          headers: {
            'Retry-After': this.deps.throttle.retryAfterHeader(v.limited.retryAfterMs),
            'x-ms-retry-after-ms': String(v.limited.retryAfterMs),
            'x-ms-throttle-scope': v.limited.scope,
            'x-ms-throttle-information': v.limited.information,
          },
        };
      }
      extra = v.headers;
    }
    try {
      const res = await route.handler(req, this.ctx, ids);
      return { ...res, headers: { ...extra, ...(res.headers ?? {}) } };
    } catch (e) {
      if (e instanceof GraphError) return { status: e.status, body: errorBody(e, randomUUID(), new Date().toISOString()), headers: { ...extra, ...(e.extra.headers ?? {}) } };
      throw e;
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const clientRequestId = (req.headers['client-request-id'] as string | undefined) ?? requestId;
    const send = (r: EmuResponse) => {
      if (res.destroyed) return;
      const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId, ...(r.headers ?? {}) };
      if (r.body !== undefined) headers['Content-Type'] = JSON_TYPE;
      const prefer = String(req.headers['prefer'] ?? '');
      if (/IdType="ImmutableId"/i.test(prefer)) headers['Preference-Applied'] = 'IdType="ImmutableId"';
      const text = r.body === undefined ? '' : JSON.stringify(r.body);
      res.writeHead(r.status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fail = (e: GraphError) => send({ status: e.status, body: errorBody(e, requestId, new Date().toISOString()), headers: e.extra.headers });

    let mailbox: string | undefined;
    try {
      const raw = await readBody(req);
      this.counts.total++;
      if (this.deps.throttle) {
        mailbox = mailboxOf(splitPath(new URL(req.url ?? '/', 'https://localhost').pathname).slice(1));
        if (mailbox) {
          const n = (this.inflight.get(mailbox) ?? 0) + 1;
          this.inflight.set(mailbox, n);
          if (n > MAILBOX_CONCURRENCY) {
            this.counts.throttled++;
            return send(mailboxConcurrencyResponse());
          }
        }
      }
      if (Date.now() - this.lastPurge > 60_000) {
        this.lastPurge = Date.now();
        this.deps.state.purgeDeleted(this.lastPurge);
      }
      if (this.deps.faults) {
        const ms = this.deps.faults.latency();
        if (ms > 0) await sleep(ms);
      }
      const url = new URL(req.url ?? '/', 'https://localhost');
      const method = (req.method ?? 'GET').toUpperCase();

      const identity = this.deps.tokens.handle(method, url.pathname, url.searchParams, raw);
      if (identity) return send(identity);
      // For benchmarks driving the CLI emulator from another process; not Graph, not counted.
      if (url.pathname === '/_emulator/counts') {
        this.counts.total--;
        if (method === 'DELETE') this.counts = emptyCounts();
        return send({ status: 200, body: this.counts });
      }

      const segs = splitPath(url.pathname);
      if (segs[0] !== 'v1.0') throw odataError(`Invalid version: ${segs[0] ?? ''}`, 400);
      const authorization = req.headers['authorization'];
      let appId = TokenIssuer.peekAppId(authorization);
      let roles = this.deps.tokens.rolesWithoutChecking(authorization);
      if (this.deps.checkTokens) {
        const v = this.deps.tokens.verify(authorization);
        if ('error' in v) throw new GraphError(401, 'InvalidAuthenticationToken', v.error);
        appId = v.appId;
        roles = v.roles;
      }

      const fault = this.deps.faults?.draw(false);
      if (fault && (fault.kind === '429' || fault.kind === '429-no-retry-after' || fault.kind === '503')) return send(this.faultResponse(fault.kind));
      if (fault && !fault.afterHandler) return this.connectionFault(fault.kind, res);

      let body: unknown;
      if (raw.length) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw odataError('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
      const result = await this.dispatch({ method, segments: segs.slice(1), params: url.searchParams, headers, body, appId, roles, inBatch: false });
      if (fault) return this.connectionFault(fault.kind, res);
      send(result);
    } catch (e) {
      if (e instanceof GraphError) return fail(e);
      // Anything else is an emulator bug; answer 500 like Graph would rather than hang the client.
      fail(new GraphError(500, 'InternalServerError', e instanceof Error ? e.message : String(e)));
    } finally {
      if (mailbox) {
        const n = (this.inflight.get(mailbox) ?? 1) - 1;
        if (n <= 0) this.inflight.delete(mailbox);
        else this.inflight.set(mailbox, n);
      }
    }
  }

  private connectionFault(kind: string, res: ServerResponse): void {
    this.counts.faults++;
    if (kind === 'reset') {
      // TLS sockets cannot send an RST (resetAndDestroy throws); destroying them mid-request looks the same to a
      // client: "socket hang up" / ECONNRESET.
      res.socket?.destroy();
      res.destroy();
      return;
    }
    // timeout: hold the request like a stuck backend, then answer as Graph's gateway does. A client without its own
    // timeout waits that long; one with a shorter timeout gives up first. Released at once when the emulator stops.
    this.held.add(res);
    const timer = setTimeout(() => {
      this.held.delete(res);
      if (!res.destroyed && !res.headersSent) {
        const text = JSON.stringify(graphError('GatewayTimeout', 'The request timed out.'));
        res.writeHead(504, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) }).end(text);
      }
    }, this.deps.faults?.timeoutMs ?? 30_000);
    res.on('close', () => {
      clearTimeout(timer);
      this.held.delete(res);
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
