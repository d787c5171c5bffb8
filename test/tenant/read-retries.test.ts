// One retry layer for Graph reads: rollcall's own (getJson, with its budget), not the SDK's RetryHandler under it as
// well (which resent each attempt up to 3 more times: ~160 sends for one page answered 429). Requests are counted
// at an HTTPS proxy in front of the emulator, so every send the real Graph client makes is seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient, type GraphClient } from '../../src/tenant/graph/client.js';
import { IdAnswer } from '../../src/tenant/graph/answers.js';
import { readAll } from '../../src/tenant/graph/paging.js';
import type { RetryPolicy } from '../../src/tenant/graph/retry.js';
import { graphError, startGraphProxy, type GraphProxy } from '../resilience/graph-proxy.js';
import { anyToken, DOMAIN } from './harness.js';

let emu: RunningEmulator;
let proxy: GraphProxy;
let graph: GraphClient;

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN] });
  for (let i = 0; i < 3; i++) emu.state.addUser({ userPrincipalName: `u${i}@${DOMAIN}` });
  proxy = await startGraphProxy(emu.url, emu.ca);
  graph = createGraphClient({ credential: anyToken, graphUrl: proxy.url, ca: proxy.ca, timeoutMs: 5000 });
});

afterAll(async () => {
  await graph?.close();
  await proxy?.close();
  await emu?.stop();
});

/** Answers the users page with `status` its first `times` requests (Retry-After 0), then passes it on; counts sends. */
function failUsersPage(status: number, times: number): { sends: () => number } {
  let sends = 0;
  proxy.rule = {
    answer: (method, url) => {
      if (method !== 'GET' || !url.pathname.endsWith('/users')) return undefined;
      sends++;
      return sends <= times ? graphError(status, status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'try later', { 'Retry-After': '0' }) : undefined;
    },
  };
  return { sends: () => sends };
}

const policy: RetryPolicy = { maxAttempts: 4, maxThrottled: 6, baseDelayMs: 1, maxDelayMs: 5 };
const read = () => readAll(graph, '/users?$select=id', 'users', IdAnswer, { policy });

describe('a Graph read is retried by one layer only', () => {
  it.each([429, 503])('a page answered %i forever is sent exactly as often as rollcall allows, then fails', async (status) => {
    const page = failUsersPage(status, Infinity);
    const err = await read().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TenantError);
    // maxThrottled attempts for 429, maxAttempts for 503: the budget's retries + 1, nothing stacked under them.
    expect(page.sends()).toBe(status === 429 ? policy.maxThrottled : policy.maxAttempts);
  });

  it.each([429, 503])('a page answered %i twice is sent three times and read whole', async (status) => {
    const page = failUsersPage(status, 2);
    const users = await read();
    expect(users).toHaveLength(3);
    expect(page.sends()).toBe(3);
  });
});

describe('a page cut off mid-JSON', () => {
  it('is sent once more, and when it stays cut the read fails as a malformed answer naming the page, not a parser error', async () => {
    let sends = 0;
    proxy.rule = {
      answer: (method, url) => {
        if (method !== 'GET' || !url.pathname.endsWith('/users')) return undefined;
        sends++;
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"value":[{"id":"u1"},{"id":"u' };
      },
    };
    const err = await read().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TenantError);
    expect((err as TenantError).graph?.code).toBe('MalformedAnswer');
    expect((err as TenantError).message).toMatch(/^reading users \(page 1\): 200 MalformedAnswer: the answer is not complete JSON/);
    // Sent once more (a cut-off page is usually the connection's fault), then it is the answer.
    expect(sends).toBe(2);
  });

  it('read whole when the next send arrives complete', async () => {
    let sends = 0;
    proxy.rule = {
      answer: (method, url) => {
        if (method !== 'GET' || !url.pathname.endsWith('/users')) return undefined;
        return ++sends === 1 ? { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"value":[{"id":' } : undefined;
      },
    };
    expect(await read()).toHaveLength(3);
    expect(sends).toBe(2);
  });
});
