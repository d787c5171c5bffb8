import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: emulator-backed suites contend for CPU, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/closing-line.reporter.ts'],
  },
});
