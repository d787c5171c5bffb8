// A trust's nightly run in its own process (its peak RSS is rollcall's, not the emulator's): read the MIS (CSV) and
// the tenant over HTTPS through the real Graph client side by side, then plan. Argument: the prepared folder, the
// emulator's URL, the file holding its certificate, the time scale, and the delta state's file (a warm run when it
// holds the state an earlier run kept; a cold run, which keeps it, when it does not exist yet).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../.kit/src/config/load.js';
import { readRosterFor } from '../../.kit/src/engine/run.js';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { silentLogger } from '../../.kit/src/log.js';
import { createGraphClient, tenantOverGraph } from '../../.kit/src/tenant/index.js';
import { fileStore } from '../../.kit/src/tenant/state/store.js';
import { ANY_TOKEN } from './school.mjs';

const [, , dir, url, caFile, scale, deltaFile] = process.argv;
const AS_OF = '2026-03-02';
const timeScale = Number(scale);
const loaded = await loadConfig(path.join(dir, 'rollcall.yaml'));
const graph = createGraphClient({ credential: ANY_TOKEN, graphUrl: url, ca: await readFile(caFile, 'utf8') });
const deltaState = deltaFile ? { store: fileStore(deltaFile), tenantId: 'bench-trust', maxAgeHours: 168 } : undefined;
const tenant = tenantOverGraph(graph, { domains: loaded.config.tenant.domains, education: false, log: silentLogger, retryPolicy: undefined, deltaState });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let tRoster = 0, tTenant = 0;
const [roster, snapshot] = await Promise.all([
  readRosterFor(loaded, AS_OF, silentLogger).then((r) => ((tRoster = performance.now()), r)),
  tenant.reader.read({ education: false }).then((s) => ((tTenant = performance.now()), s)),
]);
const t1 = performance.now();
const plan = buildPlan({ config: loaded.config, roster, snapshot, manualMatches: [], classMatches: [], asOf: AS_OF, now: `${AS_OF}T06:00:00.000Z` });
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
await tenant.close();
const s = (ms) => +(ms / 1000).toFixed(2);
process.stdout.write(JSON.stringify({
  // Scaled (real) seconds; the case multiplies the tenant read by the time scale.
  rosterSeconds: s(tRoster - t0), tenantSeconds: s(tTenant - t0), readSeconds: s(t1 - t0), planSeconds: s(t2 - t1),
  cpuSeconds: s((cpu.user + cpu.system) / 1000),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  clientRequests: graph.requests(),
  users: snapshot.users.length, groups: snapshot.groups.length,
  memberships: snapshot.groups.reduce((n, g) => n + g.members.length + g.owners.length, 0),
  changes: plan.changes.length, blocked: plan.blocked.length,
  changeKinds: Object.fromEntries(Object.entries(plan.changes.reduce((m, c) => ((m[`${c.action} ${c.kind}`] = (m[`${c.action} ${c.kind}`] ?? 0) + 1), m), {})).slice(0, 10)),
}) + '\n');
