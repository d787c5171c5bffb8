// A large collection read as partitions fetched side by side instead of one chain of pages (each page waits for the
// previous page's nextLink: 108 pages of 999 users are 108 round trips one after another). Graph lets /users be
// filtered by `startswith(userPrincipalName, …)` in a default query (strongly consistent, no ConsistencyLevel), so
// the partitions are the first characters a userPrincipalName may have. /groups/delta accepts no such filter
// (only `id eq`), so groups stay one delta sweep.
//
// Unknown is never absent: every partition is read to its last page (any failed page fails the read), and the
// partitions must be seen to cover the collection. Entra refuses any other first character, but rather than trust
// that, the union is checked against the collection's `$count` (an advanced query, ConsistencyLevel: eventual; it
// is also what says the collection is large enough for partitions): a union that differs (an object in no
// partition, or an index that lags) means the collection is read again the old way, as one chain of pages, and so
// does a count Graph will not give. Slower, never incomplete.
import type { z } from 'zod';
import { TenantError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { GraphClient } from './client.js';
import { checkPage, getJson, readAll, type Page } from './paging.js';
import type { RetryPolicy } from './retry.js';

/**
 * The first characters of a userPrincipalName as Entra allows them (letters, digits and ' - _ ! # ^ ~; never a
 * dot). startswith compares case-insensitively, so one letter stands for both cases.
 */
export const UPN_FIRST_CHARACTERS: readonly string[] = [...'abcdefghijklmnopqrstuvwxyz0123456789', "'", '-', '_', '!', '#', '^', '~'];

/** Collections of more pages than this are read in partitions. */
export const PARTITION_FROM_PAGES = 8;

/** Partitions read at once: enough to hide the latency of ~100 pages, far inside Graph's read budget (1 RU a page). */
export const PARTITION_CONCURRENCY = 12;

/** `startswith(prop,'c')` as a $filter value, the quote doubled as OData wants and the whole URL-encoded. */
export function startsWithFilter(prop: string, prefix: string): string {
  return encodeURIComponent(`startswith(${prop},'${prefix.replace(/'/g, "''")}')`);
}

export interface PartitionedRead<S extends z.ZodType> {
  graph: GraphClient;
  /** The collection's path, e.g. `/users`. */
  path: string;
  /** Query options every request carries ($select, $top), without the leading `?`. */
  query: string;
  /** One $filter value (already URL-encoded) per partition; together they should cover the collection. */
  filters: readonly string[];
  /** The $top every page asks for (the count is compared with it). */
  pageSize: number;
  what: string;
  item: S;
  log: Logger;
  policy?: RetryPolicy;
  concurrency?: number;
}

/**
 * Every item of the collection. One of one or two pages is read as it always was (partitions would cost more
 * requests than they save time); then the count decides: up to PARTITION_FROM_PAGES pages, the chain goes on; more,
 * and the collection is read in partitions, checked against that count. Items are merged by id (an object renamed
 * mid-read may show twice).
 */
export async function readPartitioned<S extends z.ZodType<{ id: string }>>(r: PartitionedRead<S>): Promise<z.infer<S>[]> {
  const opts = r.policy ? { policy: r.policy } : {};
  const whole = `${r.path}?${r.query}`;
  const fetched: Page<unknown>[] = [];
  const chain = () => readAll(r.graph, whole, r.what, r.item, { ...opts, fetched });
  for (let next: string | undefined = whole; fetched.length < 2; ) {
    const page: Page<unknown> = await getJson<Page<unknown>>(r.graph, next, `${r.what} (page ${fetched.length + 1})`, undefined, r.policy);
    checkPage(page, r.what, fetched.length + 1);
    fetched.push(page);
    next = page['@odata.nextLink'] ?? undefined;
    if (!next) return chain();
  }
  const total = await countOf(r.graph, r.path, r.what, r.policy);
  if (total === undefined || total <= r.pageSize * PARTITION_FROM_PAGES) return chain();
  const parts = await pool(r.filters, r.concurrency ?? PARTITION_CONCURRENCY, (filter) => readAll(r.graph, `${whole}&$filter=${filter}`, `${r.what} (${decodeURIComponent(filter)})`, r.item, opts));
  const byId = new Map<string, z.infer<S>>();
  for (const part of parts) for (const it of part) byId.set(it.id, it);
  if (byId.size === total) return [...byId.values()];
  r.log.warn(`graph: ${r.what}: the partitions hold ${byId.size}, the collection's count says ${total}; reading it again as one list`);
  return chain();
}

/** `$count` of the collection (eventually consistent), or undefined when Graph will not say. */
async function countOf(graph: GraphClient, path: string, what: string, policy?: RetryPolicy): Promise<number | undefined> {
  try {
    const page = await getJson<{ '@odata.count'?: unknown }>(graph, `${path}?$select=id&$top=1&$count=true`, `${what} (count)`, { ConsistencyLevel: 'eventual' }, policy);
    return typeof page['@odata.count'] === 'number' ? page['@odata.count'] : undefined;
  } catch (err) {
    if (err instanceof TenantError) return undefined;
    throw err;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects on the first failure (the others' results are dropped). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
