// Repeated runs of a short case (plan100k, bromcomRead: a few seconds each). This machine's speed swings by a third
// from one run to the next, so a single run says little: each case is run ROLLCALL_BENCH_RUNS times (5 unless set),
// each run in a fresh process with a calibration run just before it (calibrate.mjs), and reported as the median of
// the runs, with every run listed and how many were within the target.
import { calibrate } from './calibrate.mjs';

export const RUNS = Math.max(1, Number(process.env.ROLLCALL_BENCH_RUNS ?? 5));

/** The median of a non-empty list of numbers (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : Number(((s[mid - 1] + s[mid]) / 2).toFixed(3));
}

/** `measure()` RUNS times, one after another, each after a calibration run: the runs' figures. */
export async function repeat(measure, runs = RUNS) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const calibrationSeconds = calibrate();
    out.push({ ...(await measure(i)), calibrationSeconds });
  }
  return out;
}

/**
 * The runs as one case's figures: `medianOf` fields as their medians, `maxOf` fields (memory peaks) as their
 * largest, the rest from the first run; then `runs` (each run's timed fields and its calibration) and how many
 * runs were within the target wall.
 */
export function summarise(runs, { medianOf, maxOf, targetWallSeconds }) {
  const figures = { ...runs[0] };
  delete figures.calibrationSeconds;
  for (const k of medianOf) figures[k] = median(runs.map((r) => r[k]));
  for (const k of maxOf) figures[k] = Math.max(...runs.map((r) => r[k]));
  const walls = runs.map((r) => r.wallSeconds);
  return {
    ...figures,
    wallSecondsMin: Math.min(...walls),
    wallSecondsMax: Math.max(...walls),
    runsWithinTarget: `${walls.filter((w) => w <= targetWallSeconds).length}/${runs.length}`,
    calibrationSeconds: median(runs.map((r) => r.calibrationSeconds)),
    runs: runs.map((r) => Object.fromEntries(['wallSeconds', 'cpuSeconds', 'readerCpuSeconds', 'peakRssMB', 'calibrationSeconds'].filter((k) => k in r).map((k) => [k, r[k]]))),
    targetWallSeconds,
  };
}
