// tenant.local: openTenant starts the emulator in-process with its state file and talks to it through the same
// Graph client code as a real tenant.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { openTenant, type TenantConfig } from '../../src/tenant/index.js';
import { userBody } from './harness.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'rollcall-local-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('openTenant with tenant.local', () => {
  it('keeps the tenant in the state file (relative to the config) across runs', async () => {
    const cfg: TenantConfig = { local: { state: 'state/tenant.json' }, domains: ['school.test'], education: true };
    const log = memoryLogger();
    const first = await openTenant(cfg, { baseDir: dir, log });
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const [r] = await first.writer.execute([{ op: 'user.create', key: 'u', body: userBody(1) }]);
    expect(r.status).toBe('done');
    // A domain outside tenant.domains is refused by the emulator, as Graph refuses an unverified domain.
    const [bad] = await first.writer.execute([{ op: 'user.create', key: 'x', body: userBody(2, { userPrincipalName: 's2@other.test' }) }]);
    expect(bad).toMatchObject({ status: 'failed', error: { status: 400 } });
    expect(first.requestCount()).toBeGreaterThan(0);
    await first.close();

    const saved = JSON.parse(await readFile(path.join(dir, 'state/tenant.json'), 'utf8'));
    expect(saved.users.map((u: { props: { userPrincipalName: string } }) => u.props.userPrincipalName)).toEqual(['s1@school.test']);

    const second = await openTenant(cfg, { baseDir: dir, log });
    const snap = await second.reader.read({ education: true });
    expect(snap.users.map((u) => [u.id, u.employeeId])).toEqual([[r.id, 'bts:s1']]);
    expect(snap.domains).toEqual(['school.test']);
    await second.close();
    expect(log.lines.join('\n')).not.toMatch(/Passw0rd|Student 1/);
  });

  it('needs either graph or local, and at least one domain', async () => {
    await expect(openTenant({ domains: ['a.test'] }, { baseDir: dir, log: memoryLogger() })).rejects.toBeInstanceOf(ConfigError);
    await expect(openTenant({ local: { state: 'x.json' }, domains: [] }, { baseDir: dir, log: memoryLogger() })).rejects.toBeInstanceOf(ConfigError);
  });
});
