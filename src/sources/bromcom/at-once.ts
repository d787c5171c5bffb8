/**
 * Runs `task` for each item, at most `limit` at a time, and gives the results in the items' order. The first failure
 * stops the rest: nothing new starts, the tasks still running are told through their signal, and that first failure
 * is thrown once every task has settled, so no request outlives the read that asked for it.
 */
export async function eachAtOnce<T, R>(items: readonly T[], limit: number, task: (item: T, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const controller = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i], controller.signal);
      } catch (e) {
        if (!failure) {
          failure = { error: e };
          controller.abort();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
  return results;
}
