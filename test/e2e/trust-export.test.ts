// A trust's single export (issue 16.2): one OneRoster export with two schools feeds two school configs, each with its
// own people and classes, and a staff config that gives a teacher of both schools one account. Through the built CLI
// on the local tenant, with examples/trust copied as it is but for the tenant (a local one instead of Graph).
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-10-01';
let dir: string;

function rollcall(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StateUser { props: { employeeId?: string; userPrincipalName: string }; deletedAt?: number }
const tenantUsers = async () => (JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8')) as { users: StateUser[] }).users
  .filter((u) => u.deletedAt === undefined).map((u) => u.props);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-trust-'));
  await cp(path.join(root, 'examples/trust'), dir, { recursive: true });
  const trust = await readFile(path.join(dir, 'trust.yaml'), 'utf8');
  const local = trust.replace(/  graph:\n(?:    .*\n)+/, `  local: { state: ${JSON.stringify(path.join(dir, 'tenant.json'))} }\n`).replace('education: true', 'education: false')
    // The licence groups are the trust's own, made by hand in a real tenant; the empty local one has none.
    .replace(/^ *licenseGroups: .*\n/gm, '');
  expect(local).not.toContain('graph:');
  await writeFile(path.join(dir, 'trust.yaml'), local);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configs = { north: 'schools/north/rollcall.yaml', south: 'schools/south/rollcall.yaml', staff: 'staff/rollcall.yaml' };
const summary = (stdout: string) => (JSON.parse(stdout) as { summary: Record<string, Record<string, number>> }).summary;

describe('one export, two schools, staff once', () => {
  it('each config plans its own school: North 12 pupils, South 8, the staff config 4 teachers (t700 once)', () => {
    const north = rollcall('plan', configs.north, '--format', 'json');
    expect(north.status, north.stderr).toBe(0);
    expect(summary(north.stdout).user).toEqual({ create: 12 });
    expect(north.stderr).toContain('oneroster: 9 person(s) and 2 class(es) of other schools left out');
    const south = rollcall('plan', configs.south, '--format', 'json');
    expect(south.status, south.stderr).toBe(0);
    expect(summary(south.stdout).user).toEqual({ create: 8 });
    const staff = rollcall('plan', configs.staff, '--format', 'json');
    expect(staff.status, staff.stderr).toBe(0);
    expect(summary(staff.stdout).user).toEqual({ create: 4 });
  }, 180_000);

  it('applied in turn they give 24 accounts, one for the teacher of both schools, and plan nothing more', async () => {
    for (const c of Object.values(configs)) {
      const r = rollcall('apply', c);
      expect(r.status, r.stderr).toBe(0);
    }
    const users = await tenantUsers();
    expect(users).toHaveLength(24);
    expect(users.filter((u) => u.employeeId?.startsWith('north:s'))).toHaveLength(12);
    expect(users.filter((u) => u.employeeId?.startsWith('south:s'))).toHaveLength(8);
    expect(users.filter((u) => u.employeeId === 'trust:tt700')).toHaveLength(1);
    expect(users.filter((u) => /:tt700$/.test(u.employeeId ?? ''))).toHaveLength(1);
    for (const c of Object.values(configs)) {
      const again = rollcall('plan', c, '--format', 'json');
      expect(again.status, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { changes: unknown[] }).changes, c).toEqual([]);
    }
  }, 360_000);

  it('a school the export does not have is an error listing the orgs it has', async () => {
    await writeFile(path.join(dir, 'nowhere.yaml'), 'extends: ./trust.yaml\nschool: { name: West, key: west }\nsource: { oneroster: { schools: [West Primary] } }\ntenant: { domains: [exampletrust.org.uk, students.exampletrust.org.uk] }\n');
    const r = rollcall('plan', 'nowhere.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('rollcall: source.oneroster.schools: "West Primary" is no org id or name in orgs.csv; the export has: trust (Example Learning Trust, district), north-academy (North Academy, school), south-school (South School, school)');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
