// Warm reads from the CLI: `rollcall plan` and `apply` keep the tenant's users and groups with Graph's delta links in
// .rollcall/delta-state.json beside the config and read only the changes next time; `--full-read` ignores the state.
// The tenant is the Graph emulator in its own process, reached as a real tenant is (tenant.graph, client secret,
// HTTPS trusted through NODE_EXTRA_CA_CERTS). A warm plan must be the plan a full read gives: the same checksum.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawGraph } from '../support/emulator-kit.js';
import { startEmulatorProcess } from '../support/emulator-process.js';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/rollcall.js');
const AS_OF = '2026-03-02';

let dir: string;
let emulator: ChildProcess;
let url: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-warm-'));
  await writeSchool(generateSchool({ seed: 5, students: 120, asOf: AS_OF }), 'oneroster', path.join(dir, 'mis'));
  ({ child: emulator, url } = await startEmulatorProcess({ state: path.join(dir, 'tenant.json'), ca: path.join(dir, 'ca.pem'), domains: ['warm.example', 'students.warm.example'] }));
  await writeFile(path.join(dir, 'rollcall.yaml'), `version: 1
school: { name: Warm School, key: ws }
source: { oneroster: { dir: ./mis } }
tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-0000000000cc
    clientId: 11111111-1111-1111-1111-1111111111dd
    auth: client-secret
    clientSecret: { env: ROLLCALL_TEST_SECRET }
    authorityHost: ${url}
    graphUrl: ${url}
  domains: [warm.example, students.warm.example]
users:
  students:
    userPrincipalName: "{first}{last:1}@students.warm.example"
    securityGroups: ["All Students", "Year {yearGroup}"]
  staff:
    userPrincipalName: "{first:1}{last}@warm.example"
`);
  env = { ...process.env, CI: 'true', NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'), ROLLCALL_TEST_SECRET: 'not-a-real-secret' };
}, 60_000);

afterAll(() => { emulator?.kill('SIGTERM'); });

const rollcall = (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--as-of', AS_OF], { cwd: dir, env, encoding: 'utf8' });
const checksum = (r: ReturnType<typeof rollcall>) => (JSON.parse(r.stdout) as { checksum: string }).checksum;

describe('rollcall plan and apply keep a delta state beside the config', () => {
  it('reads in full once, then warm, and a warm plan is the full read\'s plan', async () => {
    const applied = rollcall('apply', '--yes');
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/users read in full \(no delta state kept yet\)/);
    const file = path.join(dir, '.rollcall', 'delta-state.json');
    // Personal data: the owner's only.
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // Someone changes the tenant by hand between runs: a pupil's account disabled, another deleted.
    const g = new RawGraph(`${url}/v1.0`, await readFile(path.join(dir, 'ca.pem'), 'utf8'));
    try {
      const users = (await g.get(`users?$select=id,userPrincipalName&$top=999`)).body.value as { id: string; userPrincipalName: string }[];
      const pupils = users.filter((u) => u.userPrincipalName.endsWith('@students.warm.example'));
      expect((await g.patch(`users/${pupils[0]!.id}`, { accountEnabled: false })).status).toBe(204);
      expect((await g.delete(`users/${pupils[1]!.id}`)).status).toBe(204);
    } finally {
      g.close();
    }

    const warm = rollcall('plan', '--format', 'json', '--detailed-exitcode');
    expect(warm.status, warm.stderr).toBe(2);
    expect(warm.stderr).toMatch(/users read warm/);
    expect(warm.stderr).toMatch(/groups read warm/);
    const full = rollcall('plan', '--format', 'json', '--full-read');
    expect(full.status, full.stderr).toBe(0);
    expect(full.stderr).toMatch(/users read in full \(a full read was asked for\)/);
    expect(checksum(warm)).toBe(checksum(full));

    // A damaged state is a warning and a full read, never a failed run.
    await writeFile(file, '{"format":"rollcall-delta-state"');
    const damaged = rollcall('plan', '--format', 'json');
    expect(damaged.status, damaged.stderr).toBe(0);
    expect(damaged.stderr).toMatch(/delta state in .*delta-state\.json was not used: not a complete JSON document/);
    expect(checksum(damaged)).toBe(checksum(full));
  }, 120_000);
});
