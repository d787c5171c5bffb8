// One starter today (issue 15.3), through the built CLI on the local tenant: with a leaver and a class move
// pending, `rollcall apply --only student:ID` creates that pupil's account and memberships and nothing else, and
// the next plan still has the leaver and the class move. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Membership } from '../../src/roster/types.js';
import { generateSchool, writeSchool, type SynthSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';

function rollcall(cwd: string, ...args: string[]) {
  // No terminal and CI unset: apply does not ask (it never asks without a terminal).
  const { CI: _ci, ...env } = process.env;
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = `version: 1
school: { name: Starter Academy, key: sa, timeZone: Europe/London }
source: { csv: { dir: ./mis } }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [sa.example, students.sa.example]
  education: true
users:
  students:
    userPrincipalName: "{entryYear:-2}{first:1}{last}@students.sa.example"
    securityGroups: ["All Students"]
  staff:
    userPrincipalName: "{first:1}{last}@sa.example"
  leavers: { action: suspend, graceDays: 0 }
groups:
  from: [registrationGroups]
classes:
  from: [teachingGroups]
report: { personalData: full }
`;

interface PlanJson { checksum: string; changes: { action: string; kind: string; key: string; subject: { person?: string } }[] }
interface State {
  users: { id: string; props: { employeeId?: string; accountEnabled: boolean } }[];
  groups: { id: string; props: { displayName: string; mailNickname: string }; members: string[]; deletedAt?: string }[];
}

const keys = (p: PlanJson) => p.changes.map((c) => `${c.action} ${c.key}`).sort();

describe('apply --only one new pupil', () => {
  let dir: string;
  let next: SynthSchool;
  let starter: string;
  let leaver: string;
  let mover: string;
  let from: string;
  let to: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-only-'));
    const generated = generateSchool({ seed: 21, students: 60, staff: 8, asOf: AS_OF, lessonDays: 1 });
    // Nobody starts or leaves around today but the people this test chooses.
    const settled = generated.people.filter((p) => !p.endDate && !(p.startDate && p.startDate > AS_OF));
    const ids = new Set(settled.map((p) => p.id));
    const school: SynthSchool = { ...generated, people: settled, memberships: generated.memberships.filter((m) => ids.has(m.person)) };
    const teaching = new Set(school.groups.filter((g) => g.kind === 'teaching').map((g) => g.id as string));
    const inClass = (p: string) => school.memberships.filter((m) => m.person === p && teaching.has(m.group)).map((m) => m.group as string);
    const students = school.people.filter((p) => p.kind === 'student' && inClass(p.id).length > 0);
    [starter, leaver, mover] = [students[0].id, students[1].id, students[2].id];
    from = inClass(mover)[0];
    to = [...teaching].find((g) => !inClass(mover).includes(g))!;

    // Yesterday's MIS: everyone but the starter, applied in full.
    const yesterday: SynthSchool = { ...school, people: school.people.filter((p) => p.id !== starter), memberships: school.memberships.filter((m) => m.person !== starter) };
    await writeSchool(yesterday, 'csv', path.join(dir, 'mis'));
    await writeFile(path.join(dir, 'rollcall.yaml'), config);
    const first = rollcall(dir, 'apply');
    expect(first.stderr).toContain(' 0 failed');
    expect(first.status).toBe(0);

    // Today's: the starter joins, the leaver has gone, the mover changed class.
    next = {
      ...school,
      people: school.people.filter((p) => p.id !== leaver),
      memberships: [
        ...school.memberships.filter((m) => m.person !== leaver && !(m.person === mover && m.group === from)),
        { group: to, person: mover, role: 'member' } as Membership,
      ],
    };
    await rm(path.join(dir, 'mis'), { recursive: true });
    await writeSchool(next, 'csv', path.join(dir, 'mis'));
  }, 180_000);

  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  const state = async () => JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as State;
  const anchor = (person: string) => `sa:${person.startsWith('student:') ? 's' : 't'}${person.split(':')[1]}`;
  const classOf = (s: State, group: string) => s.groups.find((g) => !g.deletedAt && g.props.mailNickname.toLowerCase().startsWith('sa-class-') && g.props.displayName.endsWith(next.groups.find((x) => x.id === group)!.name))!;

  it('creates the starter\'s account and memberships and nothing else; the next plan still has the leaver and the class move', async () => {
    const whole = JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as PlanJson;
    expect(keys(whole)).toEqual(expect.arrayContaining([`create user:${starter}`, `suspend user:${leaver}`, `add-member student:class:${to}:${mover}`]));
    expect(whole.changes.some((c) => c.action === 'remove-member' && c.key.startsWith(`student:class:${from}:`))).toBe(true);

    // The selection's plan, saved for review, is what apply --only --plan applies.
    const saved = rollcall(dir, 'plan', '--only', starter, '--format', 'json', '--out', 'starter.json');
    expect(saved.status, saved.stderr).toBe(0);
    const selection = JSON.parse(await readFile(path.join(dir, 'starter.json'), 'utf8')) as PlanJson;
    expect(selection.checksum).not.toBe(whole.checksum);
    expect(selection.changes[0]).toMatchObject({ action: 'create', kind: 'user', key: `user:${starter}` });
    expect(selection.changes.filter((c) => c.kind === 'membership').length).toBeGreaterThanOrEqual(3);
    expect(selection.changes.every((c) => c.subject.person === starter)).toBe(true);

    // Without --only, the saved selection is not the plan apply would make: refused, nothing written.
    const wrong = rollcall(dir, 'apply', '--plan', 'starter.json');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('is not what rollcall would do now');

    const before = await state();
    const applied = rollcall(dir, 'apply', '--only', starter, '--plan', 'starter.json');
    expect(applied.stderr).toContain(' 0 failed');
    expect(applied.status).toBe(0);
    // The selection's plan is shown first, named as a selection.
    expect(applied.stdout).toContain(`rollcall plan for Starter Academy, only ${starter} (sa) · checksum ${selection.checksum.slice(0, 12)}`);
    expect(applied.stderr).toContain(`applying ${selection.changes.length} change(s) (checksum ${selection.checksum.slice(0, 12)})`);

    const after = await state();
    const account = after.users.find((u) => u.props.employeeId === anchor(starter));
    expect(account?.props.accountEnabled).toBe(true);
    expect(after.users).toHaveLength(before.users.length + 1);
    // The starter is in every class the MIS has them in, and in All Students.
    const theirClasses = next.memberships.filter((m) => m.person === starter && next.groups.find((g) => g.id === m.group)?.kind === 'teaching');
    for (const m of theirClasses) expect(classOf(after, m.group).members).toContain(account!.id);
    expect(after.groups.find((g) => g.props.displayName === 'All Students')!.members).toContain(account!.id);
    // Nothing else happened: the leaver is still enabled, the mover still in the old class and not in the new one.
    expect(after.users.find((u) => u.props.employeeId === anchor(leaver))!.props.accountEnabled).toBe(true);
    const moverId = after.users.find((u) => u.props.employeeId === anchor(mover))!.id;
    expect(classOf(after, from).members).toContain(moverId);
    expect(classOf(after, to).members).not.toContain(moverId);

    // Planned again: exactly the rest of the whole plan, the leaver and the class move among it.
    const rest = JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as PlanJson;
    const selected = new Set(keys(selection));
    expect(keys(rest)).toEqual(keys(whole).filter((k) => !selected.has(k)));
    expect(keys(rest)).toEqual(expect.arrayContaining([`suspend user:${leaver}`, `add-member student:class:${to}:${mover}`]));
    expect(rest.changes.some((c) => c.subject.person === starter || c.key.includes(`${starter}`))).toBe(false);

    // The journal keeps the record: history --person shows the starter's creation, then their memberships, and the
    // run of the selection journaled exactly the selection's changes.
    const history = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), 'history', ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const mine = history('--person', starter);
    expect(mine.status, mine.stderr).toBe(0);
    const lines = mine.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string; action: string; kind: string; status: string; checksum: string });
    expect(lines[0]).toMatchObject({ key: `user:${starter}`, action: 'create', kind: 'user', status: 'done', checksum: selection.checksum });
    expect(lines.every((l) => l.status === 'done')).toBe(true);
    expect(lines.filter((l) => l.kind === 'membership' && l.action === 'add-member').length).toBeGreaterThanOrEqual(3);
    const run = history().stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string; action: string; checksum: string }).filter((l) => l.checksum === selection.checksum);
    expect(run.map((l) => `${l.action} ${l.key}`).sort()).toEqual(keys(selection));
  }, 180_000);

  it('a selector that matches nothing is an error naming it, and nothing is written', async () => {
    const before = await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8');
    const r = rollcall(dir, 'apply', '--only', 'student:999999', '--only', 'kind:pupil');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rollcall: --only kind:pupil: no such kind (one of kind:user, kind:educationUser, kind:licence, kind:group, kind:class, kind:team, kind:event, kind:membership, kind:guardian)\n');
    const none = rollcall(dir, 'apply', '--only', 'student:999999');
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('rollcall: "student:999999" matches no pending change');
    expect(none.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')).toBe(before);
  }, 120_000);
});
