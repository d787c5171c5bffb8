// Where a benchmark run's time goes: the emulator's request counters sampled as the run goes (a timeline of
// requests per model second, per quota) and each kind of change's first and last result (apply's progress).
// Bench-only: the product is not instrumented; model seconds are real seconds × timeScale.

/** Which quota an emulator request kind (`METHOD pattern`) is charged to. */
export function laneOf(kind) {
  const [method, route = ''] = kind.split(' ');
  if (kind === 'POST $batch') return 'http';
  if (/events|calendar|sendMail/i.test(route)) return 'outlook';
  if (route.startsWith('teams')) return method === 'POST' ? 'teamsPosts' : 'teamsReads';
  return method === 'GET' ? 'reads' : 'directoryWrites';
}

const LANES = ['directoryWrites', 'teamsPosts', 'teamsReads', 'outlook', 'reads'];

function totals(counts) {
  const t = { throttled: counts.throttled };
  for (const l of LANES) t[l] = 0;
  for (const [kind, n] of Object.entries(counts.byKind)) {
    const lane = laneOf(kind);
    if (lane !== 'http') t[lane] += n;
  }
  return t;
}

/** Samples emu.counts() every `everyMs` real ms; `stop()` gives the per-model-second timeline. */
export function startTimeline(emu, timeScale, everyMs = 25) {
  const t0 = performance.now();
  const samples = [{ at: 0, ...totals(emu.counts()) }];
  const timer = setInterval(() => samples.push({ at: ((performance.now() - t0) / 1000) * timeScale, ...totals(emu.counts()) }), everyMs);
  return {
    /** Model seconds since the timeline started. */
    now: () => ((performance.now() - t0) / 1000) * timeScale,
    stop() {
      clearInterval(timer);
      samples.push({ at: ((performance.now() - t0) / 1000) * timeScale, ...totals(emu.counts()) });
      const seconds = Math.ceil(samples.at(-1).at);
      const perSecond = Array.from({ length: seconds }, (_, s) => ({ s, throttled: 0, ...Object.fromEntries(LANES.map((l) => [l, 0])) }));
      for (let i = 1; i < samples.length; i++) {
        const s = Math.min(seconds - 1, Math.floor(samples[i].at));
        for (const k of [...LANES, 'throttled']) perSecond[s][k] += samples[i][k] - samples[i - 1][k];
      }
      return perSecond;
    },
  };
}

/**
 * What the timeline says about the write quota between the first and the last directory write: the seconds of
 * quota left unused (20 a second, 429s not counted as used), when writes were throttled, and, for each stretch of
 * at least `gap` seconds with under half the quota used, which kinds of change were in flight.
 */
export function quotaReport(perSecond, phases, { quota = 20, gap = 2 } = {}) {
  const written = perSecond.map((p) => Math.max(0, p.directoryWrites - p.throttled));
  const first = written.findIndex((w) => w > 0);
  let last = written.length - 1;
  while (last > 0 && written[last] === 0) last--;
  if (first < 0) return { idleQuotaSeconds: 0, gaps: [] };
  let unused = 0;
  for (let s = first; s <= last; s++) unused += Math.max(0, quota - written[s]);
  const gaps = [];
  for (let s = first; s <= last; s++) {
    if (written[s] >= quota / 2) continue;
    let e = s;
    while (e + 1 <= last && written[e + 1] < quota / 2) e++;
    if (e - s + 1 >= gap) {
      const during = Object.entries(phases).filter(([, p]) => p.first < e + 1 && p.last >= s).map(([k]) => k);
      gaps.push({ from: s, to: e + 1, writes: written.slice(s, e + 1).reduce((a, b) => a + b, 0), during });
    }
    s = e;
  }
  return {
    firstWrite: first, lastWrite: last + 1,
    idleQuotaSeconds: Number((unused / quota).toFixed(1)),
    throttledSeconds: perSecond.filter((p) => p.throttled > 0).length,
    gaps,
  };
}

/** First and last result of each kind of change, in model seconds of the timeline. */
export function phaseRecorder(timeline) {
  const phases = {};
  return {
    phases,
    onResult(r) {
      const k = `${r.kind}:${r.action}`;
      const t = Number(timeline.now().toFixed(1));
      const p = (phases[k] ??= { first: t, last: t, n: 0 });
      p.last = t;
      p.n++;
    },
  };
}
