import { describe, expect, it } from 'vitest';
import { type Clock, SlidingWindowPacer } from './pacing.js';

/** A clock that only moves when someone sleeps: pacing can be checked without waiting. */
function fakeClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => { c.t += ms; } };
  return c;
}

describe('SlidingWindowPacer', () => {
  it('lets a full burst through at once, then never more than the burst in any period', async () => {
    const clock = fakeClock();
    const pacer = new SlidingWindowPacer(20, 20, clock);
    await pacer.take(20);
    expect(clock.t).toBe(0);
    await pacer.take(20);
    expect(clock.t).toBeCloseTo(1000, 5);
    // 10 more at 1.5 s would make 30 writes within one second: Graph allows 20.
    await pacer.take(10);
    expect(clock.t).toBeCloseTo(2000, 5);
  });

  it('does not let a partial batch and a full one into the same second', async () => {
    const clock = fakeClock();
    const pacer = new SlidingWindowPacer(20, 20, clock);
    await pacer.take(5);
    clock.t = 770;
    await pacer.take(20);
    expect(clock.t).toBeCloseTo(1000, 5);
    await pacer.take(5);
    expect(clock.t).toBeCloseTo(2000, 5);
  });

  it('keeps 150 s of writes under Graph quota of 3,000 at the default rate', async () => {
    const clock = fakeClock();
    const pacer = new SlidingWindowPacer(19.5, 20, clock);
    let taken = 0;
    while (clock.t <= 150_000) { await pacer.take(20); if (clock.t <= 150_000) taken += 20; }
    expect(taken).toBeLessThanOrEqual(3000);
    expect(taken).toBeGreaterThan(2900);
  });

  it('serves takers in order and pauses everyone after a 429', async () => {
    const clock = fakeClock();
    const pacer = new SlidingWindowPacer(10, 10, clock);
    const order: number[] = [];
    await pacer.take(10);
    pacer.pause(5000);
    await Promise.all([pacer.take(5).then(() => order.push(1)), pacer.take(5).then(() => order.push(2))]);
    expect(order).toEqual([1, 2]);
    expect(clock.t).toBeGreaterThanOrEqual(5000);
  });

  it('refunds writes that were refused, up to the burst', async () => {
    const clock = fakeClock();
    const pacer = new SlidingWindowPacer(10, 20, clock);
    await pacer.take(20);
    pacer.refund(25);
    expect(pacer.waitFor(20)).toBe(0);
  });

  it('widens the window after a 429 and narrows it again as batches go through', () => {
    // A batch that reached Graph late shares a second with the next: after the 429, batches are spaced a little
    // more (5 % of the period a refusal), and the margin is given back as batches go through.
    const clock = fakeClock();
    const pacer = new SlidingWindowPacer(20, 20, clock);
    pacer.record(20);
    expect(pacer.waitFor(20)).toBeCloseTo(1000, 5);
    pacer.pause(10);
    pacer.pause(10); // the same batch's other writes: one widening
    expect(pacer.waitFor(20)).toBeCloseTo(1050, 5);
    for (let i = 0; i < 5; i++) { clock.t += 1; pacer.pause(0); }
    expect(pacer.waitFor(20)).toBeCloseTo(1250 - 5, 5); // at most 25 %
    const g = pacer.record(0);
    for (let i = 0; i < 60; i++) pacer.answered(g);
    expect(pacer.waitFor(20)).toBeCloseTo(1000 - 5, 5);
  });

  it('rejects nonsense rates', () => {
    expect(() => new SlidingWindowPacer(0, 20)).toThrow(RangeError);
    expect(() => new SlidingWindowPacer(5, 0)).toThrow(RangeError);
  });
});
