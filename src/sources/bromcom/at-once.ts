/** Tasks run a few at a time (`startAtOnce`): each one's result as it comes, and how the whole run ends. */
export interface AtOnce<R> {
  /**
   * Item `i`'s result, as soon as its task has it. Once the run has failed, a result not yet had rejects with that
   * first failure (and so does the result of a task that never started).
   */
  result(i: number): Promise<R>;
  /**
   * Fails the run from outside, as a task's failure would (what uses the results found them wrong): nothing new
   * starts, the tasks still running are told. Only the first failure, a task's or this, counts.
   */
  fail(error: unknown): void;
  /** Every result in the items' order once every task has settled; the first failure then, if there was one. */
  settled(): Promise<R[]>;
}

/**
 * Runs `task` for each item, at most `limit` at a time, in the items' order. The first failure stops the rest:
 * nothing new starts, the tasks still running are told through their signal, and `settled` throws that first
 * failure once every task has settled, so no request outlives the read that asked for it.
 */
export function startAtOnce<T, R>(items: readonly T[], limit: number, task: (item: T, signal: AbortSignal) => Promise<R>): AtOnce<R> {
  const results = new Array<R>(items.length);
  const waiting = items.map(() => {
    let settle!: { resolve: (r: R) => void; reject: (e: unknown) => void };
    const promise = new Promise<R>((resolve, reject) => (settle = { resolve, reject }));
    // Nobody may ever ask for a result the run failed before: that is not an unhandled rejection.
    promise.catch(() => {});
    return { promise, ...settle };
  });
  const controller = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (failure) return;
    failure = { error };
    controller.abort();
    for (const w of waiting) w.reject(error);
  };
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i], controller.signal);
        waiting[i].resolve(results[i]);
      } catch (e) {
        fail(e);
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return {
    result: (i) => waiting[i].promise,
    fail,
    settled: async () => {
      await lanes;
      if (failure) throw failure.error;
      return results;
    },
  };
}

/** `startAtOnce` when only the whole is wanted: every result in the items' order, or the first failure. */
export function eachAtOnce<T, R>(items: readonly T[], limit: number, task: (item: T, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  return startAtOnce(items, limit, task).settled();
}
