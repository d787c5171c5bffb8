// Graph's answers are read through schemas at the border: a wrong-typed field fails the read with the page, the
// item and the field named, instead of being coerced ("17", "[object Object]") into the Snapshot a plan is made
// from. The real Graph client reads the emulator through an HTTPS proxy that spoils one field of one answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient, type GraphClient } from '../../src/tenant/graph/client.js';
import { ROLLCALL_EVENT_PROPERTY_ID } from '../../src/tenant/graph/constants.js';
import { tenantOverGraph, type TenantInternals } from '../../src/tenant/index.js';
import { startGraphProxy, type GraphProxy } from '../resilience/graph-proxy.js';
import { anyToken, DOMAIN, userBody } from './harness.js';

let emu: RunningEmulator;
let proxy: GraphProxy;
let graph: GraphClient;
let tenant: TenantInternals;
let teacherId: string;

const FROM = '2026-03-02T00:00:00Z';
const TO = '2026-03-07T00:00:00Z';

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN], education: true });
  const users = [0, 1, 2].map((i) => emu.state.addUser({ userPrincipalName: `u${i}@${DOMAIN}`, displayName: `User ${i}` }));
  teacherId = users[0].id;
  emu.state.addGroup({ displayName: 'Year 7', members: users.map((u) => u.id), owners: [teacherId] });
  emu.state.addClass({ displayName: '7A Art', mailNickname: 'rc-7a-art', externalId: 'c-7a-art', teachers: [teacherId] });
  emu.state.addEvent(teacherId, { subject: 'Art', start: { dateTime: '2026-03-03T09:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-03T10:00:00.0000000', timeZone: 'UTC' } }, [{ id: ROLLCALL_EVENT_PROPERTY_ID, value: 'lesson-1' }]);
  proxy = await startGraphProxy(emu.url, emu.ca);
  graph = createGraphClient({ credential: anyToken, graphUrl: proxy.url, ca: proxy.ca, timeoutMs: 5000 });
  tenant = tenantOverGraph(graph, {
    domains: [DOMAIN], education: true, log: memoryLogger(), writesPerSecond: 10_000, concurrency: 2,
    replicationDelaysMs: [], pollDelaysMs: [10], retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
});

afterAll(async () => {
  await tenant?.close();
  await proxy?.close();
  await emu?.stop();
});

const read = () => tenant.reader.read({ education: true, calendar: { userIds: [teacherId], from: FROM, to: TO } });
const path = (u: URL) => u.pathname.replace(/^\/v1\.0\//, '');

/** Rewrites the JSON of answers to GETs of `route`: one spoiled field. */
function spoil(route: RegExp, change: (body: { value: Record<string, unknown>[] }) => void): void {
  proxy.rule = {
    patch: (method, url, body) => {
      if (method !== 'GET' || !route.test(path(url))) return undefined;
      const json = JSON.parse(body) as { value: Record<string, unknown>[] };
      change(json);
      return JSON.stringify(json);
    },
  };
}

/** Rewrites the inner answers of $batch requests whose JSON matches `match`. */
function spoilInBatch(match: RegExp, change: (body: Record<string, unknown>) => void): void {
  proxy.rule = {
    patch: (method, url, body) => {
      if (method !== 'POST' || path(url) !== '$batch') return undefined;
      const json = JSON.parse(body) as { responses: { body?: Record<string, unknown> }[] };
      for (const r of json.responses) if (r.body && match.test(JSON.stringify(r.body))) change(r.body);
      return JSON.stringify(json);
    },
  };
}

describe('a wrong-typed field in a Graph answer fails the read, naming page, item and field', () => {
  it('reads whole and typed when nothing is spoiled', async () => {
    proxy.rule = {};
    const s = await read();
    expect(s.users.map((u) => u.userPrincipalName).sort()).toEqual([`u0@${DOMAIN}`, `u1@${DOMAIN}`, `u2@${DOMAIN}`]);
    expect(s.classes.map((c) => c.externalId)).toEqual(['c-7a-art']);
    expect(s.events.map((e) => [e.subject, e.tag])).toEqual([['Art', 'lesson-1']]);
  });

  it('a user id that is a number', async () => {
    spoil(/^users$/, (b) => { b.value[1].id = 17; });
    const err = await read().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TenantError);
    expect((err as Error).message).toMatch(/^reading users \(page 1\): 200 MalformedAnswer: value\[1\]\.id: expected a string, not a number$/);
  });

  it('a userPrincipalName left out', async () => {
    spoil(/^users$/, (b) => { delete b.value[2].userPrincipalName; });
    await expect(read()).rejects.toThrow(/reading users \(page 1\): 200 MalformedAnswer: value\[2\]\.userPrincipalName: missing \(expected a string\)/);
  });

  it('a nextLink that is not a string', async () => {
    spoil(/^users$/, (b) => { (b as Record<string, unknown>)['@odata.nextLink'] = 5; });
    await expect(read()).rejects.toThrow(/reading users \(page 1\): 200 MalformedAnswer: @odata\.nextLink: expected a string, not a number/);
  });

  it("a nextLink that is not a string, on a mailbox's page read through $batch", async () => {
    spoilInBatch(/"subject"/, (b) => { b['@odata.nextLink'] = ['x']; });
    await expect(read()).rejects.toThrow(new RegExp(`reading events of ${teacherId} \\(page 1\\): 200 MalformedAnswer: @odata\\.nextLink: expected a string, not an array`));
  });

  it('a member reference in a groups delta whose id is an object', async () => {
    spoil(/^groups\/delta$/, (b) => {
      const g = b.value.find((x) => Array.isArray(x['members@delta']))!;
      (g['members@delta'] as Record<string, unknown>[])[0].id = { id: 'x' };
    });
    await expect(read()).rejects.toThrow(/reading groups \(delta\) \(page 1\): 200 MalformedAnswer: value\[\d+\]\.members@delta\[0\]\.id: expected a string, not an object/);
  });

  it('a class externalId that is a boolean', async () => {
    spoil(/^education\/classes$/, (b) => { b.value[0].externalId = true; });
    await expect(read()).rejects.toThrow(/reading education classes \(page 1\): 200 MalformedAnswer: value\[0\]\.externalId: expected a string, not a boolean/);
  });

  it("an event's subject that is a number, in a mailbox read through $batch", async () => {
    spoilInBatch(/"subject"/, (b) => { (b.value as Record<string, unknown>[])[0].subject = 42; });
    await expect(read()).rejects.toThrow(new RegExp(`reading events of ${teacherId} \\(page 1\\): 200 MalformedAnswer: value\\[0\\]\\.subject: expected a string, not a number`));
  });

  it('a create answered without a string id fails that change, naming the field, instead of reporting it done without an id', async () => {
    spoilInBatch(/"userPrincipalName":"s901@/, (b) => { b.id = 901; });
    const [result] = await tenant.writer.execute([{ op: 'user.create', key: 'u901', body: userBody(901) }]);
    expect(result).toMatchObject({ key: 'u901', status: 'failed', error: { code: 'MalformedAnswer', message: 'id: expected a string, not a number' } });
  });
});
