// One first sync of the synthetic trust (STUDENTS pupils, staff at the plan100k ratio) into the local tenant, as
// `rollcall apply` makes it: the emulator in-process with its state file, reached over HTTPS by the real Graph
// client, the journal and a progress reporter listening. Quotas and latency off (no throttle, no pacing, no
// replication delay), so what is measured is rollcall's and the emulator's own work per change.
// Usage: node apply100k-measure.mjs STUDENTS DIR; prints the figures as one JSON line.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../.kit/src/config/load.js';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { applyPlan } from '../../.kit/src/apply/apply.js';
import { JournalWriter } from '../../.kit/src/apply/journal.js';
import { ProgressReporter } from '../../.kit/src/cli/progress.js';
import { silentLogger } from '../../.kit/src/log.js';
import { openTenantInternals } from '../../.kit/src/tenant/index.js';
import { generateSchool } from '../../.kit/test/support/synth/index.js';
import { benchConfig } from './plan100k-config.mjs';

const [, , studentsArg, dir] = process.argv;
const students = Number(studentsArg);
const AS_OF = '2026-03-02';
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });

const config = resolveConfig({ ...benchConfig, source: { csv: { dir } }, tenant: { ...benchConfig.tenant, local: { state: path.join(dir, 'tenant.json') } } });
const school = generateSchool({ seed: 3, students, staff: Math.round(students * 0.08), asOf: AS_OF, lessonDays: 1 });
const roster = { source: { kind: 'csv', asOf: AS_OF }, people: school.people, groups: school.groups, memberships: school.memberships, lessons: [], warnings: [] };
// Nothing to write but the journal and the state file: quotas off means no client pacing either (Graph's 20/s
// would make a 100k first sync a matter of hours, all of it waiting).
const tenant = await openTenantInternals(config.tenant, { baseDir: dir, log: silentLogger, writesPerSecond: 1e9 });
try {
  const snapshot = await tenant.reader.read({ education: false });
  const plan = buildPlan({ config, roster, snapshot, manualMatches: [], asOf: AS_OF, now: `${AS_OF}T06:00:00.000Z` });
  const journal = await JournalWriter.open({ file: path.join(dir, 'journal.jsonl'), run: 'bench', config: 'rollcall.yaml', personalData: config.report.personalData }, plan, silentLogger);
  const progress = new ProgressReporter({ write: () => true }, false);
  progress.start(plan.changes.length);
  if (global.gc) global.gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await applyPlan(plan, { config, writer: tenant.writer, log: silentLogger, onResult: (r, c) => journal.write(c, r), onProgress: (d, t) => progress.update(d, t) });
  const lines = await journal.close();
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const wallSeconds = (t1 - t0) / 1000;
  process.stdout.write(JSON.stringify({
    people: roster.people.length, changes: plan.changes.length,
    done: outcome.counts.done, failed: outcome.counts.failed, journalLines: lines,
    wallSeconds: +wallSeconds.toFixed(2),
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    perChangeMs: +((wallSeconds * 1000) / plan.changes.length).toFixed(4),
    requests: tenant.requestCount(),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n');
} finally {
  await tenant.close();
}
