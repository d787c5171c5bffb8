// Issue 12.2 and 12.3 end to end, through the built CLI on the local tenant (state in a file): a school that already
// has accounts gets no duplicates, and an excluded pupil is left alone. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';
const STUDENTS = 'students.quickstart.example';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StateUser { id: string; props: { userPrincipalName: string; displayName: string; employeeId?: string } }
interface State { users: StateUser[]; groups: { id: string; members: string[]; props: { mailNickname: string } }[] }

const state = async (dir: string) => JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as State;
const byUpn = (s: State, upn: string) => s.users.find((u) => u.props.userPrincipalName === upn);

interface PlanJson {
  changes: { key: string; kind: string; action: string; after?: Record<string, unknown>; target?: { id?: string } }[];
  unsynced: { person?: string; reason: string; account?: string; detail: string }[];
}
const planJson = (dir: string) => JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as PlanJson;

async function school(students: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-e2e-existing-'));
  await writeSchool(generateSchool({ seed: 11, students, asOf: AS_OF }), 'csv', path.join(dir, 'mis'));
  const config = (await readFile(path.join(root, 'examples/quickstart/rollcall.yaml'), 'utf8')).replace('personalData: masked', 'personalData: full');
  await writeFile(path.join(dir, 'rollcall.yaml'), config);
  return dir;
}

/** The first teaching group of the export: the class the added pupils join. */
async function firstClass(dir: string): Promise<string> {
  const rows = (await readFile(path.join(dir, 'mis/groups.csv'), 'utf8')).split('\n').map((l) => l.split(','));
  return rows.find((r) => r[2] === 'teaching')![0];
}

describe('a school that already has accounts', () => {
  it('holds pupils whose accounts may exist, then links one by manual match and creates the other on a create row', async () => {
    const dir = await school(30);
    // Two pupils join the export, in a class; the tenant already has an account for each that rollcall does not manage.
    const header = (await readFile(path.join(dir, 'mis/students.csv'), 'utf8')).split('\n')[0].split(',');
    const row = (id: string, first: string, last: string) => header.map((h) => ({ id, first, last, yearGroup: '7', registrationGroup: '7A', startDate: '2026-09-01' })[h] ?? '').join(',');
    await appendFile(path.join(dir, 'mis/students.csv'), `${row('90001', 'Ava', 'Edwards')}\n${row('90002', 'Ben', 'Foxley')}\n`);
    const cls = await firstClass(dir);
    await appendFile(path.join(dir, 'mis/memberships.csv'), `${cls},student:90001,member\n${cls},student:90002,member\n`);
    const seed = (id: string, upn: string, given: string, surname: string) => ({ id, createdAt: 0, v: 1, props: { userPrincipalName: upn, mailNickname: upn.split('@')[0], displayName: `${given} ${surname}`, givenName: given, surname, accountEnabled: true } });
    await mkdir(path.join(dir, '.rollcall'));
    await writeFile(path.join(dir, '.rollcall/tenant.json'), JSON.stringify({
      version: 1, domains: ['quickstart.example', STUDENTS], education: true, seq: 2,
      users: [seed('00000000-0000-4000-8000-00000000a001', `ava.edwards@${STUDENTS}`, 'Ava', 'Edwards'), seed('00000000-0000-4000-8000-00000000b002', `ben.foxley@${STUDENTS}`, 'Ben', 'Foxley')],
    }));

    // First sync: both are held with their candidate named, and the plan says so at the top.
    const text = rollcall(dir, 'plan');
    expect(text.status, text.stderr).toBe(0);
    // The summary first (issue 15), then the held line, before any list.
    const top = text.stdout.slice(text.stdout.indexOf('Summary'), text.stdout.search(/^(! Destructive|Not synced|Detail, folded)/m));
    expect(top).toMatch(/HELD: 2 people held: a possible existing account .*rollcall match/);
    const first = planJson(dir);
    expect(first.unsynced.filter((u) => u.reason === 'possible-existing-account').map((u) => [u.person, u.account])).toEqual([
      ['student:90001', `ava.edwards@${STUDENTS}`],
      ['student:90002', `ben.foxley@${STUDENTS}`],
    ]);
    expect(first.changes.filter((c) => c.key.includes('student:9000'))).toEqual([]);
    const creates = first.changes.filter((c) => c.kind === 'user' && c.action === 'create').length;
    expect(creates).toBeGreaterThan(30);

    // Apply creates everyone else and no second account for either.
    expect(rollcall(dir, 'apply').status).toBe(0);
    let s = await state(dir);
    expect(s.users.filter((u) => /^(Ava Edwards|Ben Foxley)$/.test(u.props.displayName))).toHaveLength(2);
    expect(byUpn(s, `ava.edwards@${STUDENTS}`)?.props.employeeId).toBeUndefined();

    // The school decides: Ava's account is hers; Ben needs a new one.
    await mkdir(path.join(dir, 'matches'));
    await writeFile(path.join(dir, 'matches/users.csv'), `misId,userPrincipalName\nstudent:90001,ava.edwards@${STUDENTS}\nstudent:90002,create\n`);
    await writeFile(path.join(dir, 'rollcall.yaml'), (await readFile(path.join(dir, 'rollcall.yaml'), 'utf8')).replace('users:\n', 'users:\n  manualMatches: ./matches/users.csv\n'));
    const second = planJson(dir);
    const ava = byUpn(s, `ava.edwards@${STUDENTS}`)!;
    expect(second.unsynced.filter((u) => u.person?.startsWith('student:9000'))).toEqual([]);
    expect(second.changes.filter((c) => c.kind === 'user').map((c) => [c.key, c.action])).toEqual([
      ['user:student:90002', 'create'],
      ['user:student:90001', 'update'],
    ]);
    expect(second.changes.find((c) => c.key === 'user:student:90001')).toMatchObject({ target: { id: ava.id }, after: { employeeId: 'qa:s90001' } });
    expect(second.changes.find((c) => c.key === 'user:student:90002')?.after?.userPrincipalName).not.toBe(`ben.foxley@${STUDENTS}`);
    expect(rollcall(dir, 'apply').status).toBe(0);

    s = await state(dir);
    expect(byUpn(s, `ava.edwards@${STUDENTS}`)?.props.employeeId).toBe('qa:s90001');
    expect(byUpn(s, `ben.foxley@${STUDENTS}`)?.props.employeeId).toBeUndefined();
    const ben = s.users.find((u) => u.props.employeeId === 'qa:s90002')!;
    expect(ben.props.userPrincipalName).toMatch(new RegExp(`^\\d*bfoxley@${STUDENTS.replace(/\./g, '\\.')}$`));
    // Both are in their class now, Ava through the account she already had.
    const classGroup = s.groups.find((g) => g.members.includes(ava.id) && g.props.mailNickname.startsWith('qa-class-'));
    expect(classGroup?.members).toContain(ben.id);
    expect(rollcall(dir, 'plan', '--detailed-exitcode').status).toBe(0);
  }, 180_000);
});

describe('an excluded pupil', () => {
  it('keeps their account and class memberships after a plan and an apply', async () => {
    const dir = await school(30);
    expect(rollcall(dir, 'apply').status).toBe(0);
    const before = await state(dir);
    const inClass = before.groups.find((g) => g.props.mailNickname.startsWith('qa-class-') && g.members.length)!;
    const pupil = before.users.find((u) => inClass.members.includes(u.id) && u.props.employeeId?.startsWith('qa:s'))!;
    const misId = `student:${pupil.props.employeeId!.slice('qa:s'.length)}`;
    const memberOf = (s: State) => s.groups.filter((g) => g.members.includes(pupil.id)).map((g) => g.id).sort();
    expect(memberOf(before).length).toBeGreaterThanOrEqual(3);

    await writeFile(path.join(dir, 'rollcall.yaml'), (await readFile(path.join(dir, 'rollcall.yaml'), 'utf8')).replace('users:\n', `users:\n  exclusions: { misIds: ["${misId}"] }\n`));
    const plan = rollcall(dir, 'plan', '--detailed-exitcode');
    expect(plan.stdout).toContain('no changes');
    expect(plan.status).toBe(0);
    expect(planJson(dir).unsynced).toEqual(expect.arrayContaining([expect.objectContaining({ person: misId, reason: 'excluded' })]));
    expect(rollcall(dir, 'apply').status).toBe(0);
    const after = await state(dir);
    expect(memberOf(after)).toEqual(memberOf(before));
    expect(after.users.find((u) => u.id === pupil.id)).toEqual(pupil);
  }, 180_000);
});
