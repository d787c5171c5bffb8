// Following @odata.nextLink to the end. Any failed page aborts the read: a partial list would look like
// objects that are not there, and rollcall would plan to create (or stop managing) them.
import type { GraphClient } from './client.js';
import { infoOfThrown, tenantError } from './errors.js';

export interface Page<T> { value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }

export async function getJson<T>(graph: GraphClient, url: string, what: string, headers?: Record<string, string>): Promise<T> {
  try {
    let req = graph.client.api(url);
    if (headers) req = req.headers(headers);
    const body = (await req.get()) as unknown;
    if (typeof body !== 'object' || body === null) throw new Error('the answer is not a JSON object');
    return body as T;
  } catch (err) {
    throw tenantError(`reading ${what}`, infoOfThrown(err), err);
  }
}

/** All items of a collection; with `delta`, insists on ending at a deltaLink (else the round is incomplete). */
export async function readAll<T>(graph: GraphClient, url: string, what: string, opts: { delta?: boolean; headers?: Record<string, string>; onPage?: (n: number) => void } = {}): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    const page: Page<T> = await getJson<Page<T>>(graph, next, `${what} (page ${pages + 1})`, opts.headers);
    if (!Array.isArray(page.value)) throw tenantError(`reading ${what} (page ${pages + 1})`, { status: 200, code: 'MalformedPage', message: 'page without a value array' });
    out.push(...page.value);
    pages++;
    opts.onPage?.(out.length);
    next = page['@odata.nextLink'];
    if (!next && opts.delta && !page['@odata.deltaLink']) {
      throw tenantError(`reading ${what}`, { status: 200, code: 'IncompleteDelta', message: 'the last page carries neither a nextLink nor a deltaLink' });
    }
  }
  return out;
}
