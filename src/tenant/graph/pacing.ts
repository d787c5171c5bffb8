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

export class SlidingWindowPacer {
  /** Writes sent in the last period, oldest first (a batch is one entry). */
  private sent: { at: number; n: number }[] = [];
  private readonly periodMs: number;
  /** Earliest time anything may be sent again, set by a 429 (the quota is shared by the whole app). */
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  /**
   * At most `burst` writes in any period of burst / ratePerSecond seconds (a sliding window): with rate 19.5 and
   * burst 20, never more than 20 writes in any 1.03 s (Graph's 20 writes per second, whichever second one looks at)
   * and at most 2,940 of Graph's 3,000 per 150 s. A plain token bucket would let a partial batch and a full one
   * through within the same second (5 + 20), which Graph answers with 429s.
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
      wait = e.at + this.periodMs - now;
      if (over <= 0) break;
    }
    return Math.max(pause, 1, wait);
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
      this.sent.push({ at: this.clock.now(), n });
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

  private used(): number {
    let u = 0;
    for (const e of this.sent) u += e.n;
    return u;
  }

  private expire(now: number): void {
    let i = 0;
    while (i < this.sent.length && this.sent[i].at + this.periodMs <= now) i++;
    if (i) this.sent.splice(0, i);
  }
}
