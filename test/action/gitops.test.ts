// End to end: the bundled action, run as GitHub runs it, through a school's whole GitOps loop: a pull request's
// comment (created, then updated), its merge (applied), a merge whose destructive changes grew (refused), a
// nightly run within limits (applied), one over limits (review pull request) and that pull request's merge.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import {
  commitConfig, configText, git, installAction, loadWorkflow, makeSchool, runAction, tenantUsers, writeMis, type School,
} from './harness.js';

const TOKEN = 'ghs_e2etoken0000000000000000';
let dir: string;
let actionDir: string;
const gh = new FakeGitHub();
let s: School;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-'));
  actionDir = await installAction(dir);
  await gh.start();
  s = await makeSchool({ students: 60 });
});

afterAll(async () => {
  await gh.stop();
  await rm(dir, { recursive: true, force: true });
  if (s) await rm(s.root, { recursive: true, force: true });
});

const repository = { full_name: 'school/it', private: true, visibility: 'private', default_branch: 'main' };

function prPayload(number: number, base: string, head: string, labels: string[] = []) {
  return {
    action: 'synchronize', number, repository,
    pull_request: {
      number, labels: labels.map((name) => ({ name })),
      base: { sha: base, ref: 'main', repo: { full_name: 'school/it' } },
      head: { sha: head, ref: `feature-${number}`, repo: { full_name: 'school/it', fork: false } },
    },
  };
}

async function pullRequestRun(number: number, base: string, head: string) {
  const wf = await loadWorkflow('rollcall-pull-request.yml', { 'github.token': TOKEN });
  await git(s.workspace, 'checkout', '-q', head);
  return runAction({ actionDir, school: s, api: gh.url, event: 'pull_request', payload: prPayload(number, base, head, [...(gh.labels.get(number) ?? [])]), inputs: wf.with, sha: head, ref: `refs/pull/${number}/merge`, token: TOKEN });
}

/** Merges a branch into main with a merge commit, pushes it, and tells the fake API which pull request it was. */
async function merge(number: number, branch: string): Promise<string> {
  await git(s.workspace, 'checkout', '-q', 'main');
  await git(s.workspace, 'merge', '-q', '--no-ff', '-m', `Merge pull request #${number}`, branch);
  await git(s.workspace, 'push', '-q', 'origin', 'main');
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  const pull = gh.pulls.find((p) => p.number === number) ?? gh.addPull({ number });
  Object.assign(pull, { state: 'closed', merged_at: new Date().toISOString(), merge_commit_sha: sha });
  gh.commitPulls.set(sha, [number]);
  return sha;
}

async function mergeRun(sha: string) {
  const wf = await loadWorkflow('rollcall-merge.yml', { 'github.token': TOKEN });
  await git(s.workspace, 'checkout', '-q', sha);
  return runAction({ actionDir, school: s, api: gh.url, event: 'push', payload: { ref: 'refs/heads/main', after: sha, repository }, inputs: wf.with, sha, ref: 'refs/heads/main', token: TOKEN });
}

async function nightlyRun() {
  const wf = await loadWorkflow('rollcall-nightly.yml', { 'github.token': TOKEN });
  await git(s.workspace, 'checkout', '-q', 'main');
  await git(s.workspace, 'pull', '-q', 'origin', 'main');
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  return runAction({ actionDir, school: s, api: gh.url, event: 'schedule', payload: { schedule: '17 2 * * *', repository }, inputs: wf.with, sha, ref: 'refs/heads/main', token: TOKEN });
}

const students = () => s.school.people.filter((p) => p.kind === 'student').map((p) => p.id);
const enabled = async () => (await tenantUsers(s))?.filter((u) => u.accountEnabled && u.employeeId).length ?? 0;
const disabled = async () => (await tenantUsers(s))?.filter((u) => !u.accountEnabled && u.employeeId).length ?? 0;
const fail = (r: { code: number; stdout: string; stderr: string }) => `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;

describe('the GitOps loop, through dist/index.js', () => {
  let mainSha: string;
  let firstChecksum: string;
  const people = () => s.school.people.length;

  it('pull_request: one comment splitting this PR from pending changes, the whole plan in the summary, no tenant write', async () => {
    mainSha = await git(s.workspace, 'rev-parse', 'HEAD');
    await git(s.workspace, 'checkout', '-q', '-b', 'feature-7');
    const head = await commitConfig(s, configText(s, { staffGroups: ['All Staff', 'Staff Room'] }), 'staff get the Staff Room group');
    const r = await pullRequestRun(7, mainSha, head);
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.outputs['has-changes']).toBe('true');
    expect(r.outputs.blocked).toBe('false');
    const summary = JSON.parse(r.outputs.summary) as Record<string, Record<string, number>>;
    expect(summary.user.create).toBe(people());
    firstChecksum = r.outputs.checksum;

    const comments = gh.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    expect(body).toContain(`<!-- rollcall:plan config=rollcall.yaml checksum=${firstChecksum} -->`);
    const [mine, pending] = body.split('Pending anyway');
    expect(mine).toContain('What this pull request changes');
    expect(mine).toContain('Staff Room');
    expect(mine).not.toMatch(/\*\*create\*\* user/);       // the accounts are the base branch's doing …
    expect(pending).toMatch(/\*\*create\*\* user/);        // … pending whether or not this merges
    expect(body.length).toBeLessThanOrEqual(65_536);

    // Every account in the job summary (full personal data here: a private repository that asked for it).
    expect(r.summary.match(/\*\*create\*\* user/g)?.length).toBe(people());
    const planFile = JSON.parse(await readFile(r.outputs['plan-file'], 'utf8')) as { checksum: string; changes: unknown[] };
    expect(planFile.checksum).toBe(firstChecksum);
    // Read the MIS and the tenant, wrote nothing: no account exists.
    expect(await enabled()).toBe(0);
    expect(gh.requests.every((q) => q.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(gh.requests.filter((q) => !(q.path.startsWith('/api/v3/') || q.path === '/api/graphql')).map((q) => q.path)).toEqual([]); // GITHUB_API_URL honoured (GraphQL beside it, as Enterprise Server serves it)
  });

  it('pull_request again after a push: the same comment is updated, never a second one', async () => {
    await git(s.workspace, 'checkout', '-q', 'feature-7');
    const head = await commitConfig(s, configText(s, { staffGroups: ['All Staff', 'Staff Room', 'Governors Room'] }), 'and the Governors Room');
    const before = gh.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/issues/7/comments')).length;
    const r = await pullRequestRun(7, mainSha, head);
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.checksum).not.toBe(firstChecksum);
    expect(gh.comments.get(7)).toHaveLength(1);
    expect(gh.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/issues/7/comments')).length).toBe(before);
    expect(gh.requests.some((q) => q.method === 'PATCH' && q.path.includes('/issues/comments/'))).toBe(true);
    expect(gh.comments.get(7)![0].body).toContain(`checksum=${r.outputs.checksum}`);
    expect(gh.comments.get(7)![0].body).toContain('Governors Room');
    expect(await enabled()).toBe(0);
  });

  it('push to main after the merge: applies the reviewed plan and says so on the pull request', async () => {
    const sha = await merge(7, 'feature-7');
    const r = await mergeRun(sha);
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.applied).toBe('true');
    expect(await enabled()).toBe(people());
    const said = gh.comments.get(7)!.find((c) => c.body.includes('rollcall:merge'));
    expect(said?.body).toContain('rollcall applied');
    expect(said?.body).toContain('exactly the one reviewed');
  });

  it('a merge whose destructive changes grew since review applies nothing and says why on the pull request', async () => {
    const base = await git(s.workspace, 'rev-parse', 'main');
    await git(s.workspace, 'checkout', '-q', '-b', 'feature-8');
    const head = await commitConfig(s, configText(s, { staffGroups: ['All Staff', 'Staff Room', 'Governors Room', 'Library'] }), 'library group');
    // Two pupils left: two suspensions, within the limit of three, pending whatever the PR says.
    const left = students().slice(0, 2);
    await writeMis(s, left);
    const pr = await pullRequestRun(8, base, head);
    expect(pr.code, fail(pr)).toBe(0);
    expect(pr.outputs.blocked).toBe('false');
    expect(gh.labels.get(8)?.has('rollcall:destructive')).toBe(true);
    expect(gh.comments.get(8)![0].body).toMatch(/Pending anyway[\s\S]*suspend/);

    // Before the merge three more leave: five suspensions, over the limit, three of them never reviewed.
    await writeMis(s, students().slice(0, 5));
    const sha = await merge(8, 'feature-8');
    const r = await mergeRun(sha);
    expect(r.code).toBe(1);
    expect(r.outputs.applied).toBe('false');
    expect(r.outputs.blocked).toBe('true');
    expect(r.stdout).toContain('::error::nothing applied');
    const said = gh.comments.get(8)!.find((c) => c.body.includes('rollcall:merge'));
    expect(said?.body).toContain('rollcall applied nothing');
    expect(said?.body).toContain('3 destructive change(s) were not in the reviewed plan');
    expect(await disabled()).toBe(0);
    expect(await enabled()).toBe(people());
  });

  it('nightly within the limits applies', async () => {
    await writeMis(s, students().slice(0, 1));
    const r = await nightlyRun();
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.applied).toBe('true');
    expect(await disabled()).toBe(1);
    expect(gh.pulls.filter((p) => p.head.ref === 'rollcall/review')).toHaveLength(0);
  });

  let reviewNumber: number;
  let reviewChecksum: string;
  it('nightly over the limits opens one review pull request approving exactly its plan; later nights keep it one', async () => {
    await writeMis(s, students().slice(0, 6));
    const r = await nightlyRun();
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.applied).toBe('false');
    expect(r.outputs.blocked).toBe('true');
    reviewNumber = Number(r.outputs['review-pull-request']);
    const pull = gh.pulls.find((p) => p.number === reviewNumber)!;
    expect(pull.head.ref).toBe('rollcall/review');
    expect(pull.base.ref).toBe('main');
    expect(pull.body).toContain(`checksum=${r.outputs.checksum}`);
    const approval = () => git(s.origin, 'show', 'rollcall/review:rollcall.approved.json').then((t) => JSON.parse(t) as { checksum: string; config: string });
    expect(await approval()).toMatchObject({ checksum: r.outputs.checksum, config: 'rollcall.yaml' });
    expect(await git(s.origin, 'rev-parse', 'rollcall/review^')).toBe(await git(s.origin, 'rev-parse', 'main'));
    expect(await disabled()).toBe(1);

    // The next night plans the same: the pull request and its branch are left as they are.
    const branchBefore = await git(s.origin, 'rev-parse', 'rollcall/review');
    const same = await nightlyRun();
    expect(same.code, fail(same)).toBe(0);
    expect(same.outputs.checksum).toBe(r.outputs.checksum);
    expect(await git(s.origin, 'rev-parse', 'rollcall/review')).toBe(branchBefore);
    expect(gh.requests.some((q) => q.method === 'PATCH' && q.path.endsWith(`/pulls/${reviewNumber}`))).toBe(false);

    // Another pupil leaves: a new plan, the same pull request updated in place with it.
    await writeMis(s, students().slice(0, 7));
    const next = await nightlyRun();
    expect(next.code, fail(next)).toBe(0);
    expect(next.outputs.checksum).not.toBe(r.outputs.checksum);
    expect(Number(next.outputs['review-pull-request'])).toBe(reviewNumber);
    expect(gh.pulls.filter((p) => p.head.ref === 'rollcall/review')).toHaveLength(1);
    expect(gh.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/pulls'))).toHaveLength(1);
    expect(gh.requests.some((q) => q.method === 'PATCH' && q.path.endsWith(`/pulls/${reviewNumber}`))).toBe(true);
    expect(gh.pulls.find((p) => p.number === reviewNumber)!.body).toContain(`checksum=${next.outputs.checksum}`);
    expect((await approval()).checksum).toBe(next.outputs.checksum);
    reviewChecksum = next.outputs.checksum;
    expect(await disabled()).toBe(1);
  });

  it('merging the review pull request applies exactly that plan', async () => {
    await git(s.workspace, 'checkout', '-q', 'main');
    await git(s.workspace, 'fetch', '-q', 'origin', 'rollcall/review');
    await git(s.workspace, 'merge', '-q', '--no-ff', '-m', `Merge pull request #${reviewNumber}`, 'FETCH_HEAD');
    await git(s.workspace, 'push', '-q', 'origin', 'main');
    const sha = await git(s.workspace, 'rev-parse', 'HEAD');
    Object.assign(gh.pulls.find((p) => p.number === reviewNumber)!, { state: 'closed', merged_at: new Date().toISOString(), merge_commit_sha: sha });
    gh.commitPulls.set(sha, [reviewNumber]);
    const r = await mergeRun(sha);
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.checksum).toBe(reviewChecksum);
    expect(r.outputs.applied).toBe('true');
    expect(await disabled()).toBe(7);
    const said = gh.comments.get(reviewNumber)!.find((c) => c.body.includes('rollcall:merge'));
    expect(said?.body).toContain('approved in the review pull request');
  });

  it('a review pull request whose plan is overtaken (a later night applies within the limits) is closed with a note', async () => {
    await writeMis(s, students().slice(0, 12));
    const blocked = await nightlyRun();
    expect(blocked.code, fail(blocked)).toBe(0);
    expect(blocked.outputs.blocked).toBe('true');
    const number = Number(blocked.outputs['review-pull-request']);
    expect(number).not.toBe(reviewNumber);
    expect(gh.pulls.find((p) => p.number === number)!.state).toBe('open');

    await writeMis(s, students().slice(0, 8));
    const applied = await nightlyRun();
    expect(applied.code, fail(applied)).toBe(0);
    expect(applied.outputs.applied).toBe('true');
    expect(await disabled()).toBe(8);
    expect(gh.pulls.find((p) => p.number === number)!.state).toBe('closed');
    expect(gh.comments.get(number)![0].body).toContain('no longer needed');
  });
  it('a nightly run blocked by a configuration problem opens no review pull request: the run fails saying to fix the configuration', async () => {
    await git(s.workspace, 'checkout', '-q', 'main');
    // Classes on a tenant without Education: no approval can make that plan work, so a review pull request would
    // ask people to approve something that cannot be applied.
    await commitConfig(s, configText(s, { extra: 'classes: {}\n' }), 'classes on a tenant without Education');
    await git(s.workspace, 'push', '-q', 'origin', 'main');
    await writeMis(s, students().slice(0, 12));
    const pullsBefore = gh.pulls.length;
    const r = await nightlyRun();
    expect(r.code).not.toBe(0);
    expect(r.outputs.applied).toBe('false');
    expect(r.outputs.blocked).toBe('true');
    expect(r.outputs['review-pull-request']).toBeUndefined();
    expect(gh.pulls).toHaveLength(pullsBefore);
    expect(r.stdout).toMatch(/::error::.*configuration problem that no approval lets through.*Fix the configuration/);
  });
});
