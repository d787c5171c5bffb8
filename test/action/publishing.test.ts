// End to end: what the action publishes on a pull request, through dist/index.js: never names in a public
// repository, a comment that stays under GitHub's limit with the whole plan in the summary, config problems as
// annotations on their lines, and a fork's pull request validated only.
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { commitConfig, configText, git, installAction, loadWorkflow, makeSchool, runAction, tenantUsers, type School } from './harness.js';

const TOKEN = 'ghs_e2etoken1111111111111111';
let dir: string;
let actionDir: string;
const schools: School[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-'));
  actionDir = await installAction(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  for (const s of schools) await rm(s.root, { recursive: true, force: true });
});

async function openPr(s: School, gh: FakeGitHub, number: number, headConfig: string, opts: { fork?: boolean; visibility?: 'public' | 'private'; baseSha?: string } = {}) {
  const base = opts.baseSha ?? await git(s.workspace, 'rev-parse', 'HEAD');
  await git(s.workspace, 'checkout', '-q', '-b', `feature-${number}`);
  const head = await commitConfig(s, headConfig, 'change');
  const wf = await loadWorkflow('rollcall-pull-request.yml', { 'github.token': TOKEN });
  const visibility = opts.visibility ?? 'private';
  gh.repo = { ...gh.repo, visibility, private: visibility === 'private' };
  const headRepo = opts.fork ? { full_name: 'someone/it', fork: true } : { full_name: 'school/it', fork: false };
  const payload = {
    number, repository: { full_name: 'school/it', private: visibility === 'private', visibility, default_branch: 'main' },
    pull_request: { number, labels: [], base: { sha: base, ref: 'main', repo: { full_name: 'school/it' } }, head: { sha: head, ref: `feature-${number}`, repo: headRepo } },
  };
  return runAction({ actionDir, school: s, api: gh.url, event: 'pull_request', payload, inputs: wf.with, sha: head, ref: `refs/pull/${number}/merge`, token: TOKEN });
}

/** Every legal first and last name in the school, as a whole word. */
function nameHits(s: School, text: string): string[] {
  const words = new Set(s.school.people.flatMap((p) => [p.legal.first, p.legal.last]));
  return [...words].filter((w) => new RegExp(`(?<![\\p{L}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'u').test(text));
}
const ADDRESS = /[A-Za-z0-9][A-Za-z0-9.]+@(students\.)?e2e\.example/;

describe('what a pull request run publishes', () => {
  it('a public repository never gets names, though report.personalData is full (a private one does)', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      const priv = await makeSchool({ students: 30, seed: 11, config: { personalData: 'full' } });
      schools.push(priv);
      const r1 = await openPr(priv, gh, 1, configText(priv, { personalData: 'full', staffGroups: ['All Staff', 'Staff Room'] }));
      expect(r1.code, r1.stdout).toBe(0);
      const privateComment = gh.comments.get(1)![0].body;
      expect(nameHits(priv, privateComment).length).toBeGreaterThan(5); // the check below can see names

      const pub = await makeSchool({ students: 30, seed: 11, config: { personalData: 'full' } });
      schools.push(pub);
      const r2 = await openPr(pub, gh, 2, configText(pub, { personalData: 'full', staffGroups: ['All Staff', 'Staff Room'] }), { visibility: 'public' });
      expect(r2.code, r2.stdout).toBe(0);
      const comment = gh.comments.get(2)![0].body;
      const planJson = await readFile(r2.outputs['plan-file'], 'utf8');
      for (const [what, text] of [['comment', comment], ['job summary', r2.summary], ['plan artifact', planJson], ['log', r2.stdout]] as const) {
        expect(nameHits(pub, text), what).toEqual([]);
        expect(text, what).not.toMatch(ADDRESS);
      }
      expect(comment).toContain('Personal data: masked');
      expect(comment).toMatch(/\*\*create\*\* user/); // still a reviewable plan, with masked subjects
    } finally {
      await gh.stop();
    }
  });

  it('a comment that would pass 65,536 characters is cut with a note; the summary has the whole plan', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      const s = await makeSchool({ students: 700, seed: 3, config: { personalData: 'full' } });
      schools.push(s);
      const r = await openPr(s, gh, 3, configText(s, { personalData: 'full', staffGroups: ['All Staff', 'Staff Room'] }));
      expect(r.code, r.stdout).toBe(0);
      const body = gh.comments.get(3)![0].body;
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body.length).toBeGreaterThan(50_000);
      expect(body).toContain('truncated');
      expect(body).toContain('the full plan is in the job summary');
      const creates = (JSON.parse(r.outputs.summary) as Record<string, Record<string, number>>).user.create;
      expect(creates).toBe(s.school.people.length);
      expect(r.summary.match(/\*\*create\*\* user/g)?.length).toBe(creates);
      expect(r.summary).not.toContain('truncated');
    } finally {
      await gh.stop();
    }
  });

  it('config problems become annotations on their file and line, and the comment lists them', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      const s = await makeSchool({ students: 10, seed: 5 });
      schools.push(s);
      const broken = configText(s).replace('"{first:1}{last}@e2e.example"', '"{first:1}{last}@elsewhere.example"');
      const line = broken.split('\n').findIndex((l) => l.includes('elsewhere.example')) + 1;
      const r = await openPr(s, gh, 4, broken);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`::error title=rollcall%3A users\\.staff\\.userPrincipalName,file=rollcall\\.yaml,line=${line},col=\\d+::domain elsewhere\\.example is not in tenant\\.domains`));
      const body = gh.comments.get(4)![0].body;
      expect(body).toContain('The configuration does not load');
      expect(body).toContain(`rollcall.yaml:${line}:`);
      expect(await tenantUsers(s)).toBeUndefined();
    } finally {
      await gh.stop();
    }
  });

  it('a plan that cannot be made (the MIS export is gone) fails the step and the comment says so', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      const s = await makeSchool({ students: 10, seed: 8 });
      schools.push(s);
      await rm(s.misDir, { recursive: true, force: true });
      const r = await openPr(s, gh, 7, configText(s, { staffGroups: ['All Staff', 'Library'] }));
      expect(r.code).toBe(1);
      const body = gh.comments.get(7)![0].body;
      expect(body).toContain('rollcall could not plan');
      expect(body).toContain('checksum=none');
    } finally {
      await gh.stop();
    }
  });

  it('a base commit git cannot read: validated only (its connection is unknown), and the comment says why', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      const s = await makeSchool({ students: 10, seed: 12 });
      schools.push(s);
      const r = await openPr(s, gh, 8, configText(s, { staffGroups: ['All Staff', 'Library'] }), { baseSha: 'f'.repeat(40) });
      expect(r.code, r.stdout).toBe(0);
      const body = gh.comments.get(8)![0].body;
      expect(body).toContain('could not read the base branch');
      expect(body).toContain('Validated only');
      expect(r.outputs.checksum).toBeUndefined();
      expect(await tenantUsers(s)).toBeUndefined(); // nothing read with a connection the base branch did not name
    } finally {
      await gh.stop();
    }
  });

  it("a fork's pull request is validated only, and the comment says so", async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      const s = await makeSchool({ students: 10, seed: 6 });
      schools.push(s);
      const r = await openPr(s, gh, 5, configText(s, { staffGroups: ['All Staff', 'Staff Room'] }), { fork: true });
      expect(r.code, r.stdout).toBe(0);
      expect(gh.comments.get(5)![0].body).toContain('Validated only');
      expect(r.outputs.checksum).toBeUndefined();
      // Neither the MIS nor the tenant was read: the local tenant never started.
      expect(await tenantUsers(s)).toBeUndefined();
      expect(r.stdout).not.toContain('tenant: local emulator');

      // With the read-only token a fork really gets, the run still passes and says where to look.
      gh.denyWrites = true;
      await git(s.workspace, 'checkout', '-q', 'main');
      const r2 = await openPr(s, gh, 6, configText(s, { staffGroups: ['All Staff', 'Library'] }), { fork: true });
      expect(r2.code, r2.stdout).toBe(0);
      expect(r2.stdout).toContain('::warning::could not comment on pull request #6 (403)');
    } finally {
      await gh.stop();
    }
  });
});
