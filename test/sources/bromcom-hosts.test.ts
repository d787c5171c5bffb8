// The Bromcom credentials travel in every request body: they go to the configured address and nowhere else.
// The real SOAP client against plain loopback listeners; the foreign one records what reaches it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, SourceError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { BromcomClient } from '../../src/sources/bromcom/client.js';

const servers: Server[] = [];
async function listen(handler: (body: string) => { status: number; headers?: Record<string, string> }): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      bodies.push(body);
      const a = handler(body);
      res.writeHead(a.status, a.headers);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/TPReadOnlyDataService.asmx`, bodies };
}
afterAll(async () => { for (const s of servers) await new Promise((r) => s.close(r)); });

const options = (url: string) => ({
  url, schoolId: 12, username: 'mis-user', password: 'mis-password-1042', secretNames: { username: 'MIS_USER', password: 'MIS_PASSWORD' },
  timeoutMs: 3000, retries: 0, retryDelayMs: 1, log: silentLogger,
});

describe('Bromcom client', () => {
  it('does not follow a redirect: the credentials never reach the Location', async () => {
    const foreign = await listen(() => ({ status: 200 }));
    const mis = await listen(() => ({ status: 307, headers: { location: foreign.url } }));
    const client = await BromcomClient.connect(options(mis.url));
    const err = await client.findEntities().then(() => undefined, (e: unknown) => e);
    expect(mis.bodies).toHaveLength(1);
    expect(mis.bodies[0]).toContain('mis-password-1042');
    expect(foreign.bodies).toEqual([]);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/Bromcom answered findEntitiesBySchoolID with HTTP 307/);
  });

  it('refuses plain http to another machine before sending anything', async () => {
    await expect(BromcomClient.connect(options('http://mis.attacker.example/x.asmx'))).rejects.toThrow(ConfigError);
    await expect(BromcomClient.connect(options('http://mis.attacker.example/x.asmx'))).rejects.toThrow(/source\.bromcom\.url: must be an https:\/\/ address/);
  });
});
