// The same 1,500-pupil first sync as firstSync, with a naive client: one Graph call per HTTP request (a $batch of
// one, which Graph charges exactly like the plain request), one request at a time, no pacing (it learns the quota
// only from 429s, honouring Retry-After). Same emulator quotas, same model latency per request (LATENCY_MS).
// Figure: naive wall / rollcall wall, both unscaled.
import { firstAndNightly, LATENCY_MS } from './first-sync.mjs';

export const uses = ['firstSync'];
export const name = 'naive';

// 10, not firstSync's 5, to keep the case near 3 minutes: the naive client is bound by round trips, not by the
// quota, so jitter does not matter to it, but its real per-request overhead (client + emulator, a few ms) counts
// timeScale times in its unscaled wall. wallRatioLatencyOnly leaves that overhead out: a lower bound.
const TIME_SCALE = Number(process.env.ROLLCALL_BENCH_NAIVE_TIME_SCALE ?? 10);

export async function run(results = {}) {
  const rollcall = results.firstSync ?? (await firstAndNightly()).first;
  const { first: naive } = await firstAndNightly({ naive: true, timeScale: TIME_SCALE });
  return {
    timeScale: TIME_SCALE, latencyMs: LATENCY_MS,
    wallSeconds: naive.wallSeconds, rollcallWallSeconds: rollcall.wallSeconds,
    wallRatio: Number((naive.wallSeconds / rollcall.wallSeconds).toFixed(2)),
    wallRatioLatencyOnly: Number(((naive.httpRequests * LATENCY_MS) / 1000 / rollcall.wallSeconds).toFixed(2)),
    requests: naive.requests, httpRequests: naive.httpRequests, throttled: naive.throttled, failed: naive.failed,
    quotaShare: naive.quotaShare,
  };
}
