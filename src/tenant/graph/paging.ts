// Following @odata.nextLink to the end. Any failed page aborts the read: a partial list would look like
// objects that are not there, and rollcall would plan to create (or stop managing) them.
import type { z } from 'zod';
import { TenantError } from '../../errors.js';
import { PageLinks, readAnswer } from './answers.js';
import { refusedHost, type GraphClient } from './client.js';
import { infoOfThrown, tenantError } from './errors.js';
import { type RetryPolicy, type Verdict, backoffMs, decide, defaultRetryPolicy } from './retry.js';

export interface Page<T> { value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }

/**
 * One GET, and the only place a read is retried (the client has no retry middleware of its own): 429, 5xx, a lost
 * connection or a timeout, within the policy's budget. A read is always safe to send again.
 */
export async function getJson<T>(graph: GraphClient, url: string, what: string, headers?: Record<string, string>, policy: RetryPolicy = defaultRetryPolicy): Promise<T> {
  for (let attempt = 1, throttled = 0, malformed = 0; ; attempt++) {
    try {
      let req = graph.client.api(url);
      if (headers) req = req.headers(headers);
      const body = (await req.get()) as unknown;
      if (typeof body !== 'object' || body === null) throw tenantError(`reading ${what}`, { status: 200, code: 'MalformedAnswer', message: 'the answer is not a JSON object' });
      return body as T;
    } catch (err) {
      if (err instanceof TenantError) throw err;
      const refused = refusedHost(err, `reading ${what}`);
      if (refused) throw refused;
      const info = infoOfThrown(err);
      // The run closed the client (another read failed first): retrying a request that cannot be sent would only
      // keep the process alive through the whole backoff after the error was reported.
      if (graph.closed?.()) throw tenantError(`reading ${what}`, info, err);
      const retryAfter = (err as { headers?: Headers }).headers?.get?.('Retry-After') ?? null;
      if (info.status === 429) throttled++;
      // A malformed answer (a page cut off on the way) is sent once more, as a lost connection would be; one that
      // comes back malformed again is the answer, not bad luck, and waiting through the whole backoff would not help.
      const verdict: Verdict = info.code === 'MalformedAnswer'
        ? (malformed++ ? { kind: 'final' } : { kind: 'uncertain', delayMs: backoffMs(1, policy) })
        : decide(info.status, retryAfter, info.status === 429 ? throttled : attempt - throttled, policy);
      if (verdict.kind === 'final') throw tenantError(`reading ${what}`, info, err, { method: 'GET', url }, info.status === 403 ? await rolesOf(graph) : undefined);
      await new Promise((r) => setTimeout(r, verdict.delayMs));
      if (graph.closed?.()) throw tenantError(`reading ${what}`, info, err);
    }
  }
}

/** The token's permissions, to name only those a refused request lacks; undefined when they cannot be read. */
export async function rolesOf(graph: GraphClient): Promise<string[] | undefined> {
  return graph.grantedPermissions?.().catch(() => undefined);
}

/**
 * All items of a collection, each checked against `item` (a wrong-typed field fails the read, naming page, index
 * and field); with `delta`, insists on ending at a deltaLink (else the round is incomplete).
 */
/** A page's shape (a value array, string links), checked before anything follows its links. */
export function checkPage(page: Page<unknown>, what: string, n: number): asserts page is Page<unknown> & { value: unknown[] } {
  if (!Array.isArray(page.value)) throw tenantError(`reading ${what} (page ${n})`, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
  readAnswer(PageLinks, page, `reading ${what} (page ${n})`);
}

export async function readAll<S extends z.ZodType>(graph: GraphClient, url: string, what: string, item: S, opts: { delta?: boolean; headers?: Record<string, string>; policy?: RetryPolicy; fetched?: Page<unknown>[] } = {}): Promise<z.infer<S>[]> {
  const out: z.infer<S>[] = [];
  let next: string | undefined = url;
  let pages = 0;
  // `fetched`: the first pages of `url` (each the answer to the previous one's nextLink), already fetched by a
  // caller that looked at them first.
  const fetched = [...(opts.fetched ?? [])];
  while (next) {
    const page: Page<unknown> = fetched.shift() ?? await getJson<Page<unknown>>(graph, next, `${what} (page ${pages + 1})`, opts.headers, opts.policy);
    checkPage(page, what, pages + 1);
    page.value.forEach((v, i) => out.push(readAnswer(item, v, `reading ${what} (page ${pages + 1})`, `value[${i}]`)));
    pages++;
    next = page['@odata.nextLink'] ?? undefined;
    if (!next && opts.delta && !page['@odata.deltaLink']) {
      throw tenantError(`reading ${what}`, { status: 200, code: 'IncompleteDelta', message: 'the last page carries neither a nextLink nor a deltaLink' });
    }
  }
  return out;
}
