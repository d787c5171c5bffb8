// The action's `only` input (issue 15.3), through the bundle as GitHub runs it: a person starts the workflow for
// one new pupil, and only that pupil's account and memberships are applied while a leaver stays pending; on any
// other event the input is refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { git, installAction, makeSchool, runAction, tenantUsers, writeMis, type School } from './harness.js';

let dir: string;
let actionDir: string;
let s: School;
const gh = new FakeGitHub();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-only-'));
  actionDir = await installAction(dir);
  await gh.start();
  s = await makeSchool({ students: 16, seed: 15, config: { personalData: 'masked', autoApply: 'never' } });
});

afterAll(async () => {
  await gh.stop();
  await rm(dir, { recursive: true, force: true });
  if (s) await rm(s.root, { recursive: true, force: true });
});

const run = async (event: string, inputs: Record<string, string>, visibility: 'private' | 'public' = 'private') => {
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  const repository = { full_name: 'school/it', private: visibility === 'private', visibility, default_branch: 'main' };
  gh.repo = { ...gh.repo, ...repository };
  return runAction({ actionDir, school: s, api: gh.url, event, payload: { repository }, inputs, sha, ref: 'refs/heads/main' });
};
const anchor = (person: string) => `ea:s${person.split(':')[1]}`;

describe('input only', () => {
  it('workflow_dispatch applies one starter and nothing else pending, even with schedule.autoApply never', async () => {
    const students = s.school.people.filter((p) => p.kind === 'student');
    const [starter, leaver] = [students[0].id, students[1].id];
    // Yesterday: everyone but the starter, applied.
    await writeMis(s, [starter]);
    const first = await run('workflow_dispatch', { mode: 'apply' });
    expect(first.code, first.stdout).toBe(0);
    // Today: the starter joins and the leaver has gone.
    await writeMis(s, [leaver]);

    const r = await run('workflow_dispatch', { only: starter });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.applied).toBe('true');
    expect(r.outputs['review-pull-request']).toBeUndefined();
    expect(JSON.parse(r.outputs.summary)).toEqual({ user: { create: 1 }, membership: { 'add-member': expect.any(Number) } });
    expect(r.summary).toContain('**Apply for only `');
    const users = (await tenantUsers(s))!;
    expect(users.find((u) => u.employeeId === anchor(starter))?.accountEnabled).toBe(true);
    expect(users.find((u) => u.employeeId === anchor(leaver))?.accountEnabled).toBe(true);

    // The leaver is still pending: a plan of everything has the suspension.
    const plan = await run('workflow_dispatch', { mode: 'plan' });
    expect(JSON.parse(plan.outputs.summary).user).toEqual({ suspend: 1 });
  }, 240_000);

  it('a selector that matches nothing fails the step naming it; nothing is written', async () => {
    const before = await tenantUsers(s);
    const r = await run('workflow_dispatch', { only: 'student:999999' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"student:999999" matches no pending change');
    expect(r.stdout).not.toContain('unexpected error');
    expect(await tenantUsers(s)).toEqual(before);
  }, 120_000);

  it('approve names one plan: a checksum that is not the selection\'s fails the step; nothing is written', async () => {
    const before = await tenantUsers(s);
    const r = await run('workflow_dispatch', { only: 'kind:user', approve: '000000000000' });
    expect(r.code).toBe(1);
    expect(r.outputs.applied).toBe('false');
    expect(r.stdout).toContain(`the approval names the plan 000000000000, but the plan now is ${r.outputs.checksum.slice(0, 12)}`);
    expect(await tenantUsers(s)).toEqual(before);
  }, 120_000);

  it('in a public repository the job summary does not name the selected pupil\'s MIS id', async () => {
    const leaver = s.school.people.filter((p) => p.kind === 'student')[1].id;
    const r = await run('workflow_dispatch', { only: leaver }, 'public');
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.applied).toBe('true');
    expect(r.summary).toContain('**Apply for only `student:•••`**');
    expect(r.summary).not.toContain(leaver.split(':')[1]);
    expect((await tenantUsers(s))!.find((u) => u.employeeId === anchor(leaver))?.accountEnabled).toBe(false);
  }, 120_000);

  it('is refused on a schedule (and any event a person did not start)', async () => {
    const r = await run('schedule', { only: 'kind:user' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('input only is for workflow_dispatch runs (a person choosing whom to apply), not schedule events');
  }, 60_000);
});
