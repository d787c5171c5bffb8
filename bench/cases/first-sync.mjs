// First provisioning of a synthetic 1,500-pupil school (the quickstart's configuration: accounts, security and
// Microsoft 365 groups, education classes with teams, staff timetables in their calendars) into an empty Education
// tenant on the emulator with Graph's real quotas, time-scaled; then the nightly run that follows it with nothing
// to change. Figures:
//   firstSync: Graph operations sent (inner $batch requests count, as Graph charges them; HTTP requests given too)
//              against the minimum the plan needs (bench/lib/minimum.mjs); the share of the 20 writes/s write quota
//              achieved while applying; 429s; wall time in unscaled seconds (scaled wall × timeScale).
//   nightly:   every request of a run with nothing to change (reads included) and its wall time.
import { countsOf, minimumReads, minimumWrites, minimumWritesEducationApi } from '../lib/minimum.mjs';
import { AS_OF, TEAM_PROVISIONING_MS, prepareSchool, runOnce, schoolTenant, startSchoolEmulator } from '../lib/school.mjs';
import { floorSeconds } from '../lib/floor.mjs';
import { phaseRecorder, quotaReport, startTimeline } from '../lib/timeline.mjs';
import { writeFile } from 'node:fs/promises';
import { calendarRead } from '../../.kit/src/engine/run.js';

export const name = 'firstSync';
export const provides = ['firstSync', 'nightly'];

// 1: real time, as Graph runs. A faster model clock (ROLLCALL_BENCH_TIME_SCALE=5 runs the case in a fifth of the
// time) multiplies every millisecond rollcall spends itself — reading, planning, assembling batches, timer jitter on
// a busy machine — by the scale, which Graph never would: on the same quiet machine and code the first sync was
// 1.03× its floor at 1 and 1.14× at 5 (first write at 1 s against 9 s; 0 429s against 47).
export const TIME_SCALE = Number(process.env.ROLLCALL_BENCH_TIME_SCALE ?? 1);
/** Graph's write quota per app and tenant: 3,000 per 150 s. */
const QUOTA_PER_SECOND = 3000 / 150;
/** Round trip per HTTP request in model ms (Graph answers writes in ~100–300 ms): the emulator adds it, scaled. */
export const LATENCY_MS = Number(process.env.ROLLCALL_BENCH_LATENCY_MS ?? 100);

const round = (x, d = 1) => Number(x.toFixed(d));

export async function firstAndNightly({ naive = false, timeScale = TIME_SCALE } = {}) {
  const TIME_SCALE = timeScale;
  const { loaded } = await prepareSchool({ name: naive ? 'naive' : 'first-sync', students: 1500 });
  const emu = await startSchoolEmulator(TIME_SCALE, LATENCY_MS);
  const { tenant } = schoolTenant(emu, { timeScale: TIME_SCALE, naive });
  try {
    const timeline = startTimeline(emu, TIME_SCALE);
    const recorder = phaseRecorder(timeline);
    const first = await runOnce(loaded, tenant, { onResult: recorder.onResult });
    const perSecond = timeline.stop();
    const c1 = countsOf(emu.counts());
    const floor = floorSeconds(first.plan, { snapshot: first.snapshot, latencyMs: LATENCY_MS, teamProvisioningMs: TEAM_PROVISIONING_MS });
    const wall = first.seconds.total * TIME_SCALE;
    const managedMailboxes = 0; // the tenant is empty before the first sync: no calendar to read
    const reads = minimumReads(first.snapshot, { education: true, mailboxes: managedMailboxes });
    const minimum = minimumWrites(first.plan) + reads;
    const minimumEducationApi = minimumWritesEducationApi(first.plan) + reads;
    const firstFig = {
      timeScale: TIME_SCALE, latencyMs: LATENCY_MS,
      people: first.roster.people.length, changes: first.plan.changes.length,
      failed: first.outcome.counts.failed,
      requests: c1.operations, minimumRequests: minimum, requestsRatio: round(c1.operations / minimum, 3),
      minimumRequestsEducationApi: minimumEducationApi, requestsRatioEducationApi: round(c1.operations / minimumEducationApi, 3),
      httpRequests: c1.httpRequests, batches: c1.batches,
      identityWrites: c1.identityWrites, outlookRequests: c1.outlookRequests, teamsRequests: c1.teamsRequests, reads: c1.directoryReads,
      quotaShare: round(c1.identityWrites / (first.seconds.apply * TIME_SCALE * QUOTA_PER_SECOND), 3),
      throttled: c1.throttled,
      wallSeconds: round(wall),
      floorSeconds: round(floor.seconds), floorRatio: round(wall / floor.seconds, 3),
      floor: Object.fromEntries(Object.entries(floor).filter(([k]) => k !== 'seconds').map(([k, v]) => [k, round(v, 2)])),
      applySeconds: round(first.seconds.apply * TIME_SCALE),
      scaledWallSeconds: round(first.seconds.total, 2),
      // Where the time went (model seconds from the start of the run): reading and planning, then each kind of
      // change's first and last result, and the write quota's use between the first and the last write.
      breakdown: {
        readSeconds: round(first.seconds.read * TIME_SCALE), planSeconds: round(first.seconds.plan * TIME_SCALE),
        phases: recorder.phases,
        quota: quotaReport(perSecond, recorder.phases),
        teamPolls: c1.teamsRequests - first.plan.changes.filter((c) => c.kind === 'team').length,
      },
    };
    // ROLLCALL_BENCH_TIMELINE=file: the per-second timeline itself, for a closer look.
    if (process.env.ROLLCALL_BENCH_TIMELINE) await writeFile(process.env.ROLLCALL_BENCH_TIMELINE, JSON.stringify({ phases: recorder.phases, perSecond }, null, 1));
    // For the calendar case: what the first sync wrote into mailboxes (Outlook requests are all event writes here).
    const eventCreates = first.plan.changes.filter((c) => c.kind === 'event' && c.action === 'create');
    const calendar = {
      windowDays: loaded.config.calendar?.windowDays ?? 30, users: loaded.config.calendar?.users,
      eventCreates: eventCreates.length, eventWrites: c1.outlookRequests,
      mailboxesWritten: new Set(eventCreates.map((c) => c.member?.createdBy ?? c.member?.id)).size,
    };
    if (naive) return { first: firstFig, calendar };
    emu.resetCounts();
    const before = tenant.graph.requests();
    const night = await runOnce(loaded, tenant);
    const c2 = countsOf(emu.counts());
    const mailboxes = calendarMailboxes(night.snapshot, loaded.config);
    const nightly = {
      changes: night.plan.changes.length,
      requests: c2.httpRequests, operations: c2.operations, writes: c2.identityWrites + (night.outcome.counts.done + night.outcome.counts.skipped + night.outcome.counts.failed),
      clientRequests: tenant.graph.requests() - before,
      calendarReads: c2.outlookRequests, mailboxes,
      minimumRequests: minimumReads(night.snapshot, { education: true, mailboxes }),
      // The same run without its calendar reads: the directory reads alone (every $batch here carries calendarViews).
      requestsWithoutCalendars: emu.counts().batchInner === c2.outlookRequests ? c2.httpRequests - c2.batches : null,
      byKind: emu.counts().byKind,
      throttled: c2.throttled,
      wallSeconds: round(night.seconds.total * TIME_SCALE),
      scaledWallSeconds: round(night.seconds.total, 2),
      targetRequests: 15,
    };
    return { first: firstFig, nightly, calendar };
  } finally {
    await tenant.close();
    await emu.stop();
  }
}

/** The mailboxes a run reads, by the engine's own rule (the people in calendar.users with a managed account). */
function calendarMailboxes(snapshot, config) {
  const read = calendarRead(config, AS_OF);
  return read ? read.userIds(snapshot.users).length : 0;
}

export async function run() {
  const { first, nightly, calendar } = await firstAndNightly();
  return { firstSync: { ...first, targetRequestsRatio: 1.05, targetQuotaShare: 0.9, targetFloorRatio: 1.1, calendar }, nightly };
}
