// The fixtures copied from ../shared (our own data) stay in step with it, and the skip rule for public reference
// data says why it skips and never skips where CI requires the data.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeShared, REPO_ROOT, sharedPath, sharedSkipReason } from './shared.js';

describe('sharedSkipReason', () => {
  it('names the missing file and how CI runs it', () => {
    const why = sharedSkipReason('reference/no-such-file.json', {});
    expect(why).toMatch(/\.\.\/shared\/reference\/no-such-file\.json is not beside the repository/);
    expect(why).toMatch(/ROLLCALL_REQUIRE_SHARED=1/);
  });

  it('never skips when ROLLCALL_REQUIRE_SHARED=1 (the test then fails on the missing file)', () => {
    expect(sharedSkipReason('reference/no-such-file.json', { ROLLCALL_REQUIRE_SHARED: '1' })).toBeUndefined();
  });
});

const COPIES: [fixture: string, shared: string][] = [
  ['test/fixtures/conformance/usernames.csv', 'conformance/usernames.csv'],
  ['test/fixtures/config/rollcall.example.yaml', 'design/rollcall.example.yaml'],
];

for (const [fixture, shared] of COPIES) {
  describeShared(`${fixture} (our own copy of ../shared/${shared})`, shared, () => {
    it('is the same as ../shared', async () => {
      expect(await readFile(path.join(REPO_ROOT, fixture), 'utf8')).toBe(await readFile(sharedPath(shared), 'utf8'));
    });
  });
}
