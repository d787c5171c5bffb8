// End to end: the explicit modes, which do what the CLI commands of the same names do; and the destructive label
// against the fake API (added while the plan is destructive, removed after, a missing label no error).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESTRUCTIVE_LABEL, setLabel } from '../../src/github/labels.js';
import { gitHub } from '../../src/github/octokit.js';
import { FakeGitHub } from './fake-github.js';
import { git, installAction, makeSchool, runAction, tenantUsers, writeMis, type School } from './harness.js';

let dir: string;
let actionDir: string;
let s: School;
const gh = new FakeGitHub();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-'));
  actionDir = await installAction(dir);
  await gh.start();
  s = await makeSchool({ students: 20, seed: 9, config: { personalData: 'masked', maxSuspensions: 1 } });
});

afterAll(async () => {
  await gh.stop();
  await rm(dir, { recursive: true, force: true });
  if (s) await rm(s.root, { recursive: true, force: true });
});

const dispatch = async (inputs: Record<string, string>) => {
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  return runAction({ actionDir, school: s, api: gh.url, event: 'workflow_dispatch', payload: { repository: { full_name: 'school/it', private: true, default_branch: 'main' } }, inputs, sha, ref: 'refs/heads/main' });
};
const count = async (enabled: boolean) => (await tenantUsers(s))?.filter((u) => u.accountEnabled === enabled && u.employeeId).length ?? 0;

describe('explicit modes', () => {
  it('validate checks the config and reads nothing', async () => {
    const r = await dispatch({ mode: 'validate' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('rollcall.yaml: valid');
    expect(await tenantUsers(s)).toBeUndefined();
  });

  it('check does what rollcall check does: names each missing permission, fails the step, writes nothing', async () => {
    const ok = await dispatch({ mode: 'check' });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('Microsoft Graph (the local tenant): signed in');
    expect(ok.stdout).toContain('Nothing is missing.');
    expect(ok.outputs.missing).toBe('0');

    const file = path.join(s.workspace, 'rollcall.yaml');
    const config = await readFile(file, 'utf8');
    const local = /local: \{ state: ("[^"]*") \}/.exec(config);
    expect(local).not.toBeNull();
    await writeFile(file, config.replace(local![0], `local: { state: ${local![1]}, permissions: [User.ReadWrite.All, Group.ReadWrite.All] }`));
    await git(s.workspace, 'commit', '-q', '-am', 'fewer permissions');
    try {
      const missing = await dispatch({ mode: 'check' });
      expect(missing.code).toBe(1);
      expect(missing.outputs.missing).toBe('1');
      expect(missing.stdout).toMatch(/MISSING {2}User-LifeCycleInfo\.ReadWrite\.All {2}\(recording leavers' leave date/);
      expect(missing.stdout).toContain('rollcall.yaml: 1 thing(s) missing for this configuration to run');
    } finally {
      await writeFile(file, config);
      await git(s.workspace, 'commit', '-q', '-am', 'all permissions again');
    }
    expect(await tenantUsers(s).then((u) => u?.length ?? 0)).toBe(0);
  });

  it('plan writes nothing; apply applies; a blocked plan needs approve set to its checksum', async () => {
    const plan = await dispatch({ mode: 'plan' });
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.outputs['has-changes']).toBe('true');
    expect(plan.outputs.applied).toBe('false');
    expect(await count(true)).toBe(0);

    const apply = await dispatch({ mode: 'apply' });
    expect(apply.code, apply.stdout).toBe(0);
    expect(apply.outputs.applied).toBe('true');
    expect(await count(true)).toBe(s.school.people.length);

    // Three leave; the limit is one suspension: blocked, nothing written, the checksum named.
    const left = s.school.people.filter((p) => p.kind === 'student').slice(0, 3).map((p) => p.id);
    await writeMis(s, left);
    const blocked = await dispatch({ mode: 'apply' });
    expect(blocked.code).toBe(1);
    expect(blocked.outputs.blocked).toBe('true');
    expect(blocked.stdout).toContain(`approve: ${blocked.outputs.checksum}`);
    expect(await count(false)).toBe(0);

    const approved = await dispatch({ mode: 'apply', approve: blocked.outputs.checksum });
    expect(approved.code, approved.stdout).toBe(0);
    expect(approved.outputs.applied).toBe('true');
    expect(await count(false)).toBe(3);
  });

  it('an unknown mode fails the step and says which modes there are', async () => {
    const r = await dispatch({ mode: 'destroy' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('input mode must be one of auto, validate, check, plan, apply');
  });
});

describe('the end of a run', () => {
  it('a failed MIS read fails the step, and the process ends by itself (no forced exit)', async () => {
    // process.exit made a no-op that says it was called: the run must end because nothing is left to do, not
    // because a timer forced it (one left behind would hold a real job until its six-hour timeout).
    const guard = path.join(dir, 'exit-guard.cjs');
    await writeFile(guard, "process.exit = (code) => { process.stderr.write('exit-guard: process.exit(' + code + ') called\\n'); };\n");
    const broken = await makeSchool({ students: 20, seed: 9, config: { source: `{ oneroster: { dir: ${JSON.stringify(path.join(dir, 'no-such-export'))} } }` } });
    try {
      const sha = await git(broken.workspace, 'rev-parse', 'HEAD');
      const started = performance.now();
      const r = await runAction({
        actionDir, school: broken, api: gh.url, event: 'workflow_dispatch', payload: { repository: { full_name: 'school/it', private: true, default_branch: 'main' } },
        inputs: { mode: 'plan' }, sha, ref: 'refs/heads/main', env: { NODE_OPTIONS: `--require ${guard}` },
      });
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toContain('no-such-export');
      expect(r.stderr).not.toContain('exit-guard');
      expect(performance.now() - started).toBeLessThan(20_000);
      expect((await tenantUsers(broken)) ?? []).toHaveLength(0);
    } finally {
      await rm(broken.root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the destructive label', () => {
  it('is added once, removed when the plan no longer destroys anything, and a missing label is no error', async () => {
    const client = gitHub({ token: 't', apiUrl: gh.url, retryAfterBaseValue: 1 });
    const repo = { owner: 'school', repo: 'it' };
    await setLabel(client, repo, 9, DESTRUCTIVE_LABEL, true);
    expect(gh.labels.get(9)?.has(DESTRUCTIVE_LABEL)).toBe(true);
    const before = gh.requests.length;
    await setLabel(client, repo, 9, DESTRUCTIVE_LABEL, true, [DESTRUCTIVE_LABEL]);
    expect(gh.requests.length).toBe(before); // already there: no call
    await setLabel(client, repo, 9, DESTRUCTIVE_LABEL, false);
    expect(gh.labels.get(9)?.has(DESTRUCTIVE_LABEL)).toBe(false);
    await expect(setLabel(client, repo, 9, DESTRUCTIVE_LABEL, false)).resolves.toBeUndefined();
  });
});
