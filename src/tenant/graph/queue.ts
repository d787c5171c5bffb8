// Sends Graph calls in $batch requests of up to 20: paced (a sliding window for directory writes, another for Teams'
// POSTs; reads and Outlook's calls pass paced writes by), at most `concurrency`
// batches in flight, inner 429/503s retried honouring Retry-After. Callers simply `await queue.send(call)`;
// calls made at about the same time share a batch.
import type { Logger } from '../../log.js';
import { BATCH_LIMIT } from './constants.js';
import { type BatchResponseItem, canResend, fromBatchResponse, isWrite, quotaOf, toBatchPayload, type GraphCall, type Quota } from './batch.js';
import type { GraphClient } from './client.js';
import { TenantError } from '../../errors.js';
import { infoOfThrown } from './errors.js';
import { type RetryPolicy, decide, defaultRetryPolicy, parseRetryAfter } from './retry.js';
import type { Grant, SlidingWindowPacer } from './pacing.js';

export interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Attempts made, this one included. */
  attempts: number;
  /** An earlier attempt got no clear answer (5xx, lost connection), so it may have been carried out. */
  maybeDoneBefore: boolean;
  /** The call answered, so a refusal can say what it needed (never logged: bodies may hold personal data). */
  call?: GraphCall;
}

interface Entry {
  call: GraphCall;
  /** Order of first sending: entries of one chain always go in this order. */
  seq: number;
  attempts: number;
  throttled: number;
  notBefore: number;
  maybeDoneBefore: boolean;
  resolve(answer: GraphAnswer): void;
  reject(err: Error): void;
}

export interface QueueOptions {
  graph: GraphClient;
  /** Paces directory writes (not Outlook's nor Teams', see usesWriteQuota); reads are not paced (their budget is resource units, answered with 429 if exceeded). */
  pacer?: SlidingWindowPacer;
  /** Paces Teams' POSTs (team create, archive, unarchive), which Teams limits apart from directory writes. */
  teamsPacer?: SlidingWindowPacer;
  concurrency: number;
  /** Calls per $batch, 1 to 20 (default 20). 1 makes a naive one-call-per-request client, for comparison. */
  batchSize?: number;
  policy?: RetryPolicy;
  log: Logger;
}

export class BatchQueue {
  /**
   * Waiting entries in seq order: pending[head…]. Taking a batch moves `head` instead of shifting the array, so a
   * first sync's 100,000 waiting creates cost the same per batch as 100 do; the taken front is dropped now and then.
   */
  private pending: Entry[] = [];
  private head = 0;
  private seq = 0;
  private inflight = 0;
  /** Chains with an entry in a batch on the wire: their later entries wait, so one object's changes keep their order. */
  private busyChains = new Set<string>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** 429s inside batches (whole-request 429s are counted by the client). */
  innerThrottled = 0;
  batches = 0;

  constructor(private readonly opts: QueueOptions) {}

  private pacerOf(quota: Quota | undefined): SlidingWindowPacer | undefined {
    return quota === 'directory' ? this.opts.pacer : quota === 'teams' ? this.opts.teamsPacer : undefined;
  }

  send(call: GraphCall): Promise<GraphAnswer> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.pending.push({ call, seq: this.seq++, attempts: 0, throttled: 0, notBefore: 0, maybeDoneBefore: false, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Ends the queue: every waiting call is refused, a batch still on the wire settles its calls but sends nothing
   * again, and no timer is left (a run that fails while a read is in flight ends by itself, not by a forced exit).
   */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = this.pending.slice(this.head);
    this.pending = [];
    this.head = 0;
    for (const e of waiting) e.reject(closedError());
  }

  // A macrotask later, so that calls issued in the same tick land in the same batch.
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; this.pump(); });
  }

  /**
   * Forms batches while a slot is free. A batch takes only the writes its quota's pacer lets go now, so that writes
   * waiting for their quota never hold a slot, and calls of another quota (Outlook's events, Teams, reads) go past
   * them: the write quota stays busy while the rest of the run proceeds beside it.
   */
  private pump(): void {
    if (this.closed) return;
    let held = new Set<Quota>();
    while (this.inflight < this.opts.concurrency && this.pending.length > this.head) {
      // The last free slot is kept for paced writes while any wait: slow Outlook batches filling every slot would
      // leave the write quota idle when it has room again.
      const last = this.opts.concurrency > 1 && this.inflight === this.opts.concurrency - 1;
      let { batch, waiting, pacedPending } = this.take(Date.now(), last);
      if (last && !batch.length && !pacedPending) ({ batch, waiting } = this.take(Date.now(), false));
      held = waiting;
      if (!batch.length) break;
      this.inflight++;
      const chains = new Set(batch.map((e) => e.call.chain).filter((c): c is string => c !== undefined));
      for (const c of chains) this.busyChains.add(c);
      // Recorded now, not when the request leaves: the next batch formed in this loop must see these writes.
      const grants: [SlidingWindowPacer, Grant][] = [];
      for (const quota of ['directory', 'teams'] as const) {
        const pacer = this.pacerOf(quota);
        const n = batch.filter((e) => quotaOf(e.call) === quota).length;
        if (pacer && n) grants.push([pacer, pacer.record(n)]);
      }
      void this.run(batch, grants).finally(() => {
        for (const c of chains) this.busyChains.delete(c);
        this.inflight--;
        this.schedule();
      });
    }
    // Wake up for the next entry whose pause ends, or when a held quota has room again; entries held back only by
    // a busy chain, or by a quota waiting for an answer, are woken when that batch settles.
    const now = Date.now();
    let next = Infinity;
    if (this.inflight < this.opts.concurrency) {
      for (let i = this.head; i < this.pending.length; i++) {
        const e = this.pending[i];
        if (e.notBefore > now && e.notBefore < next) next = e.notBefore;
      }
      for (const quota of held) next = Math.min(next, now + this.pacerOf(quota)!.waitFor(1));
    }
    if (next < Infinity) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => { this.timer = undefined; this.pump(); }, Math.max(1, next - now));
    }
  }

  /**
   * Up to 20 entries that may go now, oldest first. An entry waits while an earlier entry of its chain waits
   * or is on the wire, so calls on one object (or mailbox) reach Graph in the order they were made; a paced write
   * waits while its quota has no room (`waiting` names those quotas). `onlyPaced` takes paced writes alone
   * (`pacedPending` says whether there were any).
   */
  private take(now: number, onlyPaced: boolean): { batch: Entry[]; waiting: Set<Quota>; pacedPending: boolean } {
    const batch: Entry[] = [];
    const kept: Entry[] = [];
    const blocked = new Set<string>();
    const waiting = new Set<Quota>();
    const room = new Map<Quota, number>();
    let pacedPending = false;
    for (const quota of ['directory', 'teams'] as const) {
      const pacer = this.pacerOf(quota);
      if (pacer) room.set(quota, pacer.available());
    }
    let i = this.head;
    const limit = Math.max(1, Math.min(BATCH_LIMIT, this.opts.batchSize ?? BATCH_LIMIT));
    for (; i < this.pending.length && batch.length < limit; i++) {
      const e = this.pending[i];
      const chain = e.call.chain;
      const quota = quotaOf(e.call);
      const left = quota === undefined ? undefined : room.get(quota);
      if (left !== undefined) pacedPending = true;
      const free = chain === undefined || (!blocked.has(chain) && !this.busyChains.has(chain));
      const paced = left === undefined || left > 0;
      if (free && e.notBefore <= now && paced && (!onlyPaced || left !== undefined)) {
        batch.push(e);
        if (left !== undefined) room.set(quota!, left - 1);
      } else {
        kept.push(e);
        if (chain !== undefined) blocked.add(chain);
        if (free && e.notBefore <= now && !paced) waiting.add(quota!);
      }
    }
    if (batch.length) {
      // The entries walked past go back just before i, in their order; everything before them has been taken.
      let at = i;
      for (let k = kept.length - 1; k >= 0; k--) this.pending[--at] = kept[k];
      this.head = at;
      if (this.head >= 1024 && this.head * 2 >= this.pending.length) {
        this.pending = this.pending.slice(this.head);
        this.head = 0;
      }
    }
    return { batch, waiting, pacedPending };
  }

  /** Back into the queue at its original place, so chains keep their order across retries. */
  private requeue(entry: Entry): void {
    let lo = this.head;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pending[mid].seq < entry.seq) lo = mid + 1;
      else hi = mid;
    }
    this.pending.splice(lo, 0, entry);
  }

  private async run(batch: Entry[], grants: [SlidingWindowPacer, Grant][]): Promise<void> {
    for (const e of batch) e.attempts++;
    this.batches++;
    let items: BatchResponseItem[];
    try {
      const body = await this.opts.graph.client.api('/$batch').post(toBatchPayload(batch.map((e) => e.call)));
      for (const [pacer, g] of grants) pacer.answered(g);
      items = fromBatchResponse(batch.length, body);
    } catch (err) {
      for (const [pacer, g] of grants) pacer.answered(g);
      // The whole batch failed (429, 5xx, lost connection): settle decides, per entry, whether to send it again.
      const info = infoOfThrown(err);
      const retryAfter = (err as { headers?: Headers }).headers?.get?.('Retry-After') ?? null;
      this.opts.log.debug(`graph: $batch of ${batch.length} failed: ${info.status} ${info.code}`);
      const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
      for (const entry of batch) this.settle(entry, { status: info.status, headers, body: { error: { code: info.code, message: info.message } } }, false);
      return;
    }
    batch.forEach((entry, i) => this.settle(entry, items[i], true));
  }

  private settle(entry: Entry, item: { status: number; headers?: Record<string, string>; body?: unknown }, inner: boolean): void {
    const headers = item.headers ?? {};
    if (item.status === 429) entry.throttled++;
    // A 424 never ran (its predecessor in the chain failed): it does not use up an attempt.
    if (item.status === 424) entry.attempts--;
    const verdict = decide(item.status, headers['retry-after'], item.status === 429 ? entry.throttled : entry.attempts - entry.throttled, this.opts.policy ?? defaultRetryPolicy);
    if (item.status === 429) {
      if (inner) this.innerThrottled++;
      // A quota is per app: when one write is throttled, all writes under that quota wait.
      this.pacerOf(quotaOf(entry.call))?.pause(parseRetryAfter(headers['retry-after']) ?? ('delayMs' in verdict ? verdict.delayMs : 0));
    }
    // A refused (429) or never-run (424) write did not count against the quota: its retry should not pay twice.
    if (item.status === 429 || item.status === 424) this.pacerOf(quotaOf(entry.call))?.refund(1);
    if (verdict.kind === 'retry' || (verdict.kind === 'uncertain' && canResend(entry.call))) {
      if (this.closed) { entry.reject(closedError()); return; }
      if (verdict.kind === 'uncertain' && isWrite(entry.call)) entry.maybeDoneBefore = true;
      entry.notBefore = Date.now() + verdict.delayMs;
      this.requeue(entry);
      this.schedule();
      return;
    }
    entry.resolve({ status: item.status, headers, body: item.body, attempts: entry.attempts, maybeDoneBefore: entry.maybeDoneBefore, call: entry.call });
  }
}

const closedError = () => new TenantError('the Graph queue is closed: the tenant was closed before this call was answered');
