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

/** Writes sent together (one batch). */
export interface Grant { at: number; n: number }

export class SlidingWindowPacer {
  /** Writes sent in the last period, oldest first (a batch is one entry). */
  private sent: Grant[] = [];
  private readonly periodMs: number;
  /** Earliest time anything may be sent again, set by a 429 (the quota is shared by the whole app). */
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Added to the period after 429s, given back as batches go through (see `pause`). */
  private marginMs = 0;

  /**
   * At most `burst` writes in any period of burst / ratePerSecond seconds (a sliding window): with rate 19.5 and
   * burst 20, never more than 20 writes in any 1.03 s (Graph's 20 writes per second, whichever second one looks at)
   * and at most 2,940 of Graph's 3,000 per 150 s. A plain token bucket would let a partial batch and a full one
   * through within the same second (5 + 20), which Graph answers with 429s.
   *
   * Graph counts a write when the request reaches it, not when it leaves: when batches reach it unevenly (a busy
   * event loop, a slow hop), one sent a period after the last can still land in the same second. Each 429 widens
   * the window by 5 % of the period (up to 25 %), and each batch that goes through gives back 0.5 %: a steady
   * connection keeps the full rate, an uneven one pays a few percent instead of a whole batch refused again and again.
   */
  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly clock: Clock = realClock) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
    this.periodMs = (burst / ratePerSecond) * 1000;
  }

  /** Milliseconds until n writes may go (0 when they may), given no other taker. */
  waitFor(n: number): number {
    const now = this.clock.now();
    this.expire(now);
    const pause = Math.max(0, this.pausedUntil - now);
    let over = this.used() + Math.min(n, this.burst) - this.burst;
    if (over <= 0) return pause;
    let wait = 0;
    for (const e of this.sent) {
      over -= e.n;
      wait = e.at + this.window() - now;
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
   * Records n writes sent now (the caller checked `available`). Synchronous, so that a caller forming several
   * batches at once never grants the same room twice.
   */
  record(n: number): Grant {
    const g: Grant = { at: this.clock.now(), n };
    if (n > 0) this.sent.push(g);
    return g;
  }

  /** Graph answered a batch of writes without refusing it: a little of the margin 429s added is given back. */
  answered(_g: Grant): void {
    this.marginMs = Math.max(0, this.marginMs - 0.005 * this.periodMs);
  }

  /** Takes n, waiting as needed; callers are served first come, first served. */
  take(n: number): Promise<void> {
    if (n <= 0) return Promise.resolve();
    const turn = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitFor(n);
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      this.record(n);
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

  /** Graph said 429: nobody sends before `ms` from now, and the window widens (see the constructor). */
  pause(ms: number): void {
    const now = this.clock.now();
    // One widening per refusal of a batch: its other writes' 429s come within the same moment.
    if (now > this.lastWidened) this.marginMs = Math.min(0.25 * this.periodMs, this.marginMs + 0.05 * this.periodMs);
    this.lastWidened = now;
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  private lastWidened = -Infinity;

  /** The window's length now: the period and the margin 429s added. */
  private window(): number {
    return this.periodMs + this.marginMs;
  }

  private used(): number {
    let u = 0;
    for (const e of this.sent) u += e.n;
    return u;
  }

  private expire(now: number): void {
    let i = 0;
    while (i < this.sent.length && this.sent[i].at + this.window() <= now) i++;
    if (i) this.sent.splice(0, i);
  }
}
