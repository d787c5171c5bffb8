// The Action's delta state in the cache: sealed under the state-key, used only by scheduled, merge and dispatched
// runs, and refused (a full read, never a wrong Snapshot) when an entry is tampered with, sealed by someone else or
// for another tenant or config. The cache is a port (StateCache); here a folder stands in for GitHub's service, and
// the tenant is the emulator read through rollcall's real Graph client.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/load.js';
import { memoryLogger } from '../log.js';
import { startEmulator, type RunningEmulator } from '../tenant/emulator/index.js';
import { createGraphClient, type GraphClient } from '../tenant/graph/client.js';
import { tenantOverGraph } from '../tenant/index.js';
import { encodeState, decodeState } from '../tenant/state/delta-state.js';
import { fileStore, sealedStore, stateKey } from '../tenant/state/store.js';
import type { Snapshot } from '../tenant/types.js';
import { actionDeltaState, type StateCache } from './delta-cache.js';
import type { GitOpsRun } from './run.js';

const DOMAIN = 'school.test';
const SECRET = 'correct horse battery staple, but random';
let emu: RunningEmulator;
let graph: GraphClient;
let root: string;

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN] });
  for (let i = 0; i < 20; i++) emu.state.addUser({ userPrincipalName: `pupil${i}@${DOMAIN}`, displayName: `Pupil Number${i}`, employeeId: `bts:s${i}` });
  const ids = [...emu.state.users.keys()];
  emu.state.addGroup({ displayName: 'Year 7', mailNickname: 'y7', members: ids.slice(0, 10), securityEnabled: true, mailEnabled: false });
  graph = createGraphClient({ credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) }, graphUrl: emu.url, ca: emu.ca });
  root = await mkdtemp(path.join(tmpdir(), 'rollcall-cache-'));
});
afterAll(async () => {
  await graph?.close();
  await emu?.stop();
  await rm(root, { recursive: true, force: true });
});

/** GitHub's cache as a folder: entries by key; restore gives the newest with the prefix. */
function folderCache(dir: string): StateCache & { entries: Map<string, Buffer>; restores: number } {
  const entries = new Map<string, Buffer>();
  const c = {
    entries, restores: 0,
    async restore(file: string, prefix: string) {
      c.restores++;
      const key = [...entries.keys()].filter((k) => k.startsWith(prefix)).at(-1);
      if (!key) return false;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, entries.get(key)!);
      return true;
    },
    async save(file: string, key: string) {
      if (entries.has(key)) throw new Error('cache entry exists');
      entries.set(key, await readFile(file));
    },
  };
  void dir;
  return c;
}

let runs = 0;
/** A run on a fresh runner (its own temp folder), as GitHub starts one. */
async function runner(eventName: string, configRel = 'rollcall.yaml') {
  const runnerTemp = path.join(root, `runner-${++runs}`);
  await mkdir(runnerTemp, { recursive: true });
  const log = memoryLogger();
  const run = { ctx: { eventName, runnerTemp, runId: String(1000 + runs) }, configRel, log } as unknown as GitOpsRun;
  return { run, log };
}
const loaded = (tenantId = emu.state.tenantId) => ({ config: { tenant: { graph: { tenantId }, domains: [DOMAIN] } } }) as unknown as LoadedConfig;

async function readWith(store: Parameters<typeof tenantOverGraph>[1]['deltaState'] extends infer D ? D extends { store: infer S } ? S : never : never, log: ReturnType<typeof memoryLogger>): Promise<Snapshot> {
  const t = tenantOverGraph(graph, { domains: [DOMAIN], education: false, log, deltaState: { store, tenantId: emu.state.tenantId, maxAgeHours: 168 } });
  try {
    return await t.reader.read({ education: false });
  } finally {
    t.queue.close();
  }
}
const fullRead = async () => {
  const t = tenantOverGraph(graph, { domains: [DOMAIN], education: false, log: memoryLogger() });
  try { return await t.reader.read({ education: false }); } finally { t.queue.close(); }
};
const same = (a: Snapshot, b: Snapshot) => expect({ ...a, readAt: 0 }).toEqual({ ...b, readAt: 0 });

describe('the Action keeps the delta state in the cache, sealed', () => {
  let cache: ReturnType<typeof folderCache>;
  beforeEach(() => { cache = folderCache(root); });

  it('a scheduled run saves it sealed; the next run restores it and reads warm', async () => {
    const first = await runner('schedule');
    const d1 = (await actionDeltaState(first.run, loaded(), cache, SECRET))!;
    expect(d1).toBeDefined();
    await readWith(d1.store, first.log);
    await d1.keep();
    expect(cache.entries.size).toBe(1);
    const [key, bytes] = [...cache.entries][0]!;
    // Neither the tenant nor the config in the key; no name or address in the entry.
    expect(key).not.toContain(emu.state.tenantId);
    expect(bytes.toString('latin1')).not.toMatch(/pupil|Pupil|school\.test/);

    const second = await runner('schedule');
    const d2 = (await actionDeltaState(second.run, loaded(), cache, SECRET))!;
    const warm = await readWith(d2.store, second.log);
    expect(second.log.lines.some((l) => l.includes('users read warm'))).toBe(true);
    same(warm, await fullRead());
    await d2.keep();
    expect(cache.entries.size).toBe(2);
  });

  it.each(['pull_request', 'pull_request_target'])('a %s run neither restores nor saves it: it reads in full', async (event) => {
    const r = await runner(event);
    expect(await actionDeltaState(r.run, loaded(), cache, SECRET)).toBeUndefined();
    expect(cache.restores).toBe(0);
    expect(r.log.lines.join('\n')).toContain(`a ${event} run reads the tenant in full`);
  });

  it('without a state-key there is no cache and every run reads in full', async () => {
    const r = await runner('schedule');
    expect(await actionDeltaState(r.run, loaded(), cache, undefined)).toBeUndefined();
    expect(cache.restores).toBe(0);
    expect(r.log.lines.join('\n')).toContain('no state-key input');
  });
});

describe('attacks: a cache entry that is not this run\'s own is refused (full read)', () => {
  /** Plants `bytes` as the newest entry of this tenant and config's cache line, then runs as the schedule would. */
  async function planted(spoil: (sealed: Buffer, plain: Buffer) => Buffer | Promise<Buffer>) {
    const cache = folderCache(root);
    const first = await runner('schedule');
    const d1 = (await actionDeltaState(first.run, loaded(), cache, SECRET))!;
    await readWith(d1.store, first.log);
    await d1.keep();
    const [key, sealed] = [...cache.entries][0]!;
    const plain = Buffer.from(await sealedStore({ where: 'x', load: async () => sealed, save: async () => {} }, stateKey(SECRET), `${emu.state.tenantId}\nrollcall.yaml`).load() as Uint8Array);
    // A state that would make the next run see an account nobody has: what an attacker wants the plan to act on.
    cache.entries.set(`${key}-later`, await spoil(sealed, plain));
    const next = await runner('schedule');
    const d2 = (await actionDeltaState(next.run, loaded(), cache, SECRET))!;
    const snapshot = await readWith(d2.store, next.log);
    same(snapshot, await fullRead());
    return next.log.lines;
  }
  const forged = (plain: Buffer) => {
    const s = decodeState(plain).state!;
    return encodeState({ ...s, users: { ...s.users!, items: [...s.users!.items, { id: 'forged', userPrincipalName: `ghost@${DOMAIN}`, displayName: 'Ghost', accountEnabled: true }] } });
  };
  const sealWith = async (secret: string, context: string, bytes: Buffer) => {
    const file = path.join(root, `forge-${Math.random()}.bin`);
    await sealedStore(fileStore(file), stateKey(secret), context).save(bytes);
    return readFile(file);
  };
  const refused = (lines: string[]) => lines.some((l) => l.startsWith('warn:') && l.includes('was not used') && l.includes('does not open with this key'))
    && lines.some((l) => l.includes('users read in full'));

  it('an entry sealed with another key (a fork\'s, or anyone\'s)', async () => {
    expect(refused(await planted(async (_s, plain) => sealWith('another secret', `${emu.state.tenantId}\nrollcall.yaml`, forged(plain))))).toBe(true);
  });

  it('an entry sealed with this key for another config or tenant', async () => {
    expect(refused(await planted(async (_s, plain) => sealWith(SECRET, `${emu.state.tenantId}\nother.yaml`, forged(plain))))).toBe(true);
    expect(refused(await planted(async (_s, plain) => sealWith(SECRET, `another-tenant\nrollcall.yaml`, forged(plain))))).toBe(true);
  });

  it('an entry with one byte changed', async () => {
    expect(refused(await planted((sealed) => { const b = Buffer.from(sealed); b[b.length - 5]! ^= 1; return b; }))).toBe(true);
  });

  it('a plain (unsealed) state dropped in the cache', async () => {
    const lines = await planted((_s, plain) => forged(plain));
    expect(lines.some((l) => l.includes('was not used') && l.includes('not sealed'))).toBe(true);
  });
});
