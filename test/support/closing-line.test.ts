// The closing line counts a file that fails to load (no test of it ever runs) as a failure: runs vitest on a
// scratch folder holding one passing file and one that throws at import.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from './shared.js';

let dir = '';
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

it('counts a test file that fails to load as one failure', async () => {
  // Inside the repository (.tmp/ is ignored) so the scratch files resolve vitest from node_modules.
  await mkdir(path.join(REPO_ROOT, '.tmp'), { recursive: true });
  dir = await mkdtemp(path.join(REPO_ROOT, '.tmp', 'closing-line-'));
  await mkdir(path.join(dir, 'test'));
  await writeFile(path.join(dir, 'test/ok.test.ts'), "import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n");
  await writeFile(path.join(dir, 'test/broken.test.ts'), "import { it } from 'vitest';\nthrow new Error('this file fails to load');\nit('never runs', () => {});\n");
  const vitest = path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs');
  const reporter = path.join(REPO_ROOT, 'test/closing-line.reporter.ts');
  const run = await promisify(execFile)(process.execPath, [vitest, 'run', '--root', dir, `--reporter=${reporter}`], { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' } })
    .then((r) => ({ code: 0, stdout: r.stdout }), (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }));
  expect(run.code).not.toBe(0);
  expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
});
