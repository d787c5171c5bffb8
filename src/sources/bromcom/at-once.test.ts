import { describe, expect, it } from 'vitest';
import { eachAtOnce, startAtOnce } from './at-once.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('eachAtOnce', () => {
  it('runs at most `limit` tasks at a time and keeps the items\' order in its results', async () => {
    let running = 0;
    let peak = 0;
    const results = await eachAtOnce([30, 5, 20, 1, 10, 2], 3, async (ms) => {
      peak = Math.max(peak, ++running);
      await tick(ms);
      running--;
      return ms * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20, 4]);
    expect(peak).toBe(3);
  });

  it('the first failure stops the rest: nothing new starts, the running ones are aborted, all settle before it is thrown', async () => {
    const started: string[] = [];
    const settled: string[] = [];
    const p = eachAtOnce(['slow', 'fails', 'also-slow', 'never'], 3, async (item, signal) => {
      started.push(item);
      try {
        if (item === 'fails') {
          await tick(5);
          throw new Error('fails: broken');
        }
        await new Promise((resolve, reject) => {
          const t = setTimeout(resolve, 5000);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error(`${item}: aborted`));
          });
        });
        return item;
      } finally {
        settled.push(item);
      }
    });
    await expect(p).rejects.toThrow('fails: broken');
    expect(started).toEqual(['slow', 'fails', 'also-slow']);
    expect(settled.sort()).toEqual(['also-slow', 'fails', 'slow']);
  });

  it('nothing to do is no results', async () => {
    expect(await eachAtOnce([], 3, async () => 1)).toEqual([]);
  });

  it('each result is had as soon as its task has it, before the slower ones', async () => {
    const finished: number[] = [];
    const run = startAtOnce([40, 5, 20], 3, async (ms) => {
      await tick(ms);
      finished.push(ms);
      return ms;
    });
    expect(await run.result(1)).toBe(5);
    expect(finished).toEqual([5]);
    expect(await run.result(0)).toBe(40);
    expect(await run.settled()).toEqual([40, 5, 20]);
  });

  it('a failure from outside counts as the first: nothing new starts, the running are told, results not had reject', async () => {
    const aborted: string[] = [];
    const run = startAtOnce(['a', 'b', 'c'], 2, async (item, signal) => {
      if (item === 'a') return item;
      await new Promise((_, reject) => signal.addEventListener('abort', () => {
        aborted.push(item);
        reject(new Error(`${item}: aborted`));
      }));
      return item;
    });
    expect(await run.result(0)).toBe('a');
    run.fail(new Error('a is wrong'));
    run.fail(new Error('a second failure does not count'));
    await expect(run.result(1)).rejects.toThrow('a is wrong');
    await expect(run.result(2)).rejects.toThrow('a is wrong');
    await expect(run.settled()).rejects.toThrow('a is wrong');
    // Two lanes: 'b' ran beside 'a', and 'c' started in the lane 'a' left; both were told.
    expect(aborted.sort()).toEqual(['b', 'c']);
  });
});
