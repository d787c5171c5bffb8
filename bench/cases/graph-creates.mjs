// 2,000 user creates through rollcall's Graph writer against the emulator with Graph's real write quota
// (20 writes/s and 3,000 per 150 s per app), time-scaled so the run takes seconds instead of minutes.
// Figures: HTTP requests sent, 429s received, and the share of the write quota achieved. A second, unpaced run
// shows what pacing saves.
import { silentLogger } from '../../.kit/src/log.js';
import { startEmulator } from '../../.kit/src/tenant/emulator/index.js';
import { createGraphClient } from '../../.kit/src/tenant/graph/client.js';
import { DEFAULT_WRITES_PER_SECOND } from '../../.kit/src/tenant/graph/constants.js';
import { tenantOverGraph } from '../../.kit/src/tenant/index.js';

export const name = 'graphCreates';

const CREATES = 2000;
const QUOTA_PER_SECOND = 3000 / 150; // = Graph's 20 writes/s per app and tenant
const TIME_SCALE = Number(process.env.ROLLCALL_BENCH_TIME_SCALE ?? 5);
const DOMAIN = 'bench.test';
const anyToken = { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) };

async function once(writesPerSecond) {
  const emu = await startEmulator({ domains: [DOMAIN], education: false, throttle: { timeScale: TIME_SCALE } });
  const graph = createGraphClient({ credential: anyToken, graphUrl: emu.url, ca: emu.ca });
  // Pacing is in real time, the emulator's quota in model time: scale the rate the same way.
  const tenant = tenantOverGraph(graph, { domains: [DOMAIN], education: false, log: silentLogger, writesPerSecond: writesPerSecond * TIME_SCALE });
  const ops = Array.from({ length: CREATES }, (_, i) => ({
    op: 'user.create', key: `u${i}`,
    body: {
      accountEnabled: true, displayName: `Bench ${i}`, mailNickname: `b${i}`, userPrincipalName: `b${i}@${DOMAIN}`,
      employeeId: `bench:${i}`, passwordProfile: { password: `Bench-${i}-Passw0rd!`, forceChangePasswordNextSignIn: true },
    },
  }));
  const t0 = performance.now();
  const results = await tenant.writer.execute(ops);
  const wallSeconds = (performance.now() - t0) / 1000;
  const counts = emu.counts();
  const figures = {
    creates: CREATES,
    done: results.filter((r) => r.status === 'done').length,
    usersInTenant: emu.state.users.size,
    requests: graph.requests(),
    innerRequests: counts.batchInner,
    throttled: tenant.queue.innerThrottled + graph.throttled(),
    wallSeconds: Number(wallSeconds.toFixed(2)),
    unscaledSeconds: Number((wallSeconds * TIME_SCALE).toFixed(1)),
    quotaShare: Number((CREATES / (wallSeconds * TIME_SCALE * QUOTA_PER_SECOND)).toFixed(3)),
  };
  await tenant.close();
  await emu.stop();
  return figures;
}

export async function run() {
  const paced = await once(DEFAULT_WRITES_PER_SECOND);
  // No pacing to speak of: the writer only learns the quota from 429s.
  const unpaced = await once(100_000 / TIME_SCALE);
  return { timeScale: TIME_SCALE, writesPerSecond: DEFAULT_WRITES_PER_SECOND, ...paced, unpaced };
}
