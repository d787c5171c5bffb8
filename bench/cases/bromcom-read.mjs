// Reads a 20,000-student school from the Bromcom emulator through the real SOAP client and roster builder.
// Target: ≤ 3 s on a 2-core machine. The school is generated and the emulator started once; the read runs
// ROLLCALL_BENCH_RUNS times, each in a fresh process (runs.mjs): the figures are the runs' medians, the peak their largest.
// The read runs in a child process so its peak RSS (process.resourceUsage().maxRSS) is its own; the emulator
// (which builds the ~tens-of-MB responses) runs here in the parent. `readerCpuSeconds` is the reading process's CPU
// time over the read: less sensitive than the wall to other work on the machine.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repeat, summarise } from '../lib/runs.mjs';

export const name = 'bromcomRead';

const STUDENTS = 20000;
const ASOF = '2026-01-12';
const CREDS = { BROMCOM_USERNAME: 'bench', BROMCOM_PASSWORD: 'bench-password' };

async function child(url) {
  const { readRoster } = await import('../../.kit/src/sources/index.js');
  const { countRoster } = await import('../../.kit/src/roster/counts.js');
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const roster = await readRoster(
    { bromcom: { url, schoolId: 1, username: { env: 'BROMCOM_USERNAME' }, password: { env: 'BROMCOM_PASSWORD' }, timeoutSeconds: 600, retries: 0 } },
    { baseDir: '.', asOf: ASOF, calendar: true, log, env: CREDS },
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  process.send({ counts: countRoster(roster), wallSeconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
}

export async function run() {
  const { generateSchool, toBromcomData, startBromcomEmulator } = await import('../../.kit/test/support/synth/index.js');
  const school = generateSchool({ seed: 20000, students: STUDENTS, asOf: ASOF });
  const emulator = await startBromcomEmulator({ data: toBromcomData(school), schoolId: 1, username: CREDS.BROMCOM_USERNAME, password: CREDS.BROMCOM_PASSWORD });
  try {
    const once = () => new Promise((resolve, reject) => {
      const proc = fork(fileURLToPath(import.meta.url), ['--child', emulator.url], { stdio: 'inherit' });
      proc.on('message', resolve);
      proc.on('error', reject);
      proc.on('exit', (code) => code && reject(new Error(`bench child exited with ${code}`)));
    }).then((result) => ({ counts: result.counts, wallSeconds: Math.round(result.wallSeconds * 100) / 100, readerCpuSeconds: Math.round(result.cpuSeconds * 100) / 100, peakRssMB: result.peakRssMB }));
    const runs = await repeat(once);
    const { counts, ...figures } = summarise(runs, { medianOf: ['wallSeconds', 'readerCpuSeconds'], maxOf: ['peakRssMB'], targetWallSeconds: 3 });
    return { students: counts.students, staff: counts.staff, groups: counts.groups, memberships: counts.memberships, lessons: counts.lessons, ...figures };
  } finally {
    await emulator.close();
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
