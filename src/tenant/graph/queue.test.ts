// The batch queue against a scripted stand-in for the $batch endpoint (no HTTP): batching, concurrency,
// Retry-After, resend rules and write pacing.
import { describe, expect, it } from 'vitest';
import { TenantError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import type { BatchRequestItem } from './batch.js';
import type { GraphClient } from './client.js';
import { SlidingWindowPacer } from './pacing.js';
import { BatchQueue } from './queue.js';

type Inner = { status: number; headers?: Record<string, string>; body?: unknown };

function fakeGraph(answer: (r: BatchRequestItem, seen: number) => Inner, latency: number | ((requests: BatchRequestItem[]) => number) = 5) {
  const stats = { batches: 0, inflight: 0, maxInflight: 0, sizes: [] as number[], arrivals: new Map<string, number[]>() };
  const seen = new Map<string, number>();
  const graph = {
    origin: 'https://graph.test',
    requests: () => stats.batches,
    throttled: () => 0,
    close: async () => {},
    client: {
      api: (path: string) => ({
        post: async (payload: { requests: BatchRequestItem[] }) => {
          expect(path).toBe('/$batch');
          stats.batches++;
          stats.sizes.push(payload.requests.length);
          stats.inflight++;
          stats.maxInflight = Math.max(stats.maxInflight, stats.inflight);
          await new Promise((r) => setTimeout(r, typeof latency === 'number' ? latency : latency(payload.requests)));
          stats.inflight--;
          return {
            responses: payload.requests.map((r) => {
              const n = (seen.get(r.url) ?? 0) + 1;
              seen.set(r.url, n);
              stats.arrivals.set(r.url, [...(stats.arrivals.get(r.url) ?? []), performance.now()]);
              return { id: r.id, ...answer(r, n) };
            }).reverse(),
          };
        },
      }),
    },
  };
  return { graph: graph as unknown as GraphClient, stats };
}

describe('BatchQueue', () => {
  it('sends one call per request with batchSize 1 and concurrency 1 (the naive client of the bench)', async () => {
    const { graph, stats } = fakeGraph(() => ({ status: 200, body: { ok: true } }));
    const q = new BatchQueue({ graph, concurrency: 1, batchSize: 1, log: silentLogger });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => q.send({ method: 'GET', url: `/users/${i}` })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(stats.batches).toBe(30);
    expect(stats.maxInflight).toBe(1);
    expect(new Set(stats.sizes)).toEqual(new Set([1]));
  });

  it('packs concurrent calls into batches of 20 and keeps at most `concurrency` batches in flight', async () => {
    const { graph, stats } = fakeGraph(() => ({ status: 200, body: { ok: true } }));
    const q = new BatchQueue({ graph, concurrency: 3, log: silentLogger });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => q.send({ method: 'GET', url: `/users/${i}` })));
    expect(answers.every((a) => a.status === 200 && a.attempts === 1)).toBe(true);
    expect(stats.sizes).toEqual(Array(10).fill(20));
    expect(stats.maxInflight).toBe(3);
  });

  it('sends a throttled call again no sooner than Retry-After says', async () => {
    const { graph, stats } = fakeGraph((r, n) => (r.url === '/users/x' && n === 1 ? { status: 429, headers: { 'Retry-After': '0.2' } } : { status: 200 }));
    const q = new BatchQueue({ graph, concurrency: 4, log: silentLogger, policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5000 } });
    const [a] = await Promise.all([q.send({ method: 'GET', url: '/users/x' }), q.send({ method: 'GET', url: '/users/y' })]);
    expect(a).toMatchObject({ status: 200, attempts: 2, maybeDoneBefore: false });
    const [first, second] = stats.arrivals.get('/users/x')!;
    expect(second - first).toBeGreaterThanOrEqual(195);
    expect(q.innerThrottled).toBe(1);
  });

  it('resends an unanswered PATCH (flagged maybeDoneBefore) but hands an unanswered POST back to its op', async () => {
    const { graph } = fakeGraph((_r, n) => (n === 1 ? { status: 503 } : { status: 204 }));
    const q = new BatchQueue({ graph, concurrency: 4, log: silentLogger, policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10 } });
    const [patch, post, postResend] = await Promise.all([
      q.send({ method: 'PATCH', url: '/users/a', body: {} }),
      q.send({ method: 'POST', url: '/groups', body: {} }),
      q.send({ method: 'POST', url: '/users', body: {}, resend: true }),
    ]);
    expect(patch).toMatchObject({ status: 204, attempts: 2, maybeDoneBefore: true });
    expect(post).toMatchObject({ status: 503, attempts: 1 });
    expect(postResend).toMatchObject({ status: 204, maybeDoneBefore: true });
  });

  it('paces writes with the sliding window but lets reads through', async () => {
    const { graph } = fakeGraph(() => ({ status: 201 }), 1);
    const q = new BatchQueue({ graph, concurrency: 4, log: silentLogger, pacer: new SlidingWindowPacer(100, 20) });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => q.send({ method: 'GET', url: `/r/${i}` })));
    expect(performance.now() - t0).toBeLessThan(150);
    const t1 = performance.now();
    await Promise.all(Array.from({ length: 60 }, (_, i) => q.send({ method: 'POST', url: `/w/${i}`, body: {} })));
    // 20 at once (burst), then 40 more at 100/s: about 400 ms.
    expect(performance.now() - t1).toBeGreaterThanOrEqual(380);
  });

  it('lets Outlook calls, reads and Teams POSTs pass directory writes that wait for their quota', async () => {
    // 60 directory writes at 20 a second take two seconds; the events, reads and team POSTs queued behind them
    // must not wait for those writes (a first sync's calendars and teams go while its accounts are paced).
    const { graph, stats } = fakeGraph(() => ({ status: 201 }), 5);
    const q = new BatchQueue({ graph, concurrency: 4, log: silentLogger, pacer: new SlidingWindowPacer(20, 20), teamsPacer: new SlidingWindowPacer(10, 10) });
    const t0 = performance.now();
    const writes = Promise.all(Array.from({ length: 60 }, (_, i) => q.send({ method: 'POST', url: `/users?n=${i}`, body: {} })));
    const done: Record<string, number> = {};
    const others = Promise.all([
      Promise.all(Array.from({ length: 40 }, (_, i) => q.send({ method: 'POST', url: `/users/u${i % 8}/events`, body: {}, chain: `mailbox:u${i % 8}` }))).then(() => { done.events = performance.now() - t0; }),
      Promise.all(Array.from({ length: 10 }, (_, i) => q.send({ method: 'POST', url: '/teams', body: { i } }))).then(() => { done.teams = performance.now() - t0; }),
      q.send({ method: 'GET', url: '/users?$top=999' }).then(() => { done.read = performance.now() - t0; }),
    ]);
    await Promise.all([writes, others]);
    const writesDone = performance.now() - t0;
    expect(writesDone).toBeGreaterThanOrEqual(1900);
    expect(done.events).toBeLessThan(600);
    expect(done.teams).toBeLessThan(600);
    expect(done.read).toBeLessThan(600);
    // No batch carried more directory writes than the quota had room for.
    expect(stats.sizes.every((n) => n <= 20)).toBe(true);
  });

  it('keeps the last free slot for writes waiting for their quota, however slow the other batches are', async () => {
    // Two slots; batches of events take 600 ms. Without a slot kept for them, the second 20 writes would wait for
    // an event batch to finish (about 1.2 s) although the quota has room again at 1 s.
    const { graph } = fakeGraph(() => ({ status: 201 }), (requests) => (requests.some((r) => r.url.includes('/events')) ? 600 : 5));
    const q = new BatchQueue({ graph, concurrency: 2, log: silentLogger, pacer: new SlidingWindowPacer(20, 20) });
    const t0 = performance.now();
    const writes = Promise.all(Array.from({ length: 40 }, (_, i) => q.send({ method: 'POST', url: `/users?n=${i}`, body: {} }))).then(() => performance.now() - t0);
    const events = Promise.all(Array.from({ length: 200 }, (_, i) => q.send({ method: 'POST', url: `/users/u${i % 20}/events`, body: {} })));
    const [writesDone] = await Promise.all([writes, events]);
    expect(writesDone).toBeGreaterThanOrEqual(990);
    expect(writesDone).toBeLessThan(1150);
  });

  it('settles every call and leaves no timer behind when closed with a throttled batch in flight', async () => {
    // The batch is on the wire when the tenant closes (a failed MIS read ends the run); its 429 with a long
    // Retry-After must not be scheduled again, or the timer would keep the process alive until it fires.
    const { graph } = fakeGraph(() => ({ status: 429, headers: { 'retry-after': '30' } }), 50);
    const q = new BatchQueue({ graph, concurrency: 1, log: silentLogger });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const answer = q.send({ method: 'GET', url: '/users' }).then(() => 'answered', (err: Error) => err);
    await new Promise((r) => setTimeout(r, 10));
    q.close();
    const settled = await Promise.race([answer, new Promise((r) => setTimeout(() => r('pending'), 500))]);
    expect(settled).toBeInstanceOf(TenantError);
    expect((settled as TenantError).message).toMatch(/closed/);
    await new Promise((r) => setTimeout(r, 100)); // the in-flight batch has answered by now
    expect(timers()).toBeLessThanOrEqual(before);
    await expect(q.send({ method: 'GET', url: '/users' })).rejects.toBeInstanceOf(TenantError);
  });
  it('takes each batch from a long queue with work independent of its length, in order, every call answered once', async () => {
    // A trust's first sync puts 100,000 creates in the queue at once. Shifting the waiting array for every batch
    // moved ~n²/40 entries (5,000 calls: 600,000 moves); taking them from a moving head moves none.
    const { graph, stats } = fakeGraph(() => ({ status: 200, body: { ok: true } }), 0);
    const q = new BatchQueue({ graph, concurrency: 2, log: silentLogger });
    let writes = 0;
    const list = new Proxy<unknown[]>([], {
      set(target, prop, value, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) writes++;
        return Reflect.set(target, prop, value, receiver);
      },
    });
    (q as unknown as { pending: unknown[] }).pending = list;
    const n = 5000;
    const order: number[] = [];
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => q.send({ method: 'POST', url: `/users/${i}`, body: {} }).then((a) => (order.push(i), a))));
    expect(answers.every((a) => a.status === 200 && a.attempts === 1)).toBe(true);
    expect(stats.sizes.reduce((a, b) => a + b, 0)).toBe(n);
    expect(stats.batches).toBe(n / 20);
    // Batches go in the order the calls were made (those in flight together may answer in either order).
    const firstOfBatch = [...stats.arrivals.keys()].filter((_, i) => i % 20 === 0).map((u) => Number(u.split('/')[2]));
    expect(firstOfBatch).toEqual([...firstOfBatch].sort((a, b) => a - b));
    // One write per call to queue it; the walk itself writes nothing back when nothing is held back.
    expect(writes).toBeLessThanOrEqual(2 * n);
  });

  it('keeps a held-back chain in its place while the calls behind it are taken', async () => {
    const { graph, stats } = fakeGraph(() => ({ status: 200, body: { ok: true } }), 1);
    const q = new BatchQueue({ graph, concurrency: 4, log: silentLogger });
    // 60 calls on one group (a chain: one at a time, in order) ahead of 3,000 independent ones.
    const chained = Array.from({ length: 60 }, (_, i) => q.send({ method: 'PATCH', url: `/groups/g?n=${i}`, body: {}, chain: 'group:g' }));
    const free = Array.from({ length: 3000 }, (_, i) => q.send({ method: 'POST', url: `/users/${i}`, body: {} }));
    const all = await Promise.all([...chained, ...free]);
    expect(all.every((a) => a.status === 200)).toBe(true);
    expect(stats.sizes.reduce((a, b) => a + b, 0)).toBe(3060);
    const chainArrivals = Array.from({ length: 60 }, (_, i) => stats.arrivals.get(`/groups/g?n=${i}`)![0]);
    expect(chainArrivals).toEqual([...chainArrivals].sort((a, b) => a - b));
  });
});
