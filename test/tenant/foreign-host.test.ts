// A Graph answer that points elsewhere (a nextLink, a redirect) must not take the bearer token with it: the real
// Graph client over HTTPS against two loopback listeners, the configured one and a foreign one that records what
// reaches it.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, TenantError } from '../../src/errors.js';
import { createCredential } from '../../src/tenant/auth/credential.js';
import { createGraphClient } from '../../src/tenant/graph/client.js';
import { IdAnswer } from '../../src/tenant/graph/answers.js';
import { readAll } from '../../src/tenant/graph/paging.js';
import { anyToken } from './harness.js';

interface Listener { server: Server; url: string; seen: { url: string; authorization?: string }[] }

let pems: { private: string; cert: string };
const listeners: Listener[] = [];

async function listen(answer: (url: string) => { status: number; headers?: Record<string, string>; body?: unknown }): Promise<Listener> {
  const seen: Listener['seen'] = [];
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const a = answer(req.url ?? '');
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body === undefined ? '' : JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const l = { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  listeners.push(l);
  return l;
}

beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec', algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
});
afterAll(async () => { for (const l of listeners) await new Promise((r) => l.server.close(r)); });

const fastPolicy = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

describe('the Graph client sends nothing to a host the config did not name', () => {
  it('refuses a nextLink to another listener on this machine, which receives nothing (and no token)', async () => {
    const foreign = await listen(() => ({ status: 200, body: { value: [{ id: 'stolen' }] } }));
    const graph = await listen(() => ({ status: 200, body: { value: [{ id: 'u1' }], '@odata.nextLink': `${foreign.url}/v1.0/users?$skiptoken=2` } }));
    const client = createGraphClient({ credential: anyToken, graphUrl: graph.url, ca: pems.cert, timeoutMs: 3000 });
    try {
      const read = readAll(client, '/users?$top=1', 'users', IdAnswer, { policy: fastPolicy });
      await expect(read).rejects.toThrow(TenantError);
      await expect(read).rejects.toThrow(/reading users \(page 2\): refused to send a request to 127\.0\.0\.1:\d+: rollcall only talks to the configured Graph address/);
      expect(graph.seen).toHaveLength(1);
      expect(graph.seen[0].authorization).toBe('Bearer contract-test');
      expect(foreign.seen).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('refuses a redirect to another host: the redirect target receives nothing', async () => {
    const foreign = await listen(() => ({ status: 200, body: { value: [] } }));
    const graph = await listen(() => ({ status: 307, headers: { location: `${foreign.url}/v1.0/users` } }));
    const client = createGraphClient({ credential: anyToken, graphUrl: graph.url, ca: pems.cert, timeoutMs: 3000 });
    try {
      await expect(readAll(client, '/users', 'users', IdAnswer, { policy: fastPolicy })).rejects.toThrow(/refused to send a request to 127\.0\.0\.1:\d+/);
      expect(foreign.seen).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('refuses a Graph address outside Microsoft\'s clouds unless the config allows custom endpoints', () => {
    expect(() => createGraphClient({ credential: anyToken, graphUrl: 'https://graph.attacker.example' })).toThrow(ConfigError);
    expect(() => createGraphClient({ credential: anyToken, graphUrl: 'https://graph.attacker.example' })).toThrow(/tenant\.graph\.graphUrl: graph\.attacker\.example is not one of Microsoft's Graph clouds/);
    expect(() => createGraphClient({ credential: anyToken, graphUrl: 'http://graph.microsoft.com' })).toThrow(/must be an https:\/\/ address/);
    const allowed = createGraphClient({ credential: anyToken, graphUrl: 'https://graph.gateway.example', allowCustomEndpoint: true });
    expect(allowed.origin).toBe('https://graph.gateway.example');
    const us = createGraphClient({ credential: anyToken, graphUrl: 'https://graph.microsoft.us' });
    expect(us.origin).toBe('https://graph.microsoft.us');
    return Promise.all([allowed.close(), us.close()]);
  });
});

describe('the credential sends no secret to an authority the config did not name', () => {
  it('refuses a sign-in authority outside Microsoft\'s clouds before asking for a token', () => {
    const cfg = { tenantId: '00000000-0000-0000-0000-000000000000', clientId: '00000000-0000-0000-0000-000000000000', auth: 'client-secret' as const, clientSecret: { env: 'ENTRA_SECRET' } };
    const ctx = { baseDir: '.', env: { ENTRA_SECRET: 'secret-value' } };
    expect(() => createCredential({ ...cfg, authorityHost: 'https://login.attacker.example' }, ctx)).toThrow(ConfigError);
    expect(() => createCredential({ ...cfg, authorityHost: 'https://login.attacker.example' }, ctx)).toThrow(/tenant\.graph\.authorityHost: login\.attacker\.example is not one of Microsoft's sign-in clouds/);
    expect(() => createCredential({ ...cfg, authorityHost: 'http://login.microsoftonline.com' }, ctx)).toThrow(/must be an https:\/\/ address/);
    for (const authorityHost of ['https://login.microsoftonline.us', 'https://127.0.0.1:9443']) {
      expect(createCredential({ ...cfg, authorityHost }, ctx).getToken).toBeTypeOf('function');
    }
    expect(createCredential({ ...cfg, authorityHost: 'https://sts.gateway.example', allowCustomEndpoints: true }, ctx).getToken).toBeTypeOf('function');
  });
});
