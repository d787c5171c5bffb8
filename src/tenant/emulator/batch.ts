// POST /$batch: up to 20 inner requests, dependsOn ordering, 424 for dependents of a failure. Each inner request
// goes back through the server pipeline (routing, throttling, faults), so a 429 can sit inside a 200 batch.
import type { Ctx, EmuRequest, EmuResponse, Route } from './context.js';
import { json, mailboxOf } from './context.js';
import { GraphError, odataError } from './errors.js';
import { splitPath } from './router.js';

export const MAX_BATCH = 20;

interface Inner {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

function parseInner(raw: unknown): Inner {
  const r = raw as Partial<Inner> | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !r.id || typeof r.method !== 'string' || typeof r.url !== 'string') {
    throw odataError('Invalid batch payload format.');
  }
  if (r.dependsOn !== undefined && (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string'))) throw odataError('Invalid batch payload format.');
  return r as Inner;
}

function toRequest(outer: EmuRequest, inner: Inner): EmuRequest {
  let url = inner.url.trim();
  const abs = /^https?:\/\/[^/]+\/(v1\.0|beta)\//i.exec(url);
  if (abs) url = url.slice(abs[0].length);
  url = url.replace(/^\/+/, '').replace(/^v1\.0\//i, '');
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(inner.headers ?? {})) headers[k.toLowerCase()] = String(v);
  return {
    method: inner.method.toUpperCase(),
    segments: splitPath(q < 0 ? url : url.slice(0, q)),
    params: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers,
    body: inner.body,
    appId: outer.appId,
    roles: outer.roles,
    inBatch: true,
  };
}

async function runBatch(req: EmuRequest, ctx: Ctx) {
  if (req.inBatch) throw odataError('Nested batch requests are not supported.');
  const raw = (req.body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(raw)) throw odataError('Invalid batch payload format.');
  if (raw.length === 0) throw odataError('Invalid batch payload format: the batch contains no requests.');
  if (raw.length > MAX_BATCH) throw odataError(`The number of requests in the batch exceeds the limit of ${MAX_BATCH}.`);
  const inners = raw.map(parseInner);
  const ids = new Set<string>();
  for (const r of inners) {
    if (ids.has(r.id)) throw odataError(`Batch request ids must be unique; id '${r.id}' occurs more than once.`);
    ids.add(r.id);
  }
  for (const r of inners) {
    for (const d of r.dependsOn ?? []) if (!ids.has(d) || d === r.id) throw odataError(`Request id '${r.id}' depends on unknown request id '${d}'.`);
    const hasType = Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    if (r.body !== undefined && r.body !== null && !hasType) throw odataError(`Write request id : ${r.id} does not contain Content-Type header or body.`);
  }

  const results = new Map<string, EmuResponse>();
  // Graph runs independent inner requests in parallel: more than 4 on one mailbox without dependsOn exceed
  // Outlook's concurrency limit. Chaining them with dependsOn is the documented way round.
  const over = new Set<string>();
  if (ctx.mailboxConcurrency !== undefined) {
    const perMailbox = new Map<string, number>();
    for (const r of inners) {
      if (r.dependsOn?.length) continue;
      const mb = mailboxOf(toRequest(req, r).segments);
      if (!mb) continue;
      const n = (perMailbox.get(mb) ?? 0) + 1;
      perMailbox.set(mb, n);
      if (n > ctx.mailboxConcurrency) over.add(r.id);
    }
  }
  const pending = [...inners];
  // Requests run in array order once their dependencies have answered; a cycle leaves some unrunnable.
  while (pending.length) {
    const idx = pending.findIndex((r) => (r.dependsOn ?? []).every((d) => results.has(d)));
    if (idx < 0) throw odataError('The dependsOn graph of the batch contains a cycle.');
    const r = pending.splice(idx, 1)[0];
    const failed = (r.dependsOn ?? []).find((d) => results.get(d)!.status >= 400);
    if (failed !== undefined) {
      results.set(r.id, { status: 424, body: { error: { code: 'FailedDependency', message: `Request '${r.id}' was not run because request '${failed}' it depends on failed.` } } });
      continue;
    }
    let res: EmuResponse;
    try {
      res = await ctx.dispatch({ ...toRequest(req, r), overConcurrency: over.has(r.id) });
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      res = { status: e.status, body: { error: { code: e.code, message: e.message } } };
    }
    results.set(r.id, res);
  }
  // Graph does not keep the order; answering in reverse makes clients that assume it fail in tests, not in production.
  const responses = [...inners].reverse().map((r) => {
    const res = results.get(r.id)!;
    const headers = { ...(res.body !== undefined ? { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' } : {}), ...(res.headers ?? {}) };
    return { id: r.id, status: res.status, headers, ...(res.body !== undefined ? { body: res.body } : {}) };
  });
  return json(200, { responses });
}

export const batchRoutes: Route[] = [{ method: 'POST', pattern: '$batch', handler: runBatch, service: 'none' }];
