import { describe, expect, it } from 'vitest';
import { eachAtOnce } from './at-once.js';

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
});
