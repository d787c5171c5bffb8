// Public reference data (Microsoft's SDS samples and CSDL, documented Graph examples, the real Bromcom files) lives
// in ../shared beside the repository and is never committed. Tests that read it run where it is (CI always has it)
// and skip with the reason where it is not, so `npm test` passes on a fresh clone. `.ci/run` sets
// ROLLCALL_REQUIRE_SHARED=1, which turns a missing file into a failure instead of a skip.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED_ROOT = path.resolve(REPO_ROOT, '../shared');

/** The absolute path of `rel` under ../shared. */
export const sharedPath = (rel: string) => path.join(SHARED_ROOT, rel);

export const sharedRequired = (env: NodeJS.ProcessEnv = process.env) => env.ROLLCALL_REQUIRE_SHARED === '1';

/** Why tests of `rel` cannot run here, or undefined when they can (or must, and then they fail on their own). */
export function sharedSkipReason(rel: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(sharedPath(rel)) || sharedRequired(env)) return undefined;
  return `skipped: ../shared/${rel} is not beside the repository (CI always has ../shared: it sets ROLLCALL_REQUIRE_SHARED=1 and runs this)`;
}

/**
 * `describe` for tests that read `rel` under ../shared: skipped with a stated reason where it is absent, unless
 * ROLLCALL_REQUIRE_SHARED=1, where the tests run and fail on the missing file.
 */
export function describeShared(name: string, rel: string, fn: () => void | Promise<void>): void {
  const why = sharedSkipReason(rel);
  if (why) {
    // The reason is printed once per suite, so a run without ../shared says what it did not check.
    process.stdout.write(`${name}: ${why}\n`);
    describe.skip(`${name} (${why})`, fn);
    return;
  }
  describe(name, fn);
}
