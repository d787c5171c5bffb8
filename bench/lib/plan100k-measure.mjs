// Loads the trust's roster and matching snapshot and plans once: the figures are this process's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { benchConfig } from './plan100k-config.mjs';

const [, , dir] = process.argv;
const t0 = performance.now();
const roster = JSON.parse(await readFile(path.join(dir, 'roster.json'), 'utf8'));
const snapshot = JSON.parse(await readFile(path.join(dir, 'snapshot.json'), 'utf8'));
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const plan = buildPlan({ config: benchConfig, roster, snapshot, manualMatches: [], asOf: '2026-03-02', now: new Date().toISOString() });
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({
  wallSeconds: +((t2 - t1) / 1000).toFixed(2),
  // CPU seconds of planning (user + system): the figure to compare when other work shares the two cores.
  cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  loadSeconds: +((t1 - t0) / 1000).toFixed(2),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  changes: plan.changes.length,
  blocked: plan.blocked.length,
}) + '\n');
