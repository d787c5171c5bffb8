// The real @azure/identity credential classes, built by rollcall's createCredential, fetching tokens from the
// emulator's token endpoint (authorityHost + disableInstanceDiscovery) and using them on a tenant that refuses
// any token it did not issue (checkTokens).
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, TenantError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { createCredential, GITHUB_OIDC_AUDIENCE, type GraphAuthConfig } from '../../src/tenant/auth/credential.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient } from '../../src/tenant/graph/client.js';
import { tenantOverGraph } from '../../src/tenant/index.js';
import type { TokenCredential } from '@azure/identity';
import { DOMAIN, anyToken } from './harness.js';

const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN], education: false, checkTokens: true });
  emu.state.addUser({ userPrincipalName: `someone@${DOMAIN}`, employeeId: 'bts:s1' });
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-auth-'));
});
afterAll(async () => { await emu.stop(); await rm(dir, { recursive: true, force: true }); });

const cfg = (auth: GraphAuthConfig['auth'], extra: Partial<GraphAuthConfig> = {}): GraphAuthConfig =>
  ({ tenantId: TENANT_ID, clientId: CLIENT_ID, auth, authorityHost: emu.url, ...extra });

/** Reads the tenant through the real client with this credential: only an emulator-issued token passes. */
async function readWith(credential: TokenCredential) {
  const graph = createGraphClient({ credential, graphUrl: emu.url, ca: emu.ca, timeoutMs: 5000 });
  const t = tenantOverGraph(graph, { domains: [DOMAIN], education: false, log: memoryLogger(), retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  try { return await t.reader.read({ education: false }); } finally { await t.close(); }
}

function appIdOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).appid;
}

describe('credentials against the emulator token endpoint', () => {
  it('client-secret: ClientSecretCredential with the secret from the named environment variable', async () => {
    const credential = createCredential(cfg('client-secret', { clientSecret: { env: 'RC_TEST_SECRET' } }), { baseDir: dir, env: { RC_TEST_SECRET: 'not-a-real-secret' }, ca: emu.ca });
    const token = await credential.getToken('https://graph.microsoft.com/.default');
    expect(appIdOf(token!.token)).toBe(CLIENT_ID);
    const snap = await readWith(credential);
    expect(snap.users.map((u) => u.userPrincipalName)).toEqual([`someone@${DOMAIN}`]);
  });

  it('client-secret: a missing variable is a ConfigError naming it, raised before any request', () => {
    expect(() => createCredential(cfg('client-secret', { clientSecret: { env: 'RC_TEST_UNSET' } }), { baseDir: dir, env: {} }))
      .toThrow(/RC_TEST_UNSET/);
    expect(() => createCredential(cfg('client-secret'), { baseDir: dir, env: {} })).toThrow(ConfigError);
  });

  it('certificate: ClientCertificateCredential signs a client assertion with the PEM at certificatePath (relative to the config)', async () => {
    const pems = await generate([{ name: 'commonName', value: 'rollcall-test-app' }], { keySize: 2048, algorithm: 'sha256' });
    await writeFile(path.join(dir, 'app.pem'), `${pems.private}\n${pems.cert}`);
    const credential = createCredential(cfg('certificate', { certificatePath: 'app.pem' }), { baseDir: dir, ca: emu.ca });
    const token = await credential.getToken('https://graph.microsoft.com/.default');
    expect(appIdOf(token!.token)).toBe(CLIENT_ID);
    expect((await readWith(credential)).users).toHaveLength(1);
  });

  describe('github-oidc', () => {
    let oidc: Server;
    const seen: { url?: string; auth?: string }[] = [];
    const saved = { url: process.env.ACTIONS_ID_TOKEN_REQUEST_URL, token: process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN };
    beforeAll(async () => {
      // Stands in for the Actions runtime's ID-token service that @actions/core's getIDToken calls.
      oidc = createServer((req, res) => {
        seen.push({ url: req.url, auth: req.headers.authorization });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ value: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJyZXBvOm9yZy9yZXBvOnJlZjpyZWZzL2hlYWRzL21haW4ifQ.' }));
      });
      await new Promise<void>((r) => oidc.listen(0, '127.0.0.1', () => r()));
      process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `http://127.0.0.1:${(oidc.address() as AddressInfo).port}/idtoken?api-version=2.0`;
      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'runtime-request-token';
    });
    afterAll(async () => {
      for (const [k, v] of [['ACTIONS_ID_TOKEN_REQUEST_URL', saved.url], ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', saved.token]] as const) {
        if (v === undefined) delete process.env[k]; else process.env[k] = v;
      }
      await new Promise((r) => oidc.close(r));
    });

    it('ClientAssertionCredential with core.getIDToken("api://AzureADTokenExchange") as the assertion', async () => {
      const credential = createCredential(cfg('github-oidc'), { baseDir: dir, env: process.env, ca: emu.ca });
      const token = await credential.getToken('https://graph.microsoft.com/.default');
      expect(appIdOf(token!.token)).toBe(CLIENT_ID);
      expect(seen.length).toBeGreaterThan(0);
      // @actions/core encodes the audience once more than needed; the runtime service decodes it.
      const audience = new URL(seen[0].url!, 'http://x').searchParams.get('audience')!;
      expect([audience, decodeURIComponent(audience)]).toContain(GITHUB_OIDC_AUDIENCE);
      expect(seen[0].auth).toBe('Bearer runtime-request-token');
      expect((await readWith(credential)).users).toHaveLength(1);
    });

    it('without id-token permission it says what to add', async () => {
      const credential = createCredential(cfg('github-oidc'), { baseDir: dir, env: {}, ca: emu.ca });
      await expect(credential.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/id-token: write/);
    });
  });

  describe('azure-default', () => {
    const keys = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TOKEN_CREDENTIALS'] as const;
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    afterEach(() => { for (const k of keys) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; } });

    it('DefaultAzureCredential picks up the environment credential (chain limited so nothing leaves loopback)', async () => {
      Object.assign(process.env, { AZURE_TENANT_ID: TENANT_ID, AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: 'not-a-real-secret', AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential' });
      const credential = createCredential(cfg('azure-default'), { baseDir: dir, ca: emu.ca });
      const token = await credential.getToken('https://graph.microsoft.com/.default');
      expect(appIdOf(token!.token)).toBe(CLIENT_ID);
    });
  });

  it('a token the tenant did not issue is refused: the read fails with 401, it does not come back empty', async () => {
    const err = await readWith(anyToken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantError);
    expect((err as TenantError).graph?.status).toBe(401);
  });
});
