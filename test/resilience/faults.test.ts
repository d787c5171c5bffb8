// 5 % injected faults (issue 8): a synthetic school applied through the Graph emulator while one request in twenty
// fails (429 with and without Retry-After, 503, connection resets and timeouts, the last two before or after the
// write happened). The apply converges in a bounded number of runs, the next plan is empty, and the tenant holds
// each account, group, class, team and event exactly once.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { cliEnv, duplicatesIn, managedCounts, NO_DUPLICATES, planSummary, rollcall, schoolYaml, tempDir, writeConfig, writeSynthSchool, type CliResult, type StateShape } from './harness.js';

const RATE = 0.05;
const SEED = 8;
/** Runs of `rollcall apply` allowed to converge: one, and one more for what the faults made fail. */
const MAX_RUNS = 3;
let dir: string;
let emu: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await tempDir('faults');
  await writeSynthSchool(dir, { seed: 23, students: 150 });
  emu = await startEmulator({
    domains: ['faults.example', 'students.faults.example'], education: true,
    // Timeouts answer 504 after 1.5 s (the client's own limit is Graph's 100 s; this keeps the run short).
    faults: { seed: SEED, rate: RATE, kinds: ['429', '429-no-retry-after', '503', 'reset', 'timeout'], timeoutMs: 1500, latencyMs: [0, 5] },
  });
  await writeFile(path.join(dir, 'ca.pem'), emu.ca);
  env = cliEnv(path.join(dir, 'ca.pem'));
  await writeConfig(dir, schoolYaml(emu.url, { key: 'fr', domain: 'faults.example', calendarDays: 3 }));
});

afterAll(async () => { await emu?.stop(); });

describe(`apply under ${RATE * 100} % injected faults of every kind`, () => {
  it('converges within a bounded number of runs; the next plan is empty; nothing exists twice', async () => {
    const plan = await rollcall(dir, env, ['plan', '--format', 'json']);
    expect(plan.status).toBe(0);
    const { creates } = planSummary(plan.stdout);
    for (const kind of ['user', 'group', 'class', 'team', 'event']) expect(creates[kind], kind).toBeGreaterThan(5);

    emu.resetCounts();
    const runs: CliResult[] = [];
    while (runs.length < MAX_RUNS) {
      const r = await rollcall(dir, env, ['apply']);
      runs.push(r);
      // A run that ends in failures must say which changes failed, by key, and exit 1; the next run picks them up.
      if (r.status === 0) break;
      expect(r.status, r.stderr.slice(-2000)).toBe(1);
      expect(r.stderr).toMatch(/apply: \d+ done, \d+ skipped, [1-9]\d* failed/);
    }
    const counts = emu.counts();
    console.log(`faults: ${counts.faults} injected in ${counts.total} requests (+${counts.batchInner} inside batches); converged in ${runs.length} run(s): ${runs.map((r) => `exit ${r.status} in ${(r.ms / 1000).toFixed(1)} s, ${/(\d+) failed/.exec(r.stderr)?.[1] ?? '?'} failed`).join('; ')}`);
    expect(runs.at(-1)!.status, runs.at(-1)!.stderr.slice(-2000)).toBe(0);
    expect(runs.at(-1)!.stderr).toMatch(/ 0 failed|nothing to change/);
    // The faults really happened, at about the rate asked for.
    expect(counts.faults).toBeGreaterThan(0.02 * (counts.total + counts.batchInner));

    const again = await rollcall(dir, env, ['plan', '--detailed-exitcode']);
    expect(again.stdout).toContain('no changes');
    expect(again.status).toBe(0);

    const state = emu.state.toJSON() as unknown as StateShape;
    expect(duplicatesIn(state, 'fr')).toEqual(NO_DUPLICATES);
    expect(managedCounts(state, 'fr')).toEqual({
      users: creates.user, groups: creates.group + creates.class, classes: creates.class, teams: creates.team, events: creates.event,
    });
  }, 420_000);
});
