// The read and the plan of the first sync's school, alone and repeated, for a CPU profile:
//   npm run build:kit && node --cpu-prof --cpu-prof-dir=/tmp/prof bench/lib/first-sync-cpu.mjs [rounds]
// Prints each round's read and plan time in real ms (the bench multiplies them by its time scale).
import { AS_OF, prepareSchool, schoolTenant, startSchoolEmulator } from './school.mjs';
import { calendarRead, readRosterFor } from '../../.kit/src/engine/run.js';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { silentLogger } from '../../.kit/src/log.js';

const rounds = Number(process.argv[2] ?? 3);
const { loaded } = await prepareSchool({ name: 'first-sync-cpu', students: 1500 });
const emu = await startSchoolEmulator(5, 100);
const { tenant } = schoolTenant(emu, { timeScale: 5 });
try {
  const config = loaded.config;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const [roster, snapshot] = await Promise.all([
      readRosterFor(loaded, AS_OF, silentLogger),
      tenant.reader.read({ education: true, calendar: calendarRead(config, AS_OF) }),
    ]);
    const t1 = performance.now();
    const plan = buildPlan({ config, roster, snapshot, manualMatches: [], classMatches: [], asOf: AS_OF, now: `${AS_OF}T06:00:00.000Z` });
    const t2 = performance.now();
    console.log(JSON.stringify({ round: i, readMs: Math.round(t1 - t0), planMs: Math.round(t2 - t1), changes: plan.changes.length }));
  }
} finally {
  await tenant.close();
  await emu.stop();
}
