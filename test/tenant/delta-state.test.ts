// Warm reads: the state kept from the last read plus /users/delta and /groups/delta give the Snapshot a full read
// gives, through rollcall's real Graph client against the emulator (an HTTPS proxy in front of it to inject faults).
// The tenant changes between runs through Graph itself; each warm Snapshot is compared with a full read's.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient, type GraphClient } from '../../src/tenant/graph/client.js';
import type { DeltaStateOptions } from '../../src/tenant/graph/delta-read.js';
import { tenantOverGraph } from '../../src/tenant/index.js';
import { decodeState, encodeState } from '../../src/tenant/state/delta-state.js';
import { fileStore, type StateStore } from '../../src/tenant/state/store.js';
import type { Snapshot } from '../../src/tenant/types.js';
import { RawGraph, strongPassword } from '../support/emulator-kit.js';
import { graphError, startGraphProxy, type GraphProxy } from '../resilience/graph-proxy.js';
import { anyToken } from './harness.js';

const DOMAIN = 'school.test';
const OTHER = 'elsewhere.test';
let emu: RunningEmulator;
let proxy: GraphProxy;
let graph: GraphClient;
let g: RawGraph;
let dir: string;
let store: StateStore;

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN, OTHER], education: true });
  proxy = await startGraphProxy(emu.url, emu.ca);
  graph = createGraphClient({ credential: anyToken, graphUrl: proxy.url, ca: proxy.ca, timeoutMs: 5000 });
  g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
});
afterAll(async () => {
  g?.close();
  await graph?.close();
  await proxy?.close();
  await emu?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-delta-'));
  store = fileStore(path.join(dir, '.rollcall', 'delta-state.json'));
  proxy.rule = {};
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One read as a run makes it: with the kept state (`delta`) or without any (the reference full read). */
async function read(delta?: Partial<DeltaStateOptions>): Promise<{ snapshot: Snapshot; log: string[]; requests: string[] }> {
  const log = memoryLogger();
  const requests: string[] = [];
  const rule = proxy.rule;
  proxy.rule = { ...rule, patch: (method, url, body) => { requests.push(`${method} ${url.pathname}${url.search}`); return rule.patch?.(method, url, body); } };
  const t = tenantOverGraph(graph, {
    domains: [DOMAIN], education: true, log, retryPolicy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...(delta ? { deltaState: { store, tenantId: emu.state.tenantId, maxAgeHours: 168, ...delta } } : {}),
  });
  try {
    return { snapshot: await t.reader.read({ education: true }), log: log.lines, requests };
  } finally {
    t.queue.close();
    proxy.rule = rule;
  }
}

/** Graph defines no order for a collection (nor for members): compare as sets, and without the time of the read. */
function canonical(s: Snapshot) {
  const byId = <T extends { id: string }>(l: T[]) => [...l].sort((a, b) => a.id.localeCompare(b.id));
  const sorted = (l: string[]) => [...l].sort();
  return {
    ...s, readAt: undefined,
    users: byId(s.users),
    groups: byId(s.groups).map((x) => ({ ...x, members: sorted(x.members), owners: sorted(x.owners) })),
    classes: byId(s.classes).map((x) => ({ ...x, members: sorted(x.members), teachers: sorted(x.teachers) })),
    teams: byId(s.teams),
  };
}

/** A warm read after `change`, checked against a full read of the same tenant; returns the warm read's log. */
async function warmEqualsFull(change: () => Promise<void>): Promise<{ log: string[]; requests: string[] }> {
  await read({});
  await change();
  const warm = await read({});
  const full = await read();
  expect(canonical(warm.snapshot)).toEqual(canonical(full.snapshot));
  return warm;
}

const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
let n = 0;
async function newUser(extra: Record<string, unknown> = {}, domain = DOMAIN): Promise<string> {
  n++;
  const r = await g.post('users', {
    accountEnabled: true, displayName: `Pupil ${n}`, mailNickname: `p${n}`, userPrincipalName: `p${n}@${domain}`, employeeId: `bts:s${n}`,
    employeeType: 'Student', usageLocation: 'GB', passwordProfile: { password: strongPassword, forceChangePasswordNextSignIn: true }, ...extra,
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
async function newGroup(members: string[], extra: Record<string, unknown> = {}): Promise<string> {
  n++;
  const r = await g.post('groups', { displayName: `Group ${n}`, mailNickname: `g${n}`, mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'], description: `[rollcall:g${n}]`, ...extra });
  expect(r.status).toBe(201);
  for (const m of members) expect((await g.post(`groups/${r.body.id}/members/$ref`, ref(m))).status).toBe(204);
  return r.body.id as string;
}
const warmLine = (log: string[], kind: string) => log.some((l) => l.includes(`${kind} read warm`));
const fullLine = (log: string[], kind: string, why: string) => log.some((l) => l.includes(`${kind} read in full`) && l.includes(why));

describe('a warm read gives the Snapshot a full read gives', () => {
  it('after users are added, renamed, changed, cleared, moved between domains and deleted (soft and for good)', async () => {
    const keep = await newUser();
    const rename = await newUser();
    const clear = await newUser({ onPremisesExtensionAttributes: { extensionAttribute3: 'tutor 7X' } });
    const soft = await newUser();
    const purge = await newUser();
    const leave = await newUser();
    const arrive = await newUser({}, OTHER);
    const w = await warmEqualsFull(async () => {
      await newUser();
      expect((await g.patch(`users/${rename}`, { displayName: 'Renamed Pupil', userPrincipalName: `renamed.${n}@${DOMAIN}`, givenName: 'Renamed' })).status).toBe(204);
      expect((await g.patch(`users/${clear}`, { employeeType: null, usageLocation: null, onPremisesExtensionAttributes: { extensionAttribute3: null, extensionAttribute5: 'house B' } })).status).toBe(204);
      expect((await g.patch(`users/${keep}`, { accountEnabled: false })).status).toBe(204);
      expect((await g.delete(`users/${soft}`)).status).toBe(204);
      expect((await g.delete(`users/${purge}`)).status).toBe(204);
      expect((await g.delete(`directory/deletedItems/${purge}`)).status).toBe(204);
      expect((await g.patch(`users/${leave}`, { userPrincipalName: `gone.${n}@${OTHER}` })).status).toBe(204);
      expect((await g.patch(`users/${arrive}`, { userPrincipalName: `arrived.${n}@${DOMAIN}` })).status).toBe(204);
    });
    expect(warmLine(w.log, 'users') && warmLine(w.log, 'groups')).toBe(true);
    // Warm means no page of the whole collection: only the rounds that continue from the kept links.
    expect(w.requests.filter((r) => /^GET \/v1\.0\/users\?/.test(r))).toEqual([]);
    expect(w.requests.some((r) => r.includes('/users/delta?$deltatoken='))).toBe(true);
  });

  it('after groups are added, renamed and deleted, members and owners added and removed, and a member deleted', async () => {
    const pupils = await Promise.all([1, 2, 3, 4, 5].map(() => newUser()));
    const teacher = await newUser({ employeeType: 'Staff' });
    const stays = await newGroup(pupils.slice(0, 3));
    const renamed = await newGroup(pupils.slice(0, 2));
    const deleted = await newGroup(pupils.slice(0, 1));
    const security = await newGroup([], { mailEnabled: false, securityEnabled: true, groupTypes: [], mailNickname: `sec${n}` });
    // A tenant where no group has an owner gives no owners@delta at all, which reads as owners left out (a full read).
    expect((await g.post(`groups/${renamed}/owners/$ref`, ref(teacher))).status).toBe(204);
    const w = await warmEqualsFull(async () => {
      await newGroup([pupils[3]!, pupils[4]!]);
      expect((await g.patch(`groups/${renamed}`, { displayName: 'Renamed group', description: null })).status).toBe(204);
      expect((await g.delete(`groups/${deleted}`)).status).toBe(204);
      expect((await g.delete(`groups/${security}`)).status).toBe(204);
      expect((await g.post(`groups/${stays}/members/$ref`, ref(pupils[3]!))).status).toBe(204);
      expect((await g.delete(`groups/${stays}/members/${pupils[0]}/$ref`)).status).toBe(204);
      expect((await g.post(`groups/${stays}/owners/$ref`, ref(teacher))).status).toBe(204);
      // Added and taken away again between runs: the net change is none.
      expect((await g.post(`groups/${renamed}/members/$ref`, ref(pupils[4]!))).status).toBe(204);
      expect((await g.delete(`groups/${renamed}/members/${pupils[4]}/$ref`)).status).toBe(204);
      // A soft-deleted member keeps the membership in Entra but is not listed.
      expect((await g.delete(`users/${pupils[1]}`)).status).toBe(204);
    });
    expect(warmLine(w.log, 'groups')).toBe(true);
  });

  it('for a big group whose members come over several entries and pages, and a class whose teachers change', async () => {
    const many: string[] = [];
    for (let i = 0; i < 130; i++) many.push(await newUser());
    const teacher = await newUser({ employeeType: 'Staff' });
    const big = await newGroup(many.slice(0, 60));
    const cls = emu.state.addClass({ displayName: '7X/Ma1', mailNickname: `cls${n}`, externalId: `class-${n}`, teachers: [], members: many.slice(0, 3) });
    const w = await warmEqualsFull(async () => {
      for (const m of many.slice(60)) expect((await g.post(`groups/${big}/members/$ref`, ref(m))).status).toBe(204);
      for (const m of many.slice(0, 10)) expect((await g.delete(`groups/${big}/members/${m}/$ref`)).status).toBe(204);
      expect((await g.post(`groups/${cls.id}/owners/$ref`, ref(teacher))).status).toBe(204);
    });
    expect(warmLine(w.log, 'groups')).toBe(true);
  });
});

describe('a full read whenever the warm one cannot be vouched for', () => {
  it('a user or group restored from deletedItems (delta with $select does not report it) → full read, same Snapshot', async () => {
    const before = await newUser();
    expect((await g.delete(`users/${before}`)).status).toBe(204);
    const after = await newUser();
    const grp = await newGroup([after]);
    const w = await warmEqualsFull(async () => {
      expect((await g.delete(`users/${after}`)).status).toBe(204);
      expect((await g.post(`directory/deletedItems/${before}/restore`)).status).toBe(200);
    });
    expect(fullLine(w.log, 'users', 'restored')).toBe(true);
    expect(canonical((await read()).snapshot).users.map((u) => u.id)).toContain(before);
    // And a group: deleted after a read, restored before the next.
    await read({});
    expect((await g.delete(`groups/${grp}`)).status).toBe(204);
    await read({});
    expect((await g.post(`directory/deletedItems/${grp}/restore`)).status).toBe(200);
    const again = await read({});
    expect(fullLine(again.log, 'groups', 'restored')).toBe(true);
    expect(canonical(again.snapshot)).toEqual(canonical((await read()).snapshot));
  });

  it('a token Graph answers 410 (resync required) for → full read, and a fresh state is kept', async () => {
    await read({});
    // The kept users link as Graph would refuse it: issued eight days ago.
    const s = decodeState((await store.load())!).state!;
    const link = new URL(s.users!.deltaLink);
    const token = JSON.parse(Buffer.from(link.searchParams.get('$deltatoken')!, 'base64url').toString());
    link.searchParams.set('$deltatoken', Buffer.from(JSON.stringify({ ...token, t: token.t - 8 * 24 * 3600 * 1000 })).toString('base64url'));
    await store.save(encodeState({ ...s, users: { ...s.users!, deltaLink: link.toString() } }));
    await newUser();
    const warm = await read({});
    expect(fullLine(warm.log, 'users', '410')).toBe(true);
    expect(warmLine(warm.log, 'groups')).toBe(true);
    expect(canonical(warm.snapshot)).toEqual(canonical((await read()).snapshot));
    expect(warmLine((await read({})).log, 'users')).toBe(true);
  });

  it('a failure in the middle of a round → full read of that collection, the same Snapshot, and a sound state kept', async () => {
    await read({});
    // More changes than one page holds (999), so the round has a second page.
    for (let i = 0; i < 1100; i++) emu.state.addUser({ userPrincipalName: `bulk${i}.${n}@${DOMAIN}`, employeeId: `bts:b${i}` });
    let pages = 0;
    proxy.rule = {
      answer: (method, url) => {
        if (method !== 'GET' || !url.pathname.endsWith('/users/delta')) return undefined;
        if (url.searchParams.has('$deltatoken') && url.searchParams.get('$deltatoken') !== 'latest') pages++;
        return url.searchParams.has('$skiptoken') ? graphError(503, 'ServiceUnavailable', 'down', { 'Retry-After': '0' }) : undefined;
      },
    };
    const r = await read({});
    expect(pages).toBe(1);
    expect(fullLine(r.log, 'users', '503')).toBe(true);
    expect(warmLine(r.log, 'groups')).toBe(true);
    proxy.rule = {};
    const full = await read();
    expect(canonical(r.snapshot)).toEqual(canonical(full.snapshot));
    // What was kept is the full read's, whole: the next warm read agrees with a full read too.
    const next = await read({});
    expect(warmLine(next.log, 'users')).toBe(true);
    expect(canonical(next.snapshot)).toEqual(canonical(full.snapshot));
  });

  it('a read that fails keeps nothing new: the state is the one before', async () => {
    await read({});
    const before = await readFile(store.where);
    await newUser();
    proxy.rule = { answer: (method, url) => (method === 'GET' && url.pathname.endsWith('/teams') ? graphError(503, 'ServiceUnavailable', 'down', { 'Retry-After': '0' }) : undefined) };
    await expect(read({})).rejects.toThrow(/teams/);
    proxy.rule = {};
    expect(await readFile(store.where)).toEqual(before);
  });

  it('a warm round that fails on one page while the full read succeeds → full read, and the log says why', async () => {
    await read({});
    await newGroup([]);
    let failedOnce = false;
    proxy.rule = {
      answer: (method, url) => {
        if (method === 'GET' && url.pathname.endsWith('/groups/delta') && url.searchParams.has('$deltatoken') && url.searchParams.get('$deltatoken') !== 'latest' && !failedOnce) {
          failedOnce = true;
          return graphError(400, 'syncStateNotFound', 'token expired');
        }
        return undefined;
      },
    };
    const warm = await read({});
    expect(fullLine(warm.log, 'groups', 'syncStateNotFound')).toBe(true);
    expect(canonical(warm.snapshot)).toEqual(canonical((await read()).snapshot));
  });

  it('a state older than deltaMaxAgeHours, another $select, another tenant, or --full-read → full read', async () => {
    await read({});
    const later = new Date(Date.now() + 200 * 3600 * 1000);
    expect(fullLine((await read({ now: () => later })).log, 'users', 'h old')).toBe(true);
    // That full read started the clock again.
    expect(warmLine((await read({ now: () => later })).log, 'users')).toBe(true);
    const s = decodeState((await store.load())!).state!;
    await store.save(encodeState({ ...s, key: { ...s.key, userSelect: 'id,displayName' } }));
    expect(fullLine((await read({})).log, 'users', 'other properties')).toBe(true);
    expect(fullLine((await read({ tenantId: 'another-tenant' })).log, 'users', 'another tenant')).toBe(true);
    expect(fullLine((await read({ fullRead: true })).log, 'groups', 'full read was asked for')).toBe(true);
    const none = await read({ maxAgeHours: 0 });
    expect(none.requests.some((r) => r.includes('/delta?') && r.includes('latest'))).toBe(false);
  });

  it('a tenant that leaves owners out of /groups/delta → groups read in full every run (owners per group), users warm', async () => {
    const teacher = await newUser({ employeeType: 'Staff' });
    const grp = await newGroup([teacher]);
    expect((await g.post(`groups/${grp}/owners/$ref`, ref(teacher))).status).toBe(204);
    proxy.rule = {
      patch: (method, url, body) => {
        if (method !== 'GET' || !url.pathname.endsWith('/groups/delta')) return undefined;
        const page = JSON.parse(body) as { value?: Record<string, unknown>[] };
        for (const e of page.value ?? []) delete e['owners@delta'];
        return JSON.stringify(page);
      },
    };
    const first = await read({});
    expect(first.log.some((l) => l.includes('left owners out'))).toBe(true);
    expect(first.snapshot.groups.find((x) => x.id === grp)?.owners).toEqual([teacher]);
    expect((await g.delete(`groups/${grp}/owners/${teacher}/$ref`)).status).toBe(204);
    const second = await read({});
    expect(fullLine(second.log, 'groups', 'no delta state kept for them')).toBe(true);
    expect(warmLine(second.log, 'users')).toBe(true);
    expect(second.snapshot.groups.find((x) => x.id === grp)?.owners).toEqual([]);
  });

  it.each([
    ['cut short', (t: string) => t.slice(0, t.length / 2)],
    ['edited by hand', (t: string) => t.replace(/"displayName":"Pupil \d+"/, '"displayName":"Someone Else"')],
    ['not JSON at all', () => '\u0000\u0001garbage'],
    ['another format version', (t: string) => t.replace('"version":1', '"version":99')],
  ])('a state file %s → a warning and a full read, never a crash or a wrong Snapshot', async (_what, spoil) => {
    await newUser();
    await read({});
    const file = store.where;
    const text = await readFile(file, 'utf8');
    const spoilt = spoil(text);
    expect(spoilt).not.toBe(text);
    await writeFile(file, spoilt);
    const r = await read({});
    expect(r.log.some((l) => l.startsWith('warn:') && l.includes('was not used'))).toBe(true);
    expect(fullLine(r.log, 'users', 'not usable')).toBe(true);
    expect(canonical(r.snapshot)).toEqual(canonical((await read()).snapshot));
    // …and a sound state is kept again.
    expect(decodeState(await readFile(file)).state).toBeDefined();
  });
});
