// The users flow end to end, through the built CLI, on the local tenant (the Graph emulator in process, state in a
// file): plan, apply, plan again; safety limits; link mode. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface TenantState {
  groups: { props: { mailNickname: string } }[];
  teams: { isArchived: boolean }[];
  events: { props: { start: { dateTime: string } } }[];
}

async function tenantState(dir: string): Promise<TenantState> {
  return JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as TenantState;
}

interface StateUser { userPrincipalName: string; employeeId?: string; accountEnabled: boolean }

/** The emulator's state file, read the way a test reads a tenant: users by address. */
async function tenantUsers(dir: string): Promise<StateUser[]> {
  const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: { props: StateUser }[] };
  return state.users.map((u) => u.props);
}

async function school(students: number, config: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-e2e-'));
  await writeSchool(generateSchool({ seed: 7, students, asOf: AS_OF }), 'csv', path.join(dir, 'mis'));
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

describe('the quickstart school on the local Education tenant', () => {
  it('gets users, groups, classes, teams and 30 days of calendars; plans again empty; follows a moved lesson and an ended class', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-quickstart-'));
    await cp(path.join(root, 'examples/quickstart'), dir, { recursive: true, filter: (src) => !src.includes('.rollcall') });

    const plan = rollcall(dir, 'plan', '--detailed-exitcode');
    expect(plan.stderr).toMatch(/csv: 1200 students, 90 staff/);
    expect(plan.status).toBe(2);
    const creates = Number(/user\s+create ([\d,]+)/.exec(plan.stdout)?.[1].replace(/,/g, ''));
    expect(creates).toBeGreaterThan(1200);

    const apply = rollcall(dir, 'apply');
    expect(apply.stderr).toContain(' 0 failed');
    expect(apply.status).toBe(0);
    const users = await tenantUsers(dir);
    expect(users.filter((u) => u.employeeId?.startsWith('qa:'))).toHaveLength(creates);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(users.length);

    // Groups, classes with their teams, and 30 days of teachers' timetables.
    const state = await tenantState(dir);
    const nick = (prefix: string) => state.groups.filter((g) => g.props.mailNickname.startsWith(prefix)).length;
    expect(nick('qa-year-')).toBe(7);
    expect(nick('qa-house-')).toBeGreaterThanOrEqual(4);
    expect(nick('qa-class-')).toBe(234);
    expect(state.teams.length).toBeGreaterThan(200);
    expect(state.events.length).toBeGreaterThan(1000);
    const days = state.events.map((e) => e.props.start.dateTime.slice(0, 10)).sort();
    expect(days[0] >= AS_OF && days.at(-1)! < '2026-12-23').toBe(true);

    const again = rollcall(dir, 'plan', '--detailed-exitcode');
    expect(again.stdout).toContain('no changes');
    expect(again.status).toBe(0);

    // One lesson moves room: exactly one event changes (the teacher's; pupils' calendars are not written here).
    const lessons = await csvRows(path.join(dir, 'mis/lessons.csv'));
    const moved = lessons.rows.find((r) => r[lessons.col('start')].startsWith('2026-11-25'))!;
    moved[lessons.col('room')] = 'Hall';
    await writeFile(path.join(dir, 'mis/lessons.csv'), [lessons.header, ...lessons.rows].map((r) => r.join(',')).join('\n') + '\n');
    const roomPlan = JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as { changes: { kind: string; action: string; after?: unknown }[] };
    // The plan JSON is masked (report.personalData), so the room shows as bullets; the tenant shows the truth after apply.
    const lessonKey = `lesson:${moved[lessons.col('group')]}@${moved[lessons.col('start')]}`;
    expect(roomPlan.changes).toEqual([expect.objectContaining({ kind: 'event', action: 'update', key: expect.stringContaining(lessonKey) })]);
    expect(rollcall(dir, 'apply').status).toBe(0);
    const halls = (await tenantState(dir)).events.filter((e) => (e.props as { location?: { displayName?: string } }).location?.displayName === 'Hall');
    expect(halls).toHaveLength(1);

    // A class leaves the MIS: its team is archived (kept, read-only), its lessons leave the calendars.
    const groups = await csvRows(path.join(dir, 'mis/groups.csv'));
    const classId = moved[lessons.col('group')];
    expect(groups.rows.find((r) => r[groups.col('id')] === classId)?.[groups.col('kind')]).toBe('teaching');
    await dropRows(path.join(dir, 'mis/groups.csv'), 'id', new Set([classId]));
    await dropRows(path.join(dir, 'mis/memberships.csv'), 'group', new Set([classId]));
    await dropRows(path.join(dir, 'mis/lessons.csv'), 'group', new Set([classId]));
    const endPlan = JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as { changes: { kind: string; action: string; destructive: boolean }[] };
    expect(endPlan.changes.filter((c) => c.kind === 'team')).toEqual([expect.objectContaining({ action: 'archive', destructive: true })]);
    expect(endPlan.changes.filter((c) => c.kind !== 'team').every((c) => c.kind === 'event' && c.action === 'delete')).toBe(true);
    expect(rollcall(dir, 'apply').status).toBe(0);
    const archived = (await tenantState(dir)).teams.filter((t) => t.isArchived);
    expect(archived).toHaveLength(1);
    expect(rollcall(dir, 'plan', '--detailed-exitcode').status).toBe(0);
  }, 300_000);
});

describe('safety', () => {
  it('blocks a 40 % drop in pupils with exit 3 and writes nothing', async () => {
    const dir = await school(100, await quickstartConfig());
    expect(rollcall(dir, 'apply').status).toBe(0);
    const before = await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8');

    // The MIS suddenly shows 40 % fewer pupils (e.g. a consent setting hid them): 40 of 100 vanish from every file.
    const students = await csvRows(path.join(dir, 'mis/students.csv'));
    const gone = new Set(students.rows.slice(0, 40).map((r) => r[students.col('id')]));
    expect(gone.size).toBe(40);
    await dropRows(path.join(dir, 'mis/students.csv'), 'id', gone);
    await dropRows(path.join(dir, 'mis/memberships.csv'), 'person', new Set([...gone].map((id) => `student:${id}`)));

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
    expect(parsed.unsynced.length).toBeGreaterThan(40);
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
    const students = await csvRows(path.join(dir, 'mis/students.csv'));
    const row = students.rows[0];
    const pupil = row[students.col('id')];
    const [given, family] = [row[students.col('first')], row[students.col('last')]];
    await dropRows(path.join(dir, 'mis/students.csv'), 'id', new Set([pupil]));
    await dropRows(path.join(dir, 'mis/memberships.csv'), 'person', new Set([`student:${pupil}`]));
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
    expect(mail.message.body.content).toMatch(/\d+ done, 0 failed/);
    expect(mail.message.body.content).not.toContain(given);
    expect(mail.message.body.content).not.toContain(family);
  }, 120_000);
});

describe('a failed MIS read', () => {
  it('fails the run with the reason, writes nothing and does not hang on the tenant read still in flight', async () => {
    const dir = await school(20, (await quickstartConfig()).replace('dir: ./mis', 'dir: ./no-such-export'));
    const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), 'plan', '--as-of', AS_OF], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no-such-export');
  }, 90_000);
});
