// `rollcall emulator` (src/cli/emulator.ts). The command runs as a real process: bundled with esbuild (the CLI normally runs from dist/), started, asked for
// its URL on stdout, used, stopped with SIGTERM, and restarted on the same state file.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmulatorArgs } from '../../cli/emulator.js';
import { RawGraph, newUser } from '../../../test/support/emulator-kit.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Inside node_modules/.cache so the bundle's bare imports (selfsigned) resolve from the project's node_modules.
const outDir = path.join(root, 'node_modules/.cache/rollcall-emulator-cli-test');
const entry = path.join(outDir, 'cli.mjs');
let dir: string;

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  await build({
    stdin: {
      contents: `import { emulatorCommand } from ${JSON.stringify(path.join(root, 'src/cli/emulator.ts'))};\nprocess.exitCode = await emulatorCommand(process.argv.slice(2));`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: entry,
    logLevel: 'silent',
  });
  await copyFile(path.join(root, 'src/tenant/emulator/csdl-subset.json'), path.join(outDir, 'csdl-subset.json'));
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ child: ChildProcess; url: string; ca: string }> {
  const caFile = path.join(dir, `ca-${Math.random().toString(36).slice(2)}.pem`);
  const child = spawn(process.execPath, [entry, ...args, '--ca-out', caFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', async (d) => {
      out += d;
      const m = /^rollcall emulator listening on (https:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolve({ child, url: m[1], ca: await readFile(caFile, 'utf8') });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

describe('rollcall emulator', () => {
  it('parses its options', () => {
    expect(parseEmulatorArgs(['--state', 's.json', '--port', '8443', '--domain', 'a.test', '--domain=b.test', '--no-education', '--check-tokens', '--time-scale', '10'])).toEqual({
      statePath: 's.json',
      port: 8443,
      domains: ['a.test', 'b.test'],
      education: false,
      checkTokens: true,
      timeScale: 10,
    });
    expect(parseEmulatorArgs(['--state', 's.json', '--education']).education).toBe(true);
    expect(parseEmulatorArgs(['--state', 's', '--faults', '7:0.2:429,reset', '--replication-delay-ms', '500'])).toMatchObject({
      faults: { seed: 7, rate: 0.2, kinds: ['429', 'reset'] },
      replicationDelayMs: 500,
    });
    expect(() => parseEmulatorArgs(['--state', 's', '--faults', '7:2'])).toThrow(/RATE between 0 and 1/);
    expect(() => parseEmulatorArgs(['--state', 's', '--faults', '7:0.5:boom'])).toThrow(/unknown kind 'boom'/);
    expect(parseEmulatorArgs(['--state', 's.json']).education).toBeUndefined();
    expect(() => parseEmulatorArgs([])).toThrow(/--state FILE is required/);
    expect(() => parseEmulatorArgs(['--state', 'x', '--port', 'http'])).toThrow(/--port/);
    expect(() => parseEmulatorArgs(['--state', 'x', '--bogus'])).toThrow(/unknown option --bogus/);
    expect(parseEmulatorArgs(['--state', 's', '--permission', 'User.Read.All', '--permission=Mail.Send']).permissions).toEqual(['User.Read.All', 'Mail.Send']);
    expect(() => parseEmulatorArgs(['--state', 's', '--permission', 'User.ReadEverything'])).toThrow(/--permission: 'User.ReadEverything' is not/);
  });

  it('prints its URL, serves Graph, saves state on SIGTERM and reloads it', async () => {
    const state = path.join(dir, 'tenant.json');
    const first = await run(['--state', state, '--domain', 'cli.test', '--education']);
    const g = new RawGraph(`${first.url}/v1.0`, first.ca);
    const created = await g.post('users', newUser('cli.user', {}, 'cli.test'));
    expect(created.status).toBe(201);
    g.close();
    const done = exited(first.child);
    first.child.kill('SIGTERM');
    expect(await done).toBe(0);
    expect(JSON.parse(await readFile(state, 'utf8')).users).toHaveLength(1);

    const second = await run(['--state', state]);
    const g2 = new RawGraph(`${second.url}/v1.0`, second.ca);
    try {
      expect((await g2.get(`users/${created.body.id}`)).body.userPrincipalName).toBe('cli.user@cli.test');
      expect((await g2.get('domains')).body.value.map((d: any) => d.id)).toEqual(['cli.test']);
      // Without --education the state file's choice stands.
      expect((await g2.get('education/classes')).status).toBe(200);
      // Counts are readable from another process.
      const counts = await g2.get(`${second.url}/_emulator/counts`);
      expect(counts.body).toMatchObject({ total: 3, byKind: { 'GET users/{id}': 1, 'GET domains': 1, 'GET education/classes': 1 } });
      await g2.delete(`${second.url}/_emulator/counts`);
      expect((await g2.get(`${second.url}/_emulator/counts`)).body.total).toBe(0);
    } finally {
      g2.close();
      const done2 = exited(second.child);
      second.child.kill('SIGTERM');
      await done2;
    }
  });
});
