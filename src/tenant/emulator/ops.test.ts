// Throttling, faults, tokens and persistence: the operational side of the emulator.
import { ClientSecretCredential } from '@azure/identity';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './index.js';
import { RawGraph, newUser } from '../../../test/support/emulator-kit.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running: { emu: RunningEmulator; g: RawGraph }[] = [];
async function start(opts: EmulatorOptions = {}, token?: string) {
  const emu = await startEmulator(opts);
  const g = new RawGraph(`${emu.url}/v1.0`, emu.ca, token);
  running.push({ emu, g });
  return { emu, g };
}
afterAll(async () => {
  for (const { emu, g } of running) {
    g.close();
    await emu.stop();
  }
});

describe('throttling', () => {
  it('answers 429 with Retry-After once the write quota is used, scaled by timeScale, and refills', async () => {
    const { emu, g } = await start({ throttle: { timeScale: 50, limits: { writesPer150s: 10, writesPerSecond: 1000 } } });
    const u = emu.state.addUser({ userPrincipalName: 'w@rollcall.test' });
    const statuses: number[] = [];
    let limited: any;
    for (let i = 0; i < 12; i++) {
      const r = await g.patch(`users/${u.id}`, { jobTitle: `t${i}` });
      statuses.push(r.status);
      if (r.status === 429) limited ??= r;
      else expect(r.headers['x-ms-resource-unit']).toBe('1');
    }
    expect(statuses.slice(0, 10).every((s) => s === 204)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(limited.body).toEqual({ error: { code: 'TooManyRequests', message: 'Please retry again later.', innerError: expect.any(Object) } });
    // 150 s of quota window at timeScale 50 is at most 3 real seconds, sent as fractional seconds.
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(limited.headers['retry-after']).toMatch(/^\d+\.\d+$/);
    expect(limited.headers['x-ms-throttle-information']).toBe('WriteLimitExceeded');
    expect(limited.headers['x-ms-throttle-scope']).toMatch(/^Tenant_Application\/Write\//);
    expect(emu.counts().throttled).toBe(2);
    await sleep(Number(limited.headers['x-ms-retry-after-ms']) + 20);
    expect((await g.patch(`users/${u.id}`, { jobTitle: 'after' })).status).toBe(204);
  });

  it('throttles inner $batch requests on their own: 429s inside a 200', async () => {
    const { emu, g } = await start({ throttle: { timeScale: 1, limits: { writesPerSecond: 5 } } });
    const u = emu.state.addUser({ userPrincipalName: 'bw@rollcall.test' });
    const requests = Array.from({ length: 8 }, (_, i) => ({ id: String(i), method: 'PATCH', url: `/users/${u.id}`, headers: { 'Content-Type': 'application/json' }, body: { jobTitle: `j${i}` } }));
    const r = await g.post('$batch', { requests });
    expect(r.status).toBe(200);
    const statuses = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x.status]));
    expect(Object.values(statuses).filter((s) => s === 204)).toHaveLength(5);
    const inner = r.body.responses.find((x: any) => x.status === 429);
    expect(inner.headers['Retry-After']).toBe('1');
    expect(inner.body.error.code).toBe('TooManyRequests');
  });

  it('limits Outlook to 4 concurrent requests per mailbox, in $batch and across connections', async () => {
    // Each request is held 600 ms, so six sent at once overlap even on a loaded machine (at 150 ms a busy CI host
    // could let one finish before the last arrived, and the count of refusals would depend on the load).
    const { emu, g } = await start({ throttle: { timeScale: 1 }, faults: { seed: 1, rate: 0, latencyMs: [600, 600] } });
    const u = emu.state.addUser({ userPrincipalName: 'busy@rollcall.test' });
    const get = (id: string, dependsOn?: string[]) => ({ id, method: 'GET', url: `/users/${u.id}/events`, ...(dependsOn ? { dependsOn } : {}) });
    const parallel = await g.post('$batch', { requests: ['1', '2', '3', '4', '5', '6'].map((id) => get(id)) });
    const refused = parallel.body.responses.filter((r: any) => r.status === 429);
    expect(refused).toHaveLength(2);
    expect(refused[0].body.error).toMatchObject({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    const chained = await g.post('$batch', { requests: ['1', '2', '3', '4', '5', '6'].map((id, i) => get(id, i ? [String(i)] : undefined)) });
    expect(chained.body.responses.every((r: any) => r.status === 200)).toBe(true);
    const at = await Promise.all(Array.from({ length: 6 }, () => g.get(`users/${u.id}/events`)));
    expect(at.filter((r) => r.status === 429)).toHaveLength(2);
    expect(emu.counts().throttled).toBe(4);
  });

  it('charges resource units as Graph does: GET users 2, with $select 1', async () => {
    const { g } = await start({ throttle: { timeScale: 1 } });
    expect((await g.get('users')).headers['x-ms-resource-unit']).toBe('2');
    expect((await g.get('users?$select=id')).headers['x-ms-resource-unit']).toBe('1');
  });
});

describe('faults', () => {
  async function statuses(seed: number): Promise<number[]> {
    const { g } = await start({ faults: { seed, rate: 0.4, kinds: ['429', '429-no-retry-after', '503'] } });
    const out: number[] = [];
    for (let i = 0; i < 25; i++) out.push((await g.get('domains')).status);
    return out;
  }

  it('are seeded and reproducible', async () => {
    const a = await statuses(7);
    const b = await statuses(7);
    const c = await statuses(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter((s) => s !== 200).length).toBeGreaterThan(3);
    expect(new Set(a)).toEqual(new Set([200, 429, 503]));
  });

  it('resets and times out connections, sometimes after the write was made', async () => {
    const { emu, g } = await start({ faults: { seed: 3, rate: 0.5, kinds: ['reset', 'timeout'] } });
    let ok = 0;
    let failed = 0;
    for (let i = 0; i < 16; i++) {
      try {
        const r = await g.call('POST', 'users', newUser(`f${i}`), {}, { timeoutMs: 600 });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        ok++;
      } catch (e) {
        expect(String(e) + String((e as Error).cause ?? '')).toMatch(/fetch failed|ECONNRESET|socket|other side closed|aborted|timeout/i);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(0);
    expect(emu.counts().faults).toBe(failed);
    // Faults after the handler leave users the client never heard about: a retrying writer must adopt them.
    expect(emu.state.users.size).toBeGreaterThan(ok);
    expect(emu.state.users.size).toBeLessThan(16);
  });

  it('answers a held (timeout) request with 504 when the client waits long enough', async () => {
    const { g } = await start({ faults: { seed: 5, rate: 1, kinds: ['timeout'], timeoutMs: 100 } });
    const r = await g.get('domains');
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe('GatewayTimeout');
  });

  it('adds seeded latency', async () => {
    const { g } = await start({ faults: { seed: 1, rate: 0, latencyMs: [60, 80] } });
    const t = Date.now();
    await g.get('domains');
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
  });
});

describe('tokens', () => {
  it('issues client-credentials tokens and refuses Graph calls without one when checking', async () => {
    const { emu, g } = await start({ checkTokens: true });
    const anon = await g.get('users');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('InvalidAuthenticationToken');
    const tenant = emu.state.tenantId;
    const form = (p: Record<string, string>) => new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app-1', scope: 'https://graph.microsoft.com/.default', ...p }).toString();
    const tok = await g.call('POST', `${emu.url}/${tenant}/oauth2/v2.0/token`, form({ client_secret: 's3cret' }), { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(tok.status).toBe(200);
    expect(tok.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number), access_token: expect.any(String) });
    const authed = new RawGraph(`${emu.url}/v1.0`, emu.ca, tok.body.access_token);
    try {
      expect((await authed.get('users')).status).toBe(200);
    } finally {
      authed.close();
    }
    const viaAssertion = await g.call('POST', `${emu.url}/${tenant}/oauth2/v2.0/token`, form({ client_assertion: 'eyJ.x.y', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' }), { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(viaAssertion.status).toBe(200);
    const noCred = await g.call('POST', `${emu.url}/${tenant}/oauth2/v2.0/token`, form({}), { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(noCred.status).toBe(401);
    const oidc = await g.get(`${emu.url}/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(oidc.body.token_endpoint).toBe(`${emu.url}/${tenant}/oauth2/v2.0/token`);
  });

  it('works with @azure/identity ClientSecretCredential pointed at the emulator', async () => {
    const { emu } = await start({ checkTokens: true });
    const cred = new ClientSecretCredential(emu.state.tenantId, '11111111-2222-3333-4444-555555555555', 'secret', {
      authorityHost: emu.url,
      disableInstanceDiscovery: true,
      // core-rest-pipeline's TLS settings: trust exactly the emulator's certificate.
      tlsOptions: { ca: emu.ca },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]);
    const token = await cred.getToken('https://graph.microsoft.com/.default');
    const g = new RawGraph(`${emu.url}/v1.0`, emu.ca, token.token);
    try {
      expect((await g.get('users')).status).toBe(200);
    } finally {
      g.close();
    }
  });
});

describe('persistence', () => {
  it('saves state atomically and reloads it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rollcall-emu-'));
    try {
      const file = path.join(dir, 'tenant.json');
      const first = await startEmulator({ statePath: file, domains: ['school.test'] });
      const g = new RawGraph(`${first.url}/v1.0`, first.ca);
      const u = await g.post('users', newUser('kept', { employeeId: 'k1' }, 'school.test'));
      const grp = await g.post('groups', { displayName: 'Kept', mailEnabled: false, mailNickname: 'rc-kept', securityEnabled: true, 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${u.body.id}`] });
      g.close();
      await first.stop();
      const saved = JSON.parse(await readFile(file, 'utf8'));
      expect(saved.version).toBe(1);
      expect(JSON.stringify(saved)).not.toContain('Xy7!correct-Horse'); // passwords are never stored
      const second = await startEmulator({ statePath: file });
      const g2 = new RawGraph(`${second.url}/v1.0`, second.ca);
      try {
        expect(second.state.domains).toEqual(['school.test']);
        expect((await g2.get(`users/${u.body.id}?$select=employeeId`)).body.employeeId).toBe('k1');
        expect((await g2.get(`groups/${grp.body.id}/members?$select=id`)).body.value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: u.body.id }]);
        // Debounced saves happen without stop() too.
        await g2.patch(`users/${u.body.id}`, { jobTitle: 'Head' });
        await sleep(700);
        expect(JSON.parse(await readFile(file, 'utf8')).users[0].props.jobTitle).toBe('Head');
      } finally {
        g2.close();
        await second.stop();
      }
      // Readers never see half a document while saves keep coming.
      const third = await startEmulator({ statePath: file });
      const g3 = new RawGraph(`${third.url}/v1.0`, third.ca);
      try {
        let reads = 0;
        const writing = (async () => {
          for (let i = 0; i < 60; i++) await g3.patch(`users/${u.body.id}`, { jobTitle: `t${i}` });
        })();
        let done = false;
        void writing.then(() => (done = true));
        while (!done) {
          const users = JSON.parse(await readFile(file, 'utf8')).users;
          expect(users).toHaveLength(1);
          reads++;
          await sleep(5);
        }
        await writing;
        expect(reads).toBeGreaterThan(5);
      } finally {
        g3.close();
        await third.stop();
      }
      expect(JSON.parse(await readFile(file, 'utf8')).users[0].props.jobTitle).toBe('t59');

      await writeFile(file, '{"not":"state"}');
      await expect(startEmulator({ statePath: file })).rejects.toThrow(/not a rollcall emulator state file/);
      await writeFile(file, '{"version":1,"users":[{"id":"x"}]}');
      await expect(startEmulator({ statePath: file })).rejects.toThrow(/users\[0\] needs a string id and a props object/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
