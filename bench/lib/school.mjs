// A synthetic school provisioned end to end, as `rollcall apply` would do it, but against an emulator the bench
// starts itself (with Graph's real quotas, time-scaled) so that it can count what reached Graph:
// MIS (CSV) → roster → tenant read → plan → apply, then optionally a second, nightly run over the same tenant.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../.kit/src/config/load.js';
import { calendarRead, readRosterFor } from '../../.kit/src/engine/run.js';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { applyPlan } from '../../.kit/src/apply/apply.js';
import { silentLogger } from '../../.kit/src/log.js';
import { generateSchool, writeSchool } from '../../.kit/test/support/synth/index.js';
import { startEmulator } from '../../.kit/src/tenant/emulator/index.js';
import { createGraphClient, tenantOverGraph } from '../../.kit/src/tenant/index.js';
import { DEFAULT_TEAMS_POSTS_PER_SECOND, DEFAULT_WRITES_PER_SECOND, TEAM_POLL_DELAYS_MS } from '../../.kit/src/tenant/graph/constants.js';

export const ANY_TOKEN = { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) };
export const AS_OF = '2026-09-07';
export const DOMAINS = ['bench-school.example', 'students.bench-school.example'];

/** The quickstart's configuration (examples/quickstart/rollcall.yaml) for the bench school. */
export function schoolYaml({ calendarUsers = 'staff', windowDays = 30, calendar = true } = {}) {
  return `version: 1
school: { name: Bench Academy, key: ba, timeZone: Europe/London }
source: { csv: { dir: ./mis } }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [${DOMAINS.join(', ')}]
  education: true
users:
  mode: create
  students:
    userPrincipalName: "{entryYear:-2}{first:1}{last}@${DOMAINS[1]}"
    displayName: "{preferredFirst} {preferredLast}"
    usageLocation: GB
    securityGroups: ["All Students", "Students Year {yearGroup}"]
  staff:
    userPrincipalName: "{first:1}{last}@${DOMAINS[0]}"
    usageLocation: GB
    securityGroups: ["All Staff"]
  leavers: { action: suspend, graceDays: 7, deleteAfterDays: 90 }
groups:
  from: [yearGroups, houses]
  type: microsoft365
  displayName: "{name}"
classes:
  from: [teachingGroups]
  displayName: "{academicYear}-{name}"
  team: true
  onEnd: archive
calendar:
  enabled: ${calendar}
  windowDays: ${windowDays}
  users: ${calendarUsers}
  reminderMinutes: 5
safety:
  maxSuspensions: { percent: 5 }
  maxDeletions: { percent: 1 }
  maxSourceDrop: { percent: 10 }
`;
}

/** Writes the school's MIS export and rollcall.yaml into a fresh temp folder and loads the config. */
export async function prepareSchool({ name, students = 1500, seed = 1, lessonDays = 35, ...yaml }) {
  const dir = path.join(os.tmpdir(), `rollcall-bench-${name}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const school = generateSchool({ seed, students, asOf: AS_OF, lessonDays });
  await writeSchool(school, 'csv', path.join(dir, 'mis'));
  const file = path.join(dir, 'rollcall.yaml');
  await writeFile(file, schoolYaml(yaml));
  return { dir, loaded: await loadConfig(file) };
}

/** How long Teams takes to provision a class team in the emulator, model ms (the floor counts it). */
export const TEAM_PROVISIONING_MS = 1000;

/**
 * Starts a throttled Education emulator (Graph's published quotas, model time running timeScale× faster), each HTTP
 * request answered after latencyMs of model time (no faults: rate 0).
 */
export async function startSchoolEmulator(timeScale, latencyMs = 0) {
  const real = latencyMs / timeScale;
  return startEmulator({
    domains: DOMAINS, education: true, throttle: { timeScale }, teamProvisioningMs: TEAM_PROVISIONING_MS / timeScale,
    ...(latencyMs ? { faults: { seed: 1, rate: 0, latencyMs: [real, real] } } : {}),
  });
}

/**
 * A tenant over the emulator. Every real-time pause rollcall makes (pacing, replication waits, Teams polls) is
 * divided by timeScale, as the emulator divides Retry-After, so scaled wall × timeScale = the unscaled run.
 * `naive`: one request at a time, no $batch, no pacing — a client that only learns the quota from 429s.
 */
export function schoolTenant(emu, { timeScale, naive = false }) {
  const graph = createGraphClient({ credential: ANY_TOKEN, graphUrl: emu.url, ca: emu.ca });
  const scale = (ms) => ms.map((m) => m / timeScale);
  const tenant = tenantOverGraph(graph, {
    domains: DOMAINS, education: true, log: silentLogger,
    writesPerSecond: naive ? 1e9 : DEFAULT_WRITES_PER_SECOND * timeScale,
    teamsPostsPerSecond: naive ? 1e9 : DEFAULT_TEAMS_POSTS_PER_SECOND * timeScale,
    replicationDelaysMs: scale([1000, 2000, 4000, 8000]),
    pollDelaysMs: scale(TEAM_POLL_DELAYS_MS),
    ...(naive ? { concurrency: 1, batchSize: 1 } : {}),
  });
  return { graph, tenant };
}

/** One run of rollcall: read MIS and tenant, plan, apply. Timings in real (scaled) seconds; `onResult` sees each change's result. */
export async function runOnce(loaded, tenant, { now = new Date(`${AS_OF}T06:00:00Z`), onResult } = {}) {
  const config = loaded.config;
  const t0 = performance.now();
  const [roster, snapshot] = await Promise.all([
    readRosterFor(loaded, AS_OF, silentLogger),
    tenant.reader.read({ education: config.tenant.education ?? false, calendar: calendarRead(config, AS_OF) }),
  ]);
  const t1 = performance.now();
  const plan = buildPlan({ config, roster, snapshot, manualMatches: [], classMatches: [], asOf: AS_OF, now: now.toISOString() });
  const t2 = performance.now();
  const outcome = plan.changes.length ? await applyPlan(plan, { config, writer: tenant.writer, log: silentLogger, now, ...(onResult ? { onResult } : {}) }) : { counts: { done: 0, skipped: 0, failed: 0 }, byKind: {}, failures: [] };
  const t3 = performance.now();
  return { roster, snapshot, plan, outcome, seconds: { read: (t1 - t0) / 1000, plan: (t2 - t1) / 1000, apply: (t3 - t2) / 1000, total: (t3 - t0) / 1000 } };
}
