// Plan for a synthetic 100,000-pupil trust against a tenant that already matches it (a nightly run's work).
// Target: ≤ 3 s and ≤ 600 MB on a 2-core machine. Prepared and measured in separate processes so the peak RSS is
// that of planning (with the roster and snapshot loaded), not of generating the test data. The data passes between
// them with v8.serialize (rollcall reads rosters from CSV or SOAP, never JSON): peakRssMB is the measuring process's
// whole peak, loading included; loadPeakRssMB is its peak once loaded, so planning's own part is the difference.
// Prepared once, then measured in ROLLCALL_BENCH_RUNS fresh processes (runs.mjs): wall, CPU and load times are the
// runs' medians, the peaks their largest, every run listed.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repeat, summarise } from '../lib/runs.mjs';

export const name = 'plan100k';
const here = path.dirname(fileURLToPath(import.meta.url));

export async function run() {
  const dir = path.join(os.tmpdir(), 'rollcall-bench-plan100k');
  const node = (script) => JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=4096', path.join(here, '../lib', script), dir], { encoding: 'utf8', maxBuffer: 1 << 20 }));
  const data = node('plan100k-prepare.mjs');
  const m = summarise(await repeat(() => node('plan100k-measure.mjs')), { medianOf: ['wallSeconds', 'cpuSeconds', 'loadSeconds'], maxOf: ['peakRssMB', 'loadPeakRssMB'], targetWallSeconds: 3 });
  return { ...m, people: data.people, groups: data.groups, memberships: data.memberships, tenantUsers: data.tenantUsers, tenantGroups: data.tenantGroups, targetPeakRssMB: 600 };
}
