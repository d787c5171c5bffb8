// A token bucket that keeps writes under Graph's write quota instead of running into 429s.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Earliest time anything may be sent again, set by a 429 (the quota is shared by the whole app). */
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  /**
   * ratePerSecond tokens are added per second up to `burst`. Over any window of T seconds at most
   * burst + rate·T tokens are spent, so rate = 19.5 and burst = 20 spend ≤ 2,945 of Graph's 3,000 per 150 s.
   */
  constructor(readonly ratePerSecond: number, readonly burst: number, private readonly clock: Clock = realClock) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Milliseconds until n tokens are available (0 when they are), given no other taker. */
  waitFor(n: number): number {
    this.refill();
    const now = this.clock.now();
    const pause = Math.max(0, this.pausedUntil - now);
    const need = Math.min(n, this.burst) - this.tokens;
    // Refills are fractional: a need below a millionth of a token is rounding, and waiting for it could spin.
    const wait = need <= 1e-6 ? 0 : Math.max(1, (need / this.ratePerSecond) * 1000);
    return Math.max(pause, wait);
  }

  /** Takes n tokens, waiting as needed; callers are served first come, first served. */
  take(n: number): Promise<void> {
    if (n <= 0) return Promise.resolve();
    const turn = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitFor(n);
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      // A batch larger than the burst takes what is there and goes into debt, which later takers wait off.
      this.tokens -= n;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Gives back tokens for writes Graph refused with 429 (or never ran, 424): they did not use the quota. */
  refund(n: number): void {
    this.refill();
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** Graph said 429: nobody sends before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}
