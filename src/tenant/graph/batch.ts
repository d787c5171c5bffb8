// JSON batching payloads: pure functions from queued requests to a $batch body and back.
import { BATCH_LIMIT } from './constants.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface GraphCall {
  method: Method;
  /** Relative to the version root, starting with '/': '/users', '/groups/{id}/members/$ref'. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Requests with the same chain run one after another inside a batch (dependsOn), e.g. one mailbox
   * (Outlook allows 4 concurrent requests per mailbox) or one group being patched.
   */
  chain?: string;
  /**
   * Safe to send again when an earlier attempt may have been carried out (5xx, lost connection):
   * true for reads and for writes whose repetition Graph recognises (conflict, transactionId, 404 on delete).
   * Defaults to true for GET, PATCH and DELETE, false for POST.
   */
  resend?: boolean;
}

export interface BatchRequestItem {
  id: string;
  method: Method;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchResponseItem {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function isWrite(call: GraphCall): boolean {
  return call.method !== 'GET';
}

/**
 * Writes charged to Graph's directory write quota (3,000 per 150 s per app): everything but Outlook mailbox calls
 * (events, sendMail), whose own limits are per mailbox (10,000 per 10 min, 4 at once; chains keep to those), and
 * Teams' calls (team create, archive), which Teams limits itself (10 POSTs a second; see quotaOf).
 * Pacing Outlook or Teams writes against the directory quota would slow a first sync for nothing.
 */
export function usesWriteQuota(call: GraphCall): boolean {
  return isWrite(call) && !/^\/users\/[^/?]+\/(events|calendar\/|sendMail)/i.test(call.url) && !isTeamsCall(call);
}

const isTeamsCall = (call: GraphCall) => /^\/teams(?=[/?(]|$)/i.test(call.url);

/** The quota a call is paced under: Graph's directory writes, Teams' POSTs, or none (reads, Outlook's mailboxes). */
export type Quota = 'directory' | 'teams';

export function quotaOf(call: GraphCall): Quota | undefined {
  if (!isWrite(call)) return undefined;
  if (isTeamsCall(call)) return 'teams';
  return usesWriteQuota(call) ? 'directory' : undefined;
}

export function canResend(call: GraphCall): boolean {
  return call.resend ?? call.method !== 'POST';
}

/** Builds the $batch body; ids are positions (1-based), chained calls depend on the previous one of their chain. */
export function toBatchPayload(calls: GraphCall[]): { requests: BatchRequestItem[] } {
  if (calls.length === 0 || calls.length > BATCH_LIMIT) throw new RangeError(`a batch holds 1 to ${BATCH_LIMIT} requests, not ${calls.length}`);
  const lastOfChain = new Map<string, string>();
  const requests = calls.map((call, i): BatchRequestItem => {
    const id = String(i + 1);
    const item: BatchRequestItem = { id, method: call.method, url: call.url };
    const headers: Record<string, string> = { ...(call.headers ?? {}) };
    if (call.body !== undefined) {
      item.body = call.body;
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    if (Object.keys(headers).length) item.headers = headers;
    if (call.chain !== undefined) {
      const previous = lastOfChain.get(call.chain);
      if (previous) item.dependsOn = [previous];
      lastOfChain.set(call.chain, id);
    }
    return item;
  });
  return { requests };
}

/** Lower-cases header names: Graph's inner responses are not consistent about case. */
function lowerHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * Matches a $batch answer to the calls by id (Graph does not keep the order).
 * A call without an answer gets status 0: whether it ran is unknown.
 */
export function fromBatchResponse(count: number, body: unknown): BatchResponseItem[] {
  const responses = (typeof body === 'object' && body !== null ? (body as { responses?: unknown }).responses : undefined);
  const byId = new Map<string, BatchResponseItem>();
  if (Array.isArray(responses)) {
    for (const r of responses as Record<string, unknown>[]) {
      if (r && typeof r.id === 'string' && typeof r.status === 'number') {
        byId.set(r.id, { id: r.id, status: r.status, headers: lowerHeaders(r.headers as Record<string, unknown>), body: r.body });
      }
    }
  }
  return Array.from({ length: count }, (_, i) => byId.get(String(i + 1)) ?? { id: String(i + 1), status: 0, headers: {}, body: undefined });
}
