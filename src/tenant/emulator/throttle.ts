// Graph's throttling model for identity (users, groups, directory) and Outlook (events), from
// shared/reference/graph.md: per app per tenant resource units per 10 s (3,500 / 5,000 / 8,000 by tenant size),
// 3,000 writes per 150 s, 20 writes per second; per tenant (all apps) 18,000 writes per 5 min;
// Outlook 10,000 requests per 10 min per app per mailbox. Windows are fixed and run in model time, which
// advances `timeScale` times faster than the wall clock, so tests can exhaust and refill the real quotas quickly.
// Note that 20 writes/s × 150 s is exactly the 3,000-write quota: a single app meets the per-second limit first.
//
// Retry-After unit: real (wall-clock) seconds, already divided by timeScale. With timeScale 1 it is a whole
// number (≥ 1), as Graph sends; with any other timeScale it has three decimals ("0.125"), which
// @microsoft/microsoft-graph-client's RetryHandler honours (it reads the header with Number()).
// `x-ms-retry-after-ms` carries the same wait in milliseconds for clients and benchmarks that want precision.
import { randomUUID } from 'node:crypto';
import type { EmuRequest, EmuResponse, Route } from './context.js';
import { GraphError, errorBody } from './errors.js';

export type TenantSize = 'small' | 'medium' | 'large';
export interface ThrottleLimits {
  /** Resource units per app per tenant per 10 s; default by tenant size (3,500 / 5,000 / 8,000). */
  ruPer10s: number;
  writesPerSecond: number;
  writesPer150s: number;
  tenantWritesPer5min: number;
  mailboxPer10min: number;
}

export interface ThrottleOptions {
  timeScale?: number;
  tenantSize?: TenantSize;
  /** Overrides of Graph's published limits, for tests and benchmarks that want a quota reached in few requests. */
  limits?: Partial<ThrottleLimits>;
}

const RU_LIMIT: Record<TenantSize, number> = { small: 3500, medium: 5000, large: 8000 };

/** A window opens at its first request and closes `windowMs` (model time) later, so a test's burst is never split. */
class FixedWindow {
  private start = -Infinity;
  used = 0;
  constructor(readonly limit: number, readonly windowMs: number) {}

  private roll(model: number): void {
    if (model >= this.start + this.windowMs) {
      this.start = model;
      this.used = 0;
    }
  }

  /** Model milliseconds until `cost` fits, or 0 when it fits now. */
  waitFor(model: number, cost: number): number {
    this.roll(model);
    return this.used + cost <= this.limit ? 0 : this.start + this.windowMs - model;
  }

  take(model: number, cost: number): void {
    this.roll(model);
    this.used += cost;
  }
}

export interface Verdict {
  headers: Record<string, string>;
  /** Set when the request must be refused with 429. */
  limited?: { retryAfterMs: number; scope: string; information: string };
}

export class Throttle {
  readonly timeScale: number;
  private windows = new Map<string, FixedWindow>();
  private readonly t0 = Date.now();

  constructor(
    private opts: ThrottleOptions,
    private tenant: () => { id: string; userCount: number },
  ) {
    this.timeScale = opts.timeScale && opts.timeScale > 0 ? opts.timeScale : 1;
  }

  private model(now: number): number {
    return this.t0 + (now - this.t0) * this.timeScale;
  }

  private win(key: string, limit: number, windowMs: number): FixedWindow {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = new FixedWindow(limit, windowMs)));
    return w;
  }

  private size(): TenantSize {
    if (this.opts.tenantSize) return this.opts.tenantSize;
    const n = this.tenant().userCount;
    return n < 50 ? 'small' : n <= 500 ? 'medium' : 'large';
  }

  /** Resource units of one directory request: GET by route (users 2, members 3 …), writes 1; $select −1, $expand +1, at least 1. */
  static cost(req: EmuRequest, route: Route): number {
    if (req.method !== 'GET') return 1;
    let ru = route.ru ?? 1;
    if (req.params.has('$select')) ru -= 1;
    if (req.params.has('$expand')) ru += 1;
    return Math.max(1, ru);
  }

  check(req: EmuRequest, route: Route, now: number): Verdict {
    if (route.service === 'none' || route.service === 'teams') return { headers: {} };
    const model = this.model(now);
    const { id: tenantId } = this.tenant();
    const app = req.appId;
    const checks: { w: FixedWindow; cost: number; scope: string; information: string }[] = [];
    let ru = 0;
    if (route.service === 'directory') {
      const write = req.method !== 'GET';
      ru = Throttle.cost(req, route);
      const limit = this.opts.limits?.ruPer10s ?? RU_LIMIT[this.size()];
      const L = this.opts.limits ?? {};
      checks.push({ w: this.win(`ru:${app}:${limit}`, limit, 10_000), cost: ru, scope: `Tenant_Application/ReadWrite/${app}/${tenantId}`, information: 'ResourceUnitLimitExceeded' });
      if (write) {
        checks.push({ w: this.win(`wps:${app}`, L.writesPerSecond ?? 20, 1_000), cost: 1, scope: `Tenant_Application/Write/${app}/${tenantId}`, information: 'WriteLimitExceeded' });
        checks.push({ w: this.win(`w:${app}`, L.writesPer150s ?? 3_000, 150_000), cost: 1, scope: `Tenant_Application/Write/${app}/${tenantId}`, information: 'WriteLimitExceeded' });
        checks.push({ w: this.win('w:tenant', L.tenantWritesPer5min ?? 18_000, 300_000), cost: 1, scope: `Tenant/Write/${app}/${tenantId}`, information: 'WriteLimitExceeded' });
      }
    } else {
      const mailbox = (req.segments[1] ?? '').toLowerCase();
      checks.push({ w: this.win(`mbx:${app}:${mailbox}`, this.opts.limits?.mailboxPer10min ?? 10_000, 600_000), cost: 1, scope: `Application_Mailbox/ReadWrite/${app}/${mailbox}`, information: 'MailboxConcurrencyLimitExceeded' });
    }
    let worst: (typeof checks)[number] | undefined;
    let wait = 0;
    for (const c of checks) {
      const w = c.w.waitFor(model, c.cost);
      if (w > wait) {
        wait = w;
        worst = c;
      }
    }
    if (worst) {
      return { headers: {}, limited: { retryAfterMs: Math.max(1, Math.ceil(wait / this.timeScale)), scope: worst.scope, information: worst.information } };
    }
    for (const c of checks) c.w.take(model, c.cost);
    const headers: Record<string, string> = {};
    if (route.service === 'directory') {
      headers['x-ms-resource-unit'] = String(ru);
      const first = checks[0].w;
      const pct = first.used / first.limit;
      if (pct >= 0.8) headers['x-ms-throttle-limit-percentage'] = pct.toFixed(2);
    }
    return { headers };
  }

  retryAfterHeader(ms: number): string {
    if (this.timeScale === 1) return String(Math.max(1, Math.ceil(ms / 1000)));
    return Math.max(0.001, ms / 1000).toFixed(3);
  }
}

/** Outlook's answer to a fifth concurrent request on one mailbox. */
export function mailboxConcurrencyResponse(): EmuResponse {
  const body = errorBody(new GraphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'), randomUUID(), new Date().toISOString());
  return { status: 429, headers: { 'Retry-After': '1' }, body };
}
