// Public entry of the Graph emulator: startEmulator() serves a Graph-compatible HTTPS endpoint on loopback with a
// certificate made at start (callers trust exactly `ca`), state in memory and optionally in a JSON file.
import { readdir, readFile, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import { batchRoutes } from './batch.js';
import type { Route } from './context.js';
import { directoryRoutes } from './directory.js';
import { Faults, type FaultKind } from './faults.js';
import { groupRoutes } from './groups.js';
import { Pipeline, emptyCounts, type RequestCounts } from './server.js';
import { EmulatorState } from './state.js';
import { Throttle, type ThrottleLimits } from './throttle.js';
import { TokenIssuer } from './tokens.js';
import { userRoutes } from './users.js';
import { extraRoutes } from './routes.js';
import { skusFrom } from './licences.js';
import { ROLLCALL_PERMISSIONS } from '../permissions.js';
import { writeAtomic } from '../write-atomic.js';

export { EmulatorState } from './state.js';
export type { RequestCounts } from './server.js';
export type { FaultKind } from './faults.js';
export type { ThrottleLimits } from './throttle.js';

export interface EmulatorOptions {
  /** JSON file; loaded if it exists, saved after writes (debounced, and on stop) atomically (temp + rename). */
  statePath?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Verified domains; default ['rollcall.test']; the first is the initial/default domain. */
  domains?: string[];
  /** Education tenant? Default false (or the state file's). Non-education tenants answer education endpoints with 400 Request_UnsupportedQuery. */
  education?: boolean;
  /**
   * Throttling model (see throttle.ts). timeScale: 1 = real time; 100 = quotas refill 100x faster and Retry-After
   * (real seconds; whole at timeScale 1, otherwise with three decimals) is divided by 100. tenantSize defaults to one
   * derived from the user count.
   * limits overrides Graph's published figures (tests, benchmarks).
   */
  throttle?: false | { timeScale?: number; tenantSize?: 'small' | 'medium' | 'large'; limits?: Partial<ThrottleLimits> };
  /**
   * Seeded fault injection: `rate` 0..1 per request; latency drawn uniformly from latencyMs; a 'timeout' fault holds
   * the request for timeoutMs (default 30 s) and then answers 504.
   */
  faults?: { seed: number; rate: number; kinds?: FaultKind[]; latencyMs?: [number, number]; timeoutMs?: number };
  /** New objects are invisible to reads and as $ref targets for this long (ms, real time). */
  replicationDelayMs?: number;
  /** Refuse Graph calls without a token this emulator issued (401 InvalidAuthenticationToken). */
  checkTokens?: boolean;
  /**
   * Application permissions granted: the `roles` of the tokens the token endpoint issues (and of any bearer string
   * when tokens are not checked). Each request needs one of the permissions Graph's docs name for it
   * (../permissions.ts), else 403 Authorization_RequestDenied. Default: everything rollcall needs (ROLLCALL_PERMISSIONS)
   * and the tenant's own details (Domain.Read.All, Organization.Read.All), so every endpoint here answers.
   */
  permissions?: readonly string[];
  /**
   * Licences bought: SKU part number → units (tenant.local.licences). Given, they replace the state file's SKUs;
   * each SKU gets a stable synthetic skuId and a few service plans. Accounts keep the licences assigned to them.
   */
  licences?: Readonly<Record<string, number | undefined>>;
  /** How long team provisioning (POST /teams) takes in real time before its operation succeeds; default 1000 / timeScale. */
  teamProvisioningMs?: number;
}

export interface RunningEmulator {
  /** https://127.0.0.1:PORT; the Graph base is `${url}/v1.0`. */
  url: string;
  /** PEM of the self-signed certificate, so clients can trust exactly it. */
  ca: string;
  counts(): RequestCounts;
  resetCounts(): void;
  /** Direct access for tests: seeding (addUser, addUnmanagedUser, addGroup, addClass, addTeam, addEvent) and assertions. */
  state: EmulatorState;
  /** Issues a token as the token endpoint would (for tests of checkTokens); `roles` default to the grant. */
  issueToken(appId?: string, roles?: readonly string[]): string;
  /** Writes the state file now (no-op without statePath). */
  save(): Promise<void>;
  /** Closes the server and flushes the state file. */
  stop(): Promise<void>;
}


/**
 * Temporary files a killed process left beside the state file (`<file>.<pid>.<random>.tmp`): removed when that
 * process is gone. A live process's file is its write in progress and stays.
 */
export async function removeStaleTemporaries(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = name.startsWith(`${base}.`) ? /^(\d+)\.[a-z0-9]+\.tmp$/.exec(name.slice(base.length + 1)) : null;
    if (!m || isAlive(Number(m[1]))) continue;
    await unlink(path.join(dir, name)).then(() => removed.push(name), () => {});
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function loadState(opts: EmulatorOptions): Promise<EmulatorState> {
  if (opts.statePath) {
    await removeStaleTemporaries(opts.statePath);
    let text: string | undefined;
    try {
      text = await readFile(opts.statePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text !== undefined) return EmulatorState.fromJSON(JSON.parse(text), { domains: opts.domains, education: opts.education });
  }
  return new EmulatorState({ domains: opts.domains, education: opts.education });
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const state = await loadState(opts);
  if (opts.licences) state.skus = skusFrom(opts.licences);
  const timeScale = opts.throttle && opts.throttle.timeScale && opts.throttle.timeScale > 0 ? opts.throttle.timeScale : 1;
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }, ...(/^[\d.]+$/.test(host) ? (host === '127.0.0.1' ? [] : [{ type: 7 as const, ip: host }]) : [{ type: 2 as const, value: host }])] },
    ],
  });

  let url = '';
  const granted = [...(opts.permissions ?? [...ROLLCALL_PERMISSIONS, 'Domain.Read.All', 'Organization.Read.All'])];
  const tokens = new TokenIssuer(() => url, () => state.tenantId, () => granted);
  const routes: Route[] = [...userRoutes, ...groupRoutes, ...directoryRoutes, ...batchRoutes, ...extraRoutes];
  const pipeline = new Pipeline({
    state,
    routes,
    throttle: opts.throttle ? new Throttle(opts.throttle, () => ({ id: state.tenantId, userCount: state.users.size })) : undefined,
    faults: opts.faults ? new Faults(opts.faults) : undefined,
    tokens,
    checkTokens: opts.checkTokens ?? false,
    replicationDelayMs: opts.replicationDelayMs ?? 0,
    timeScale,
    teamProvisioningMs: opts.teamProvisioningMs ?? 1000 / timeScale,
    url: () => url,
  });

  // Debounced saves, one write at a time. Each write serialises the state when it starts, never when it is asked
  // for: a queue of serialised copies (hundreds of MB each once a tenant holds 70,000 events) is what ran a first
  // sync out of memory. A debounced save whose changes an earlier write already took writes nothing, and the
  // debounce stretches with the time a write takes, so saving never crowds out the requests it records.
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let dirty = false;
  let lastWriteMs = 0;
  const save = (onlyIfChanged = false): Promise<void> => {
    if (!opts.statePath) return Promise.resolve();
    // A failed write must not poison the chain: the next save tries again with fresh state.
    saving = saving.catch(() => {}).then(async () => {
      if (onlyIfChanged && !dirty) return;
      dirty = false;
      const started = Date.now();
      try {
        await writeAtomic(opts.statePath!, JSON.stringify(state.toJSON()));
      } catch (err) {
        dirty = true;
        throw err;
      } finally {
        lastWriteMs = Date.now() - started;
      }
    });
    return saving;
  };
  state.onChange = () => {
    if (!opts.statePath) return;
    dirty = true;
    if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        save(true).catch((e) => console.error(`rollcall emulator: could not save state: ${(e as Error).message}`));
      }, Math.max(250, 4 * lastWriteMs));
    }
  };

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    pipeline.handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (opts.statePath) await save();

  return {
    url,
    ca: pems.cert,
    counts: () => structuredClone(pipeline.counts),
    resetCounts: () => {
      pipeline.counts = emptyCounts();
    },
    state,
    issueToken: (appId = '00000000-0000-0000-0000-0000000000aa', roles?: readonly string[]) => tokens.issue(appId, state.tenantId, 3600, roles ?? granted),
    save: () => save(),
    stop: async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const res of pipeline.held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await save();
    },
  };
}
