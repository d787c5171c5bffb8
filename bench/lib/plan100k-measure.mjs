// Loads the trust's roster and matching snapshot and plans once: the figures are this process's. The data is read
// with v8.deserialize (plan100k-prepare.mjs says why); peakRssMB is still the whole process's peak, load included,
// and loadPeakRssMB the peak when loading was done, so what planning adds is the difference.
// PLAN100K_CHECKSUM=1 adds the plan's checksum and roster digest, to show tuning left the plan as it was.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { benchConfig } from './plan100k-config.mjs';

const [, , dir] = process.argv;
const maxRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const t0 = performance.now();
const roster = v8.deserialize(await readFile(path.join(dir, 'roster.v8')));
const snapshot = v8.deserialize(await readFile(path.join(dir, 'snapshot.v8')));
const t1 = performance.now();
const loadPeakRssMB = maxRssMB();
const loadHeapMB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
const cpu0 = process.cpuUsage();
const plan = buildPlan({ config: benchConfig, roster, snapshot, manualMatches: [], asOf: '2026-03-02', now: new Date().toISOString() });
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({
  wallSeconds: +((t2 - t1) / 1000).toFixed(2),
  // CPU seconds of planning (user + system): the figure to compare when other work shares the two cores.
  cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  loadSeconds: +((t1 - t0) / 1000).toFixed(2),
  peakRssMB: maxRssMB(),
  loadPeakRssMB,
  loadHeapMB,
  changes: plan.changes.length,
  blocked: plan.blocked.length,
  ...(process.env.PLAN100K_CHECKSUM ? { checksum: plan.checksum, digest: plan.source.digest } : {}),
}) + '\n');
