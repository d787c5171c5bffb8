// Write pacing that keeps writes under Graph's write quota instead of running into 429s: a sliding window over
// the writes sent in the last period (see the constructor), not a token bucket.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Writes sent together (one batch): when they were sent and, once known, when Graph answered them. */
export interface Grant { at: number; n: number; answeredAt?: number }

export class SlidingWindowPacer {
  /** Writes sent in the last period, oldest first (a batch is one entry). */
  private sent: Grant[] = [];
  private readonly periodMs: number;
  /** Earliest time anything may be sent again, set by a 429 (the quota is shared by the whole app). */
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  /** The shortest time from sending a batch to its answer seen so far (undefined before the first answer). */
  private minRoundTrip: number | undefined;

  /**
   * At most `burst` writes in any period of burst / ratePerSecond seconds (a sliding window): with rate 19.5 and
   * burst 20, never more than 20 writes in any 1.03 s (Graph's 20 writes per second, whichever second one looks at)
   * and at most 2,940 of Graph's 3,000 per 150 s. A plain token bucket would let a partial batch and a full one
   * through within the same second (5 + 20), which Graph answers with 429s.
   *
   * Graph counts a write when the request reaches it, not when it leaves: a batch delayed on the way (a busy event
   * loop, a slow hop) and the next one sent on time can land in the same second. A grant whose answer is known
   * (`answered`) therefore leaves the window one period after the later of its sending and its answer less the
   * shortest round trip seen (when Graph can at the latest have counted it, give or take the return trip), and an
   * unanswered grant stays in the window until its answer: the next batch never reaches Graph within a period of
   * the last one, however late that one arrived, and costs nothing when round trips are steady.
   */
  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly clock: Clock = realClock) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
    this.periodMs = (burst / ratePerSecond) * 1000;
  }

  /** Milliseconds until n writes may go (0 when they may; Infinity while an unanswered grant holds them back). */
  waitFor(n: number): number {
    const now = this.clock.now();
    this.expire(now);
    const pause = Math.max(0, this.pausedUntil - now);
    let over = this.used() + Math.min(n, this.burst) - this.burst;
    if (over <= 0) return pause;
    let wait = 0;
    for (const e of [...this.sent].sort((a, b) => this.leaves(a) - this.leaves(b))) {
      over -= e.n;
      wait = this.leaves(e) - now;
      if (over <= 0) break;
    }
    return Math.max(pause, 1, wait);
  }

  /** How many writes may go now (0 while paused by a 429). */
  available(): number {
    const now = this.clock.now();
    this.expire(now);
    if (this.pausedUntil > now) return 0;
    return Math.max(0, this.burst - this.used());
  }

  /**
   * Records n writes sent now (the caller checked `available`); tell `answered` when Graph answers them. Synchronous,
   * so that a caller forming several batches at once never grants the same room twice.
   */
  record(n: number): Grant {
    const g: Grant = { at: this.clock.now(), n };
    if (n > 0) this.sent.push(g);
    return g;
  }

  /** Graph answered the writes of `g` (or the request failed): from now on they leave the window by the clock. */
  answered(g: Grant): void {
    g.answeredAt = this.clock.now();
    const rt = g.answeredAt - g.at;
    if (this.minRoundTrip === undefined || rt < this.minRoundTrip) this.minRoundTrip = rt;
  }

  /** Takes n, waiting as needed; callers are served first come, first served. Counted as answered when sent. */
  take(n: number): Promise<void> {
    if (n <= 0) return Promise.resolve();
    const turn = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitFor(n);
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      const g = this.record(n);
      g.answeredAt = g.at;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Gives back writes Graph refused with 429 (or never ran, 424): they did not use the quota. */
  refund(n: number): void {
    for (let i = this.sent.length - 1; i >= 0 && n > 0; i--) {
      const back = Math.min(n, this.sent[i].n);
      this.sent[i].n -= back;
      n -= back;
    }
    this.sent = this.sent.filter((e) => e.n > 0);
  }

  /** Graph said 429: nobody sends before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** When a grant leaves the window (Infinity while it is unanswered). */
  private leaves(e: Grant): number {
    if (e.answeredAt === undefined) return Infinity;
    return Math.max(e.at, e.answeredAt - (this.minRoundTrip ?? 0)) + this.periodMs;
  }

  private used(): number {
    let u = 0;
    for (const e of this.sent) u += e.n;
    return u;
  }

  private expire(now: number): void {
    // Grants leave in any order once answers anchor them; keep the rest in sending order.
    if (this.sent.some((e) => this.leaves(e) <= now)) this.sent = this.sent.filter((e) => this.leaves(e) > now);
  }
}
