// An apply killed halfway (a runner cancelled, a laptop closed) and run again converges with no duplicate account.
// The tenant is the Graph emulator in its own process, reached as a real tenant would be: tenant.graph with a client
// secret against the emulator's token endpoint, over HTTPS trusted through NODE_EXTRA_CA_CERTS.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-kill-'));
  await writeSchool(generateSchool({ seed: 11, students: 150, asOf: AS_OF }), 'oneroster', path.join(dir, 'mis'));
  ({ child: emulator, url } = await startEmulatorProcess({ state: path.join(dir, 'tenant.json'), ca: path.join(dir, 'ca.pem'), domains: ['kill.example', 'students.kill.example'] }));
  await writeFile(path.join(dir, 'rollcall.yaml'), `version: 1
school: { name: Interrupted School, key: ks }
source: { oneroster: { dir: ./mis } }
tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-0000000000aa
    clientId: 11111111-1111-1111-1111-1111111111bb
    auth: client-secret
    clientSecret: { env: ROLLCALL_TEST_SECRET }
    authorityHost: ${url}
    graphUrl: ${url}
  domains: [kill.example, students.kill.example]
users:
  students:
    userPrincipalName: "{first}{last:1}@students.kill.example"
    securityGroups: ["All Students", "Year {yearGroup}"]
  staff:
    userPrincipalName: "{first:1}{last}@kill.example"
`);
  env = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'), ROLLCALL_TEST_SECRET: 'not-a-real-secret' };
}, 60_000);

afterAll(() => { emulator?.kill('SIGTERM'); });

const rollcall = (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--as-of', AS_OF], { cwd: dir, env, encoding: 'utf8' });

/** Starts an apply and kills it (SIGKILL: no clean-up at all) once it has reported `fraction` of its work. */
function applyKilledAt(fraction: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'apply', '--as-of', AS_OF], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      const m = /apply: ([\d,]+)\/([\d,]+)/g;
      let last: RegExpExecArray | null = null;
      for (let x = m.exec(log); x; x = m.exec(log)) last = x;
      if (last && Number(last[1].replace(/,/g, '')) >= fraction * Number(last[2].replace(/,/g, ''))) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve(log));
  });
}

async function accounts(): Promise<{ userPrincipalName: string; employeeId?: string }[]> {
  const token = 'any';
  const out: { userPrincipalName: string; employeeId?: string }[] = [];
  let next: string | undefined = `${url}/v1.0/users?$select=userPrincipalName,employeeId&$top=999`;
  while (next) {
    // The test process trusts the emulator through the same CA file as the CLI.
    const r = spawnSync(process.execPath, ['-e', `fetch(${JSON.stringify(next)}, { headers: { authorization: 'Bearer ${token}' } }).then(r => r.text()).then(t => process.stdout.write(t))`], { env, encoding: 'utf8' });
    const page = JSON.parse(r.stdout) as { value: { userPrincipalName: string; employeeId?: string }[]; '@odata.nextLink'?: string };
    out.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return out;
}

describe('an apply killed halfway', () => {
  it('converges on the next run with no duplicate accounts', async () => {
    const first = rollcall('plan', '--format', 'json');
    expect(first.status).toBe(0);
    const creates = (JSON.parse(first.stdout) as { changes: { kind: string; action: string }[] }).changes.filter((c) => c.kind === 'user' && c.action === 'create').length;
    expect(creates).toBeGreaterThan(150);

    const log = await applyKilledAt(0.3);
    expect(log).toMatch(/apply: /);
    expect(log).not.toMatch(/apply: \d+ done/); // it really died before finishing
    const partial = await accounts();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(creates);

    const again = rollcall('apply');
    expect(again.stderr).toContain(' 0 failed');
    expect(again.status).toBe(0);

    const all = await accounts();
    const anchors = all.map((a) => a.employeeId).filter((a): a is string => !!a?.startsWith('ks:'));
    expect(anchors).toHaveLength(creates);
    expect(new Set(anchors).size).toBe(anchors.length);
    const plan = rollcall('plan', '--detailed-exitcode');
    expect(plan.stdout).toContain('no changes');
    expect(plan.status).toBe(0);
  }, 240_000);
});
