// A 100,000-pupil trust's first sync into the local tenant (the plan100k trust: 108,000 accounts, 20,900 groups,
// 683,000 memberships), and the same at 10,000 pupils: planned against the empty tenant and applied as
// `rollcall apply` does with tenant.local (the emulator in-process with its state file, the real Graph client over
// HTTPS, the journal and progress), with quotas and latency off. Each size runs in a child process of its own, so
// its peak RSS is its own. Figures: changes, wall and CPU seconds of the apply, wall ms per change, and
// perChangeRatio = per-change wall at 100k ÷ at 10k (1 when the apply is linear; target ≤ 1.5).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'apply100k';
const here = path.dirname(fileURLToPath(import.meta.url));

/** Pupils at each size; ROLLCALL_BENCH_APPLY_SIZES=2000,20000 runs others (a quick look, not the figure). */
const [SMALL, LARGE] = (process.env.ROLLCALL_BENCH_APPLY_SIZES ?? '10000,100000').split(',').map(Number);

function measure(students) {
  const dir = path.join(os.tmpdir(), `rollcall-bench-apply-${students}`);
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', path.join(here, '../lib/apply100k-measure.mjs'), String(students), dir], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out);
}

export async function run() {
  const small = measure(SMALL);
  const large = measure(LARGE);
  const ratio = (a, b) => +(a / b).toFixed(2);
  return {
    ...pick(large), at10k: pick(small), students: LARGE, smallStudents: SMALL,
    perChangeRatio: ratio(large.perChangeMs, small.perChangeMs),
    // The same on CPU time: what to compare when other work shares the cores and stretches the wall.
    cpuPerChangeRatio: ratio(large.cpuSeconds / large.changes, small.cpuSeconds / small.changes),
    targetPerChangeRatio: 1.5,
  };
}

const pick = (m) => ({
  people: m.people, changes: m.changes, failed: m.failed, requests: m.requests,
  wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, perChangeMs: m.perChangeMs, peakRssMB: m.peakRssMB,
});
