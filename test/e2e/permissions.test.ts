// Application permissions end to end, through the built CLI, on the local tenant with `tenant.local.permissions`:
// a refused write names the permission to grant; `rollcall check` says what the configuration needs and lacks.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';
import { ROLLCALL_PERMISSIONS } from '../../src/tenant/permissions.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function csvRows(file: string) {
  const [header, ...rows] = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => l.split(','));
  return { header, rows, col: (name: string) => header.indexOf(name) };
}

async function dropRows(file: string, column: string, ids: Set<string>): Promise<void> {
  const { header, rows, col } = await csvRows(file);
  await writeFile(file, [header, ...rows.filter((r) => !ids.has(r[col(column)]))].map((r) => r.join(',')).join('\n') + '\n');
}

/** The quickstart configuration over a small synthetic school, granting `permissions` when given. */
async function school(permissions?: readonly string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-perms-'));
  await writeSchool(generateSchool({ seed: 11, students: 30, asOf: AS_OF }), 'csv', path.join(dir, 'mis'));
  await writeFile(path.join(dir, 'rollcall.yaml'), withPermissions(await readFile(path.join(root, 'examples/quickstart/rollcall.yaml'), 'utf8'), permissions));
  return dir;
}

function withPermissions(config: string, permissions?: readonly string[]): string {
  const local = 'local: { state: .rollcall/tenant.json }';
  expect(config).toContain(local);
  return permissions ? config.replace(local, `local: { state: .rollcall/tenant.json, permissions: [${permissions.join(', ')}] }`) : config;
}

const withoutLifecycleWrite = [...ROLLCALL_PERMISSIONS.filter((p) => p !== 'User-LifeCycleInfo.ReadWrite.All'), 'User-LifeCycleInfo.Read.All'];

describe('a refused write', () => {
  it("names the permission to grant: a leaver's update without User-LifeCycleInfo.ReadWrite.All", async () => {
    const dir = await school();
    expect(rollcall(dir, 'apply', '--as-of', AS_OF).status).toBe(0);

    // One pupil leaves; the app registration can read the leave date but not write it.
    const students = await csvRows(path.join(dir, 'mis/students.csv'));
    const pupil = students.rows[0][students.col('id')];
    await dropRows(path.join(dir, 'mis/students.csv'), 'id', new Set([pupil]));
    await dropRows(path.join(dir, 'mis/memberships.csv'), 'person', new Set([`student:${pupil}`]));
    const config = path.join(dir, 'rollcall.yaml');
    await writeFile(config, withPermissions(await readFile(config, 'utf8'), withoutLifecycleWrite));

    const plan = JSON.parse(rollcall(dir, 'plan', '--as-of', AS_OF, '--format', 'json').stdout) as { changes: { kind: string; action: string; after?: Record<string, unknown> }[] };
    expect(plan.changes.filter((c) => c.kind === 'user')).toEqual([expect.objectContaining({ action: 'update', after: { employeeLeaveDateTime: expect.any(String) } })]);

    const apply = rollcall(dir, 'apply', '--as-of', AS_OF);
    expect(apply.status).toBe(1);
    expect(apply.stderr).toMatch(/403 Authorization_RequestDenied/);
    expect(apply.stderr).toMatch(/rollcall: 1 change\(s\) not applied: Microsoft Graph refused it \(403 Authorization_RequestDenied\): rollcall's app registration lacks the application permission User-LifeCycleInfo\.ReadWrite\.All \(for employeeLeaveDateTime \(write\)\)\./);
    // Only what the token lacks is named: it does have User.ReadWrite.All.
    expect(apply.stderr).not.toMatch(/lacks[^\n]*User\.ReadWrite\.All/);
    expect(apply.stderr).not.toMatch(/\n\s+at /);
    const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: { props: { employeeLeaveDateTime?: string } }[] };
    expect(state.users.filter((u) => u.props.employeeLeaveDateTime)).toEqual([]);

    // Granted, the same apply goes through.
    await writeFile(config, withPermissions((await readFile(config, 'utf8')).replace(/, permissions: \[[^\]]*\]/, ''), undefined));
    expect(rollcall(dir, 'apply', '--as-of', AS_OF).status).toBe(0);
  }, 180_000);

  it('names the read permission when a read is refused', async () => {
    const dir = await school(ROLLCALL_PERMISSIONS.filter((p) => p !== 'User-LifeCycleInfo.ReadWrite.All'));
    const plan = rollcall(dir, 'plan', '--as-of', AS_OF);
    expect(plan.status).toBe(1);
    expect(plan.stderr).toMatch(/rollcall: reading users \(page 1\): Microsoft Graph refused it \(403 Authorization_RequestDenied\): rollcall's app registration lacks the application permission User-LifeCycleInfo\.Read\.All \(for employeeLeaveDateTime \(read\)\)/);
  }, 120_000);
});
