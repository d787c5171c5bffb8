// README's workflows are the ones the end-to-end tests run, and they ask for the least they need.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './harness.js';

const read = (rel: string) => readFile(path.join(REPO_ROOT, rel), 'utf8');

describe('example workflows and README', () => {
  it('README embeds the pull request workflow verbatim and names every example workflow', async () => {
    const readme = await read('README.md');
    const section = readme.slice(readme.indexOf('## GitHub Action'), readme.indexOf('## The configuration'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(await read('examples/workflows/rollcall-pull-request.yml'));
    for (const f of await readdir(path.join(REPO_ROOT, 'examples/workflows'))) expect(section).toContain(f);
  });

  it('README mirrors action.yml: every input and output is in its tables', async () => {
    const action = parse(await read('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    const readme = await read('README.md');
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(readme).toContain(`| \`${name}\` |`);
  });

  it('each workflow asks for the least it needs; only the nightly run may push', async () => {
    const expected: Record<string, Record<string, string>> = {
      'rollcall-pull-request.yml': { contents: 'read', 'pull-requests': 'write', 'id-token': 'write' },
      'rollcall-merge.yml': { contents: 'read', 'pull-requests': 'write', 'id-token': 'write' },
      'rollcall-nightly.yml': { contents: 'write', 'pull-requests': 'write', 'id-token': 'write' },
      'rollcall-trust-nightly.yml': { contents: 'write', 'pull-requests': 'write', 'id-token': 'write' },
    };
    for (const [file, permissions] of Object.entries(expected)) {
      const wf = parse(await read(`examples/workflows/${file}`)) as { permissions: Record<string, string>; concurrency: { group: string; 'cancel-in-progress': boolean }; jobs: Record<string, { steps: { id?: string; uses?: string }[] }> };
      expect(wf.permissions, file).toEqual(permissions);
      const step = Object.values(wf.jobs)[0].steps.find((s) => s.id === 'rollcall');
      expect(step?.uses, file).toMatch(/rollcall@/);
      if (file !== 'rollcall-pull-request.yml') {
        // Runs that write to the tenant: one at a time per tenant, never cancelled half-way.
        expect(wf.concurrency.group, file).toContain('rollcall-tenant-');
        expect(wf.concurrency['cancel-in-progress'], file).toBe(false);
      }
    }
  });

  it('follows the two-app model: the pull request signs in as the read-only app, apply runs as the write app in an environment', async () => {
    type Step = { id?: string; with?: Record<string, string> };
    type Job = { environment?: string | { name: string }; steps: Step[] };
    const load = async (file: string) => {
      const wf = parse(await read(`examples/workflows/${file}`)) as { jobs: Record<string, Job> };
      const job = Object.values(wf.jobs)[0];
      return { job, step: job.steps.find((s) => s.id === 'rollcall')! };
    };
    const pr = await load('rollcall-pull-request.yml');
    expect(pr.job.environment).toBeUndefined(); // the write app is federated to the environment only
    expect(pr.step.with?.['read-client-id']).toMatch(/^\$\{\{ vars\.\w+ \}\}$/);
    const markerKey = pr.step.with?.['marker-key'];
    expect(markerKey).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    for (const file of ['rollcall-merge.yml', 'rollcall-nightly.yml', 'rollcall-trust-nightly.yml']) {
      const { job, step } = await load(file);
      expect(job.environment, file).toBe('rollcall-apply');
      expect(step.with?.['read-client-id'], file).toBeUndefined();
      expect(step.with?.['marker-key'], file).toBe(markerKey); // the merge must hash as the pull request did
    }
    const readme = await read('README.md');
    const section = readme.slice(readme.indexOf('### Setting it up'), readme.indexOf('The pull request workflow'));
    for (const p of ['User.Read.All', 'Group.Read.All', 'EduRoster.Read.All', 'Calendars.Read', 'User-LifeCycleInfo.Read.All']) expect(section).toContain(`| \`${p}\` | read |`);
    for (const p of ['User.ReadWrite.All', 'Group.ReadWrite.All', 'EduRoster.ReadWrite.All', 'Calendars.ReadWrite', 'User-LifeCycleInfo.ReadWrite.All', 'Mail.Send']) expect(section).toContain(`| \`${p}\` | write |`);
    expect(section).toContain('repo:ORG/REPO:pull_request');
    expect(section).toContain('repo:ORG/REPO:environment:rollcall-apply');
    expect(section).toContain('application access policy');
  });
});
