// Warm reads in the Action: the delta state (users, groups, Graph's delta links: personal data) travels between runs
// through the GitHub cache, sealed with AES-256-GCM under a key derived from the `state-key` secret. A fork's pull
// request can restore the base branch's cache entries, so pull-request runs neither restore nor save it (they read
// in full), and an entry that does not open with this key for this tenant and config is refused: a full read.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { fileStore, sealedStore, stateKey, type StateStore } from '../tenant/index.js';
import type { GitOpsRun } from './run.js';

/** The runner's cache, as rollcall uses it (action/state-cache.ts: @actions/cache). */
export interface StateCache {
  /** Restores the newest entry whose key starts with `prefix` into `file`; false when there is none. */
  restore(file: string, prefix: string): Promise<boolean>;
  /** Saves `file` under `key` (a cache entry is never overwritten: each run saves its own). */
  save(file: string, key: string): Promise<void>;
}

/** Events whose runs may use the cached state: the nightly schedule, a merge (push), a dispatched apply. */
const WARM_EVENTS = new Set(['schedule', 'push', 'workflow_dispatch']);

export interface ActionDeltaState {
  store: StateStore;
  /** After the read: saves the state to the cache when this run wrote one. */
  keep(): Promise<void>;
}

/**
 * The sealed delta state for this run, restored from the cache, or undefined (with the reason in the log) when the
 * run reads in full: a pull request, no `state-key`, the local tenant, or no cache on this runner.
 */
export async function actionDeltaState(run: GitOpsRun, loaded: LoadedConfig, cache: StateCache | undefined, secret: string | undefined): Promise<ActionDeltaState | undefined> {
  const tenantId = loaded.config.tenant.graph?.tenantId;
  if (!tenantId || loaded.config.tenant.local) return undefined;
  const why = !WARM_EVENTS.has(run.ctx.eventName) ? `a ${run.ctx.eventName || 'local'} run reads the tenant in full`
    : !secret ? 'no state-key input: the tenant is read in full every run (set it to keep a sealed delta state in the cache)'
    : !cache ? 'no cache on this runner: the tenant is read in full'
    : undefined;
  if (why) {
    run.log.info(`delta state: ${why}`);
    return undefined;
  }
  // One cache line per tenant and config; the key names neither (a hash), the entry is sealed to both.
  const context = `${tenantId}\n${run.configRel}`;
  const line = createHash('sha256').update(context).digest('hex').slice(0, 16);
  const prefix = `rollcall-delta-${line}-`;
  const file = path.join(run.ctx.runnerTemp, `rollcall-delta-${line}.sealed`);
  const restored = await cache!.restore(file, prefix).catch((err: unknown) => {
    run.log.warn(`delta state: the cache could not be read (${(err as Error).message}); reading in full`);
    return false;
  });
  const before = restored ? (await stat(file)).mtimeMs : undefined;
  return {
    store: sealedStore(fileStore(file), stateKey(secret!), context),
    keep: async () => {
      const after = await stat(file).then((s) => s.mtimeMs, () => undefined);
      if (after === undefined || after === before) return;
      const key = `${prefix}${run.ctx.runId ?? Date.now()}-${Date.now()}`;
      await cache!.save(file, key).catch((err: unknown) => run.log.warn(`delta state: not saved to the cache (${(err as Error).message}); the next run reads in full`));
    },
  };
}
