// The tenant layer's public entry: a reader and a writer over Microsoft Graph, for a real tenant or the local
// emulator (tenant.local), through the same graph-client code either way.
import type { TokenCredential } from '@azure/identity';
import { resolve } from 'node:path';
import { ConfigError, TenantError } from '../errors.js';
import type { Logger } from '../log.js';
import { createCredential } from './auth/credential.js';
import { createGraphClient, DEFAULT_GRAPH_URL, type GraphClient } from './graph/client.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TEAMS_POSTS_PER_SECOND, DEFAULT_WRITES_PER_SECOND, BATCH_LIMIT, TEAMS_POSTS_BURST } from './graph/constants.js';
import { SlidingWindowPacer } from './graph/pacing.js';
import type { RetryPolicy } from './graph/retry.js';
import { BatchQueue } from './graph/queue.js';
import { DEFAULT_DELTA_MAX_AGE_HOURS, DeltaDirectory, type DeltaStateOptions } from './graph/delta-read.js';
import { GraphReader } from './graph/reader.js';
import { GraphWriter } from './graph/writer.js';
import type { StateStore } from './state/store.js';
import type { TenantReader, TenantWriter } from './types.js';

export { ROLLCALL_EVENT_PROPERTY_ID } from './graph/constants.js';
export { createGraphClient } from './graph/client.js';
export { createCredential } from './auth/credential.js';
export { fileStore, sealedStore, stateKey, type StateStore } from './state/store.js';
export { permissionsError, missingPermissions, describePermissions } from './graph/errors.js';

export interface TenantConfig {
  graph?: {
    tenantId: string; clientId: string; auth: 'github-oidc' | 'client-secret' | 'certificate' | 'azure-default';
    clientSecret?: { env: string }; certificatePath?: string; certificatePassword?: { env: string };
    authorityHost?: string; graphUrl?: string /* default https://graph.microsoft.com */; allowCustomEndpoints?: boolean;
    /** A full read at least this often (hours; default 168); 0: always in full. */
    deltaMaxAgeHours?: number;
  };
  /** `permissions`: the application permissions the local tenant grants (default: everything rollcall needs). */
  local?: { state: string; port?: number; permissions?: readonly string[]; licences?: Readonly<Record<string, number | undefined>> };
  domains: string[];
  education?: boolean;
}

export interface Tenant {
  reader: TenantReader;
  writer: TenantWriter;
  url: string;
  close(): Promise<void>;
  requestCount(): number;
  /** The application permissions rollcall's access token carries (its `roles` claim): signs in if need be. */
  grantedPermissions(): Promise<string[]>;
}

export interface OpenTenantOptions {
  baseDir: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** $batch requests in flight at once (default 4). */
  concurrency?: number;
  /** Calls per $batch (default 20); 1 with concurrency 1 is the naive client the bench compares with. */
  batchSize?: number;
  /** Write pacing (default 19.5/s, just under Graph's 3,000 writes per 150 s per app). */
  writesPerSecond?: number;
  /** Pacing of Teams' POSTs (team create, archive; default 9.5/s, just under Teams' 10 a second). */
  teamsPostsPerSecond?: number;
  /** Pauses before retrying a call on an object Graph has not replicated yet (default 1, 2, 4, 8 s). */
  replicationDelaysMs?: number[];
  /**
   * Warm reads of a real tenant (tenant.graph): where the delta state lives and whether to ignore it this once. The
   * local tenant is always read in full (it is in-process, and starts on a new port each run).
   */
  deltaState?: { store: StateStore; fullRead?: boolean };
}

/** Internal: the pieces behind a Tenant, for tests and the bench (counts of batches and inner 429s). */
export interface TenantInternals extends Tenant {
  graph: GraphClient;
  queue: BatchQueue;
}

// The local tenant's token comes from the emulator itself, so it carries the permissions tenant.local grants, as a
// real tenant's carries those consented to; real credentials are exercised against its token endpoint in tests.
const localCredential = (issue: () => string): TokenCredential => ({
  getToken: async () => ({ token: issue(), expiresOnTimestamp: Date.now() + 3_600_000 }),
});

export async function openTenant(cfg: TenantConfig, opts: OpenTenantOptions): Promise<Tenant> {
  return openTenantInternals(cfg, opts);
}

export async function openTenantInternals(cfg: TenantConfig, opts: OpenTenantOptions): Promise<TenantInternals> {
  if (!cfg.domains?.length) throw new ConfigError('tenant.domains must list at least one domain');
  const education = cfg.education ?? false;
  let graph: GraphClient;
  let stopEmulator: () => Promise<void> = async () => {};
  let url: string;
  if (cfg.local) {
    if (cfg.graph) opts.log.warn('tenant: both local and graph are set; using the local emulator, nothing is sent to Microsoft');
    // Loaded only when asked for, so a run against a real tenant never loads the emulator.
    const { startEmulator } = await import('./emulator/index.js');
    const emu = await startEmulator({
      statePath: resolve(opts.baseDir, cfg.local.state), domains: cfg.domains, education,
      ...(cfg.local.port ? { port: cfg.local.port } : {}), ...(cfg.local.permissions ? { permissions: cfg.local.permissions } : {}),
      ...(cfg.local.licences ? { licences: cfg.local.licences } : {}),
    });
    url = emu.url;
    graph = createGraphClient({ credential: localCredential(() => emu.issueToken('rollcall-local')), graphUrl: emu.url, ca: emu.ca });
    stopEmulator = () => emu.stop();
    opts.log.info(`tenant: local emulator at ${emu.url}`);
  } else if (cfg.graph) {
    const credential = createCredential(cfg.graph, { baseDir: opts.baseDir, env: opts.env });
    url = cfg.graph.graphUrl ?? DEFAULT_GRAPH_URL;
    graph = createGraphClient({ credential, graphUrl: url, allowCustomEndpoint: cfg.graph.allowCustomEndpoints === true });
  } else {
    throw new ConfigError('tenant needs either graph (a Microsoft 365 tenant) or local (the emulator)');
  }
  const deltaState: DeltaStateOptions | undefined = cfg.graph && !cfg.local && opts.deltaState
    ? { store: opts.deltaState.store, tenantId: cfg.graph.tenantId, maxAgeHours: cfg.graph.deltaMaxAgeHours ?? DEFAULT_DELTA_MAX_AGE_HOURS, ...(opts.deltaState.fullRead ? { fullRead: true } : {}) }
    : undefined;
  const t = tenantOverGraph(graph, { ...opts, domains: cfg.domains, education, ...(deltaState ? { deltaState } : { deltaState: undefined }) });
  return {
    ...t, url,
    close: async () => { await t.close(); await stopEmulator(); },
  };
}

/**
 * Reader and writer over an already built Graph client. openTenant uses it; so do contract tests and the bench,
 * which start the emulator themselves with throttling or faults and connect to it over HTTPS like any tenant.
 */
export function tenantOverGraph(graph: GraphClient, opts: Omit<OpenTenantOptions, 'baseDir' | 'env'> & { domains: string[]; education: boolean; retryPolicy?: RetryPolicy; pollDelaysMs?: number[]; ownersFromDelta?: boolean; deltaState?: DeltaStateOptions }): TenantInternals {
  const pacer = new SlidingWindowPacer(opts.writesPerSecond ?? DEFAULT_WRITES_PER_SECOND, BATCH_LIMIT);
  const teamsPacer = new SlidingWindowPacer(opts.teamsPostsPerSecond ?? DEFAULT_TEAMS_POSTS_PER_SECOND, TEAMS_POSTS_BURST);
  const queue = new BatchQueue({ graph, pacer, teamsPacer, concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY, log: opts.log, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.retryPolicy ? { policy: opts.retryPolicy } : {}) });
  const reader = new GraphReader({
    graph, queue, domains: opts.domains, log: opts.log,
    ...(opts.retryPolicy ? { policy: opts.retryPolicy } : {}), ...(opts.ownersFromDelta !== undefined ? { ownersFromDelta: opts.ownersFromDelta } : {}),
    // Owners read per group are not followed by /groups/delta: such a tenant is read in full.
    ...(opts.deltaState && opts.ownersFromDelta !== false
      ? { directory: new DeltaDirectory({ graph, domains: opts.domains, log: opts.log, state: opts.deltaState, ...(opts.retryPolicy ? { policy: opts.retryPolicy } : {}) }) }
      : {}),
  });
  const writer = new GraphWriter({
    queue, graphBase: `${graph.origin}/v1.0`, education: opts.education, log: opts.log,
    ...(opts.replicationDelaysMs ? { replicationDelaysMs: opts.replicationDelaysMs } : {}),
    ...(opts.pollDelaysMs ? { pollDelaysMs: opts.pollDelaysMs } : {}),
  });
  return {
    reader, writer, url: graph.origin, graph, queue,
    requestCount: () => graph.requests(),
    grantedPermissions: () => graph.grantedPermissions?.() ?? Promise.reject(new TenantError('this Graph client cannot say which permissions it has', { code: 'NoCredential' })),
    close: async () => { queue.close(); await graph.close(); },
  };
}
