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
});
