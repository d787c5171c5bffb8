// The runner's cache for the sealed delta state (github/delta-cache.ts), through @actions/cache. Undefined where the
// runner offers no cache service (a self-hosted runner without one, a local run).
import type { StateCache } from '../github/delta-cache.js';

/** Loaded only when a run keeps a state (a `state-key`): @actions/cache and its Azure storage client are 2 MB. */
export async function actionStateCache(): Promise<StateCache | undefined> {
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) return undefined;
  return {
    // The prefix as the primary key matches no entry exactly (each run saves under its own key); as a restore key it
    // gives the newest entry of this tenant and config.
    restore: async (file, prefix) => (await cache.restoreCache([file], prefix, [prefix])) !== undefined,
    save: async (file, key) => { await cache.saveCache([file], key); },
  };
}
