// Ends a run with one plain line, "N passed, N failed", that any CI reads the same way whatever the runner.
// A file that fails before its tests run (an import that throws, a syntax error) has no failed test to count, so it
// counts as one failure itself; so does an error outside any test (an unhandled rejection).
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

export interface Tally { passed: number; failed: number; skipped: number }

export function tally(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0 };
  for (const m of testModules) {
    let failedHere = 0;
    for (const test of m.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') t.passed++;
      else if (state === 'failed') { t.failed++; failedHere++; }
      else t.skipped++;
    }
    if (failedHere === 0 && (m.state() === 'failed' || m.errors().length > 0)) t.failed++;
  }
  t.failed += unhandledErrors.length;
  return t;
}

export default class ClosingLine implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { passed, failed, skipped } = tally(testModules, unhandledErrors);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
