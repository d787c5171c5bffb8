// A 108,000-person trust's nightly run with nothing to change (issue 17.2): the cold run (a full read of the tenant,
// keeping the delta state, as the first night does) and the warm run that follows it (only what changed since: here
// nothing), each in a fresh process.
// The emulator is seeded with the tenant a first sync of plan100k's trust leaves (bench/lib/nightly100k-prepare.mjs),
// answers every request after 100 ms of model time and applies Graph's read limits (resource units per app per
// tenant per 10 s, the large-tenant tier for > 500 users); rollcall reads the MIS (CSV) and the tenant over HTTPS
// through the real Graph client and plans, in its own process (bench/lib/nightly100k-measure.mjs) so that its peak
// RSS is its own. Figures in unscaled seconds: the tenant read's wall × timeScale (the MIS read and the plan are
// local work and are not scaled).
import { execFile } from 'node:child_process';
import { copyFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '../../.kit/src/tenant/emulator/index.js';

export const name = 'nightly100k';
const here = path.dirname(fileURLToPath(import.meta.url));
const run$ = promisify(execFile);
export const TIME_SCALE = Number(process.env.ROLLCALL_BENCH_NIGHTLY_TIME_SCALE ?? 1);
export const LATENCY_MS = Number(process.env.ROLLCALL_BENCH_LATENCY_MS ?? 100);
const round = (x, d = 1) => Number(x.toFixed(d));

// ROLLCALL_BENCH_PROF=<dir>: the rollcall process writes a CPU profile there (where its time goes).
async function node(script, args, prof = false) {
  const flags = prof && process.env.ROLLCALL_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.ROLLCALL_BENCH_PROF] : [];
  const { stdout } = await run$(process.execPath, ['--max-old-space-size=4096', ...flags, path.join(here, '../lib', script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

export async function run() {
  const dir = path.join(os.tmpdir(), 'rollcall-bench-nightly100k');
  // ROLLCALL_BENCH_REUSE=1 keeps a trust prepared by an earlier run (preparing takes minutes).
  const reuse = process.env.ROLLCALL_BENCH_REUSE === '1' && (await stat(path.join(dir, 'tenant.json')).catch(() => null));
  const data = reuse ? null : await node('nightly100k-prepare.mjs', [dir]);
  const statePath = path.join(dir, 'tenant-run.json');
  await copyFile(path.join(dir, 'tenant.json'), statePath);
  const real = LATENCY_MS / TIME_SCALE;
  const emu = await startEmulator({ statePath, domains: ['trust.example', 'students.trust.example'], throttle: { timeScale: TIME_SCALE }, faults: { seed: 1, rate: 0, latencyMs: [real, real] } });
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, emu.ca);
  const deltaFile = path.join(dir, 'delta-state.json');
  await rm(deltaFile, { force: true });
  const once = async () => {
    emu.resetCounts();
    const m = await node('nightly100k-measure.mjs', [dir, emu.url, caFile, String(TIME_SCALE), deltaFile], true);
    const c = emu.counts();
    const operations = c.total - (c.byKind['POST $batch'] ?? 0) + c.batchInner;
    const tenantSeconds = m.tenantSeconds * TIME_SCALE;
    return {
      // Wall of the run unscaled: the MIS and the tenant are read side by side, then the plan.
      wallSeconds: round(Math.max(tenantSeconds, m.rosterSeconds) + m.planSeconds),
      tenantReadSeconds: round(tenantSeconds), misReadSeconds: m.rosterSeconds, planSeconds: m.planSeconds, cpuSeconds: m.cpuSeconds,
      requests: c.total, operations, throttled: c.throttled, byKind: c.byKind,
      peakRssMB: m.peakRssMB, changes: m.changes, blocked: m.blocked, changeKinds: m.changeKinds,
      tenantUsers: m.users, tenantGroups: m.groups, memberships: m.memberships,
    };
  };
  try {
    const cold = await once();
    const warm = await once();
    const { tenantUsers, tenantGroups, memberships, ...coldFigures } = cold;
    const { tenantUsers: _u, tenantGroups: _g, memberships: _m, ...warmFigures } = warm;
    return {
      timeScale: TIME_SCALE, latencyMs: LATENCY_MS,
      tenantUsers, tenantGroups, memberships, ...(data ? { people: data.people } : {}),
      ...coldFigures,
      warm: warmFigures,
      targetWallSeconds: 60,
    };
  } finally {
    await emu.stop();
  }
}
