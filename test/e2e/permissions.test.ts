// Application permissions end to end, through the built CLI, on the local tenant with `tenant.local.permissions`:
// a refused write names the permission to grant; `rollcall check` says what the configuration needs and lacks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS } from '../emulators/bromcom/index.js';
import { generateSchool, writeSchool } from '../support/synth/index.js';
import { ROLLCALL_PERMISSIONS } from '../../src/tenant/permissions.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Without blocking this process: the Bromcom emulator it runs must answer the CLI meanwhile. */
function rollcallWith(env: NodeJS.ProcessEnv, cwd: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
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

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

describe('rollcall check', () => {
  it('passes against the local tenant with the permissions rollcall needs, touching nothing', async () => {
    const dir = await school();
    const r = rollcall(dir, 'check', '--as-of', AS_OF);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Microsoft Graph (the local tenant): signed in; the token grants User.ReadWrite.All, User-LifeCycleInfo.ReadWrite.All');
    expect(r.stdout).toMatch(/ok {7}User-LifeCycleInfo\.ReadWrite\.All {2}\([^)]*recording leavers' leave date \(employeeLeaveDateTime\)/);
    expect(r.stdout).toMatch(/ok {7}Calendars\.ReadWrite/);
    expect(r.stdout).toMatch(/source \(csv\)\n {2}ok {7}30 students, \d+ staff/);
    expect(r.stdout).toContain('Nothing is missing.');
    expect(r.stdout).not.toContain('MISSING');
    const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: unknown[]; groups: unknown[] };
    expect(state.users).toEqual([]);
    expect(state.groups).toEqual([]);
  }, 120_000);

  it('names each permission the token lacks, for the feature that needs it, and exits 1', async () => {
    const dir = await school(['User.ReadWrite.All', 'Group.ReadWrite.All', 'EduRoster.ReadWrite.All', 'Team.ReadBasic.All']);
    const r = rollcall(dir, 'check', '--as-of', AS_OF);
    expect(r.status).toBe(1);
    // Reading the leave date is covered by the write permission, so it is named once, with both reasons.
    expect(r.stdout).toMatch(/MISSING {2}User-LifeCycleInfo\.ReadWrite\.All {2}\(recording leavers' leave date \(employeeLeaveDateTime\); reading accounts, leave dates included\)/);
    expect(r.stdout).not.toMatch(/User-LifeCycleInfo\.Read\.All/);
    expect(r.stdout).toMatch(/MISSING {2}Calendars\.ReadWrite {2}\([^)]*calendar/);
    expect(r.stdout).toMatch(/ok {7}User\.ReadWrite\.All/);
    expect(r.stdout).not.toMatch(/Mail\.Send/); // no report.summaryTo in this configuration
    expect(r.stdout).toMatch(/2 thing\(s\) missing:\n {2}grant the application permission\(s\) User-LifeCycleInfo\.ReadWrite\.All, Calendars\.ReadWrite to the app registration/);
  }, 120_000);

  it('checks each Bromcom entity the configuration needs with no rows, naming one the user may not read', async () => {
    const bromcom = await startTestEmulator({ students: 12, staff: 4, seed: 3, asOf: AS_OF });
    stops.push(() => bromcom.close());
    const dir = await school();
    const config = path.join(dir, 'rollcall.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('csv: { dir: ./mis }', `bromcom: ${JSON.stringify(bromcomSource(bromcom.url, { timeoutSeconds: 10, retries: 0 }).bromcom)}`));

    const ok = await rollcallWith(TEST_CREDENTIALS, dir, 'check', '--as-of', AS_OF);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/source \(bromcom school 12345\)\n {2}ok {7}Students\n {2}ok {7}Staff\n[\s\S]* {2}ok {7}TimeTable\n/);
    const reads = bromcom.calls.filter((c) => c.operation === 'getEntityDataBySchoolID');
    // Emails too: users.match has workEmail by default, and work e-mails come from Bromcom's Emails entity.
    expect(reads.map((c) => c.entity)).toEqual(['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses', 'TimeTable', 'Emails']);
    expect(reads.every((c) => c.filter === '1=0')).toBe(true);

    // The school's Bromcom user may not read the timetable: named, with where to enable it.
    bromcom.options.permitted = Object.keys(bromcom.options.data).filter((e) => e !== 'TimeTable');
    const missing = await rollcallWith(TEST_CREDENTIALS, dir, 'check', '--as-of', AS_OF);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/MISSING {2}TimeTable: not among the entities this user may read for school 12345: enable it in Bromcom under Setup > Third Party Access Permissions/);
    expect(missing.stdout).toContain('let the Bromcom user read TimeTable');
    expect(missing.stdout + missing.stderr).not.toContain(TEST_CREDENTIALS.BROMCOM_PASSWORD);
  }, 120_000);
});
