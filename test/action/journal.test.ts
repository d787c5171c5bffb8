// End to end, through dist/index.js as GitHub runs it, on schedule payloads: the nightly run that applies names its
// journal in `journal-file` (the workflow uploads it), adds it to the rollcall/journal branch with
// `report.journal: branch` (the git data API of the fake GitHub), masked as the repository allows; the next night
// has nothing to change and still mails the summary, which the local tenant's outbox shows.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { commitConfig, configText, git, installAction, loadWorkflow, makeSchool, REPO_ROOT, runAction, tenantUsers, type School } from './harness.js';

const TOKEN = 'ghs_e2etoken2222222222222222';
const repository = { full_name: 'school/it', private: true, visibility: 'private', default_branch: 'main' };
let dir: string;
let actionDir: string;
const gh = new FakeGitHub();
let s: School;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-'));
  actionDir = await installAction(dir);
  await gh.start();
  s = await makeSchool({ students: 16, seed: 13, config: { personalData: 'masked' } });
});

afterAll(async () => {
  await gh.stop();
  await rm(dir, { recursive: true, force: true });
  if (s) await rm(s.root, { recursive: true, force: true });
});

const config = (report: string) => configText(s, { personalData: 'masked' }).replace('report:\n', `report:\n${report}`);

async function nightly() {
  await git(s.workspace, 'push', '-q', 'origin', 'main');
  const wf = await loadWorkflow('rollcall-nightly.yml', { 'github.token': TOKEN });
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  return runAction({ actionDir, school: s, api: gh.url, event: 'schedule', payload: { schedule: '17 2 * * *', repository }, inputs: wf.with, sha, ref: 'refs/heads/main', token: TOKEN });
}

const rollcall = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/rollcall.js'), ...args], { cwd: s.workspace, encoding: 'utf8' });
const legalNames = () => [...new Set(s.school.people.flatMap((p) => [p.legal.first, p.legal.last]).filter((n) => n.length > 3))];
const fail = (r: { code: number; stdout: string; stderr: string }) => `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;

describe('the scheduled action\'s journal and summary mail', () => {
  it('an applying night writes the journal artifact and adds it to the rollcall/journal branch, masked', async () => {
    await commitConfig(s, config('  journal: branch\n'), 'keep the journal on a branch');
    const r = await nightly();
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.applied).toBe('true');
    const file = r.outputs['journal-file'];
    expect(file).toMatch(/rollcall-journal-rollcall\.jsonl$/);
    const text = await readFile(file, 'utf8');
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { run: string; config: string; kind: string; action: string; status: string; subject: { person?: string; displayName?: string } });
    const managed = (await tenantUsers(s))!.filter((u) => u.employeeId);
    expect(lines.filter((l) => l.kind === 'user' && l.action === 'create')).toHaveLength(managed.length);
    expect(lines.every((l) => l.run === '4242' && l.config === 'rollcall.yaml' && l.status === 'done')).toBe(true);
    // report.personalData masked: MIS ids, no names, in the artifact and so on the branch.
    expect(lines.some((l) => l.subject.person?.startsWith('student:'))).toBe(true);
    expect(legalNames().filter((n) => text.includes(n))).toEqual([]);

    const files = gh.branchFiles('rollcall/journal');
    expect([...files.keys()]).toEqual([expect.stringMatching(/^journal\/rollcall\/\d{4}-\d{2}\/\d{8}T\d{6}Z-run4242\.jsonl$/)]);
    expect([...files.values()][0]).toBe(text);
    expect(gh.branchLog('rollcall/journal')).toMatchObject([{ message: 'rollcall: journal of run 4242 for rollcall.yaml', parents: [] }]);

    // A checkout of the branch is what rollcall history --journal reads.
    const checkout = path.join(s.root, 'journal-checkout');
    for (const [name, content] of files) {
      await mkdir(path.dirname(path.join(checkout, name)), { recursive: true });
      await writeFile(path.join(checkout, name), content);
    }
    const pupil = lines.find((l) => l.kind === 'user' && l.subject.person?.startsWith('student:'))!.subject.person!;
    const h = rollcall('history', '--journal', checkout, '--person', pupil);
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toMatch(new RegExp(`done    create user\\s+••• <\\S+•••@students\\.e2e\\.example> \\(${pupil}, Y\\d+\\)`));
  }, 180_000);

  it('a quiet night applies nothing, writes no journal, and still sends the summary mail (report.summaryWhen: always)', async () => {
    const sender = (await tenantUsers(s))!.find((u) => u.employeeId?.includes(':t'))!.userPrincipalName;
    await commitConfig(s, config(`  journal: branch\n  summaryTo: it.lead@e2e.example\n  summaryFrom: ${sender}\n`), 'mail the IT lead');
    const r = await nightly();
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.applied).toBe('false');
    expect(r.outputs['has-changes']).toBe('false');
    expect(r.outputs['journal-file']).toBeUndefined();
    expect(r.stdout).toContain('summary mail sent to 1 recipient(s)');
    expect(gh.branchLog('rollcall/journal')).toHaveLength(1);

    const outbox = rollcall('outbox', '--state', s.tenantFile, '--last', '1');
    expect(outbox.status, outbox.stderr).toBe(0);
    expect(outbox.stdout).toContain(`From:    ${sender}`);
    expect(outbox.stdout).toContain('To:      it.lead@e2e.example');
    expect(outbox.stdout).toContain('Subject: rollcall for E2E Academy: nothing to change');
    expect(outbox.stdout).toContain('the tenant is in step with the MIS; nothing to change.');
    // The config's own tenant.local finds the same outbox.
    expect(rollcall('outbox', '--last', '1').stdout).toBe(outbox.stdout);
  }, 180_000);

  it('with report.summaryWhen: changes, a quiet night sends none', async () => {
    const sender = (await tenantUsers(s))!.find((u) => u.employeeId?.includes(':t'))!.userPrincipalName;
    await commitConfig(s, config(`  summaryTo: it.lead@e2e.example\n  summaryFrom: ${sender}\n  summaryWhen: changes\n`), 'mail only changes');
    const before = JSON.parse(rollcall('outbox', '--state', s.tenantFile, '--format', 'json').stdout) as unknown[];
    const r = await nightly();
    expect(r.code, fail(r)).toBe(0);
    expect(r.stdout).not.toContain('summary mail sent');
    expect(JSON.parse(rollcall('outbox', '--state', s.tenantFile, '--format', 'json').stdout)).toHaveLength(before.length);
  }, 180_000);
});
