// The users flow end to end, through the built CLI, on the local tenant (the Graph emulator in process, state in a
// file): plan, apply, plan again; safety limits; link mode. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../../src/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-03-02';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StateUser { userPrincipalName: string; employeeId?: string; accountEnabled: boolean }

/** The emulator's state file, read the way a test reads a tenant: users by address. */
async function tenantUsers(dir: string): Promise<StateUser[]> {
  const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: { props: StateUser }[] };
  return state.users.map((u) => u.props);
}

async function school(students: number, config: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-e2e-'));
  await writeSchool(generateSchool({ seed: 7, students, asOf: AS_OF }), 'oneroster', path.join(dir, 'mis'));
  await writeFile(path.join(dir, 'rollcall.yaml'), config);
  return dir;
}

/** The synthetic exports have no quoted commas, so a plain split reads them. */
async function csvRows(file: string) {
  const [header, ...rows] = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => l.split(','));
  return { header, rows, col: (name: string) => header.indexOf(name) };
}

async function dropRows(file: string, column: string, ids: Set<string>): Promise<void> {
  const { header, rows, col } = await csvRows(file);
  await writeFile(file, [header, ...rows.filter((r) => !ids.has(r[col(column)]))].map((r) => r.join(',')).join('\n') + '\n');
}

const quickstartConfig = async () => (await readFile(path.join(root, 'examples/quickstart/rollcall.yaml'), 'utf8'));

describe('the quickstart school on the local tenant', () => {
  it('plans, applies and plans again with nothing to do', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-quickstart-'));
    await cp(path.join(root, 'examples/quickstart'), dir, { recursive: true, filter: (src) => !src.includes('.rollcall') });

    const plan = rollcall(dir, 'plan', '--detailed-exitcode');
    expect(plan.stderr).toMatch(/oneroster: 1200 students/);
    expect(plan.status).toBe(2);
    const creates = Number(/user\s+create ([\d,]+)/.exec(plan.stdout)?.[1].replace(/,/g, ''));
    expect(creates).toBeGreaterThan(1200);

    const apply = rollcall(dir, 'apply');
    expect(apply.stderr).toContain(' 0 failed');
    expect(apply.status).toBe(0);
    const users = await tenantUsers(dir);
    expect(users.filter((u) => u.employeeId?.startsWith('qa:'))).toHaveLength(creates);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(users.length);

    const again = rollcall(dir, 'plan', '--detailed-exitcode');
    expect(again.stdout).toContain('no changes');
    expect(again.status).toBe(0);
  }, 180_000);
});

describe('safety', () => {
  it('blocks a 40 % drop in pupils with exit 3 and writes nothing', async () => {
    const dir = await school(100, await quickstartConfig());
    expect(rollcall(dir, 'apply').status).toBe(0);
    const before = await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8');

    // The MIS suddenly shows 40 % fewer pupils (e.g. a consent setting hid them): 40 of 100 vanish from every file.
    const roles = await csvRows(path.join(dir, 'mis/roles.csv'));
    const gone = new Set(roles.rows.filter((r) => r[roles.col('role')] === 'student').slice(0, 40).map((r) => r[roles.col('userSourcedId')]));
    expect(gone.size).toBe(40);
    await dropRows(path.join(dir, 'mis/users.csv'), 'sourcedId', gone);
    await dropRows(path.join(dir, 'mis/roles.csv'), 'userSourcedId', gone);
    await dropRows(path.join(dir, 'mis/enrollments.csv'), 'userSourcedId', gone);

    const apply = rollcall(dir, 'apply');
    expect(apply.status).toBe(3);
    expect(apply.stdout + apply.stderr).toContain('safety.maxSourceDrop');
    expect(apply.stderr).toMatch(/nothing was written/);
    const after = await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8');
    expect(JSON.parse(after).users).toEqual(JSON.parse(before).users);
    expect(JSON.parse(after).groups).toEqual(JSON.parse(before).groups);

    // Approving exactly this plan lets it through: the 40 leavers get their leave date recorded (grace period).
    const checksum = /--approve ([0-9a-f]{64})/.exec(apply.stderr)?.[1];
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rollcall(dir, 'apply', '--approve', 'f'.repeat(64)).status).toBe(3);
    const approved = rollcall(dir, 'apply', '--approve', checksum!);
    expect(approved.status).toBe(0);
    const leavers = (await tenantUsers(dir)).filter((u) => (u as StateUser & { employeeLeaveDateTime?: string }).employeeLeaveDateTime);
    expect(leavers).toHaveLength(40);
  }, 120_000);
});

describe('link mode', () => {
  it('never creates or suspends an account', async () => {
    const config = (await quickstartConfig()).replace('mode: create', 'mode: link');
    const dir = await school(40, config);
    const plan = rollcall(dir, 'plan', '--format', 'json');
    const parsed = JSON.parse(plan.stdout) as { changes: { kind: string; action: string }[]; unsynced: { reason: string }[] };
    expect(parsed.changes.filter((c) => c.kind === 'user' && ['create', 'suspend', 'delete', 'restore'].includes(c.action))).toEqual([]);
    expect(parsed.unsynced.every((u) => u.reason === 'no-matching-account' || u.reason === 'no-ascii-name' || u.reason === 'future-starter')).toBe(true);
    expect(rollcall(dir, 'apply').status).toBe(0);
    expect(await tenantUsers(dir)).toEqual([]);
  }, 120_000);
});

describe('the summary mail', () => {
  it('goes to report.summaryTo after an apply, masked, and lands in the tenant\'s outbox', async () => {
    const dir = await school(30, await quickstartConfig());
    expect(rollcall(dir, 'apply').status).toBe(0);
    const staffUpn = (await tenantUsers(dir)).find((u) => u.employeeId?.startsWith('qa:t'))!.userPrincipalName;

    // One pupil leaves; the next apply records it and mails the IT lead.
    const users = await csvRows(path.join(dir, 'mis/users.csv'));
    const roles = await csvRows(path.join(dir, 'mis/roles.csv'));
    const pupil = roles.rows.find((r) => r[roles.col('role')] === 'student')![roles.col('userSourcedId')];
    const row = users.rows.find((r) => r[users.col('sourcedId')] === pupil)!;
    const [given, family] = [row[users.col('givenName')], row[users.col('familyName')]];
    for (const [file, col] of [['users.csv', 'sourcedId'], ['roles.csv', 'userSourcedId'], ['enrollments.csv', 'userSourcedId']]) {
      await dropRows(path.join(dir, 'mis', file), col, new Set([pupil]));
    }
    const config = (await readFile(path.join(dir, 'rollcall.yaml'), 'utf8')).replace('report:\n', `report:\n  summaryTo: it.lead@quickstart.example\n  summaryFrom: ${staffUpn}\n`);
    await writeFile(path.join(dir, 'rollcall.yaml'), config);
    const apply = rollcall(dir, 'apply');
    expect(apply.status).toBe(0);
    expect(apply.stderr, apply.stderr).toContain('summary mail sent to 1 recipient(s)');

    const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { outbox: { from: string; message: { subject: string; body: { content: string }; toRecipients: { emailAddress: { address: string } }[] } }[] };
    expect(state.outbox).toHaveLength(1);
    const mail = state.outbox[0];
    expect(mail.from).toBe(staffUpn);
    expect(mail.message.toRecipients[0].emailAddress.address).toBe('it.lead@quickstart.example');
    expect(mail.message.subject).toMatch(/rollcall/i);
    expect(mail.message.body.content).toMatch(/1 done, 0 failed/);
    expect(mail.message.body.content).not.toContain(given);
    expect(mail.message.body.content).not.toContain(family);
  }, 120_000);
});
