// Repeated bench runs (bench/lib/runs.mjs): the figures a case reports from its runs.
import { describe, expect, it } from 'vitest';
import { median, summarise } from '../../bench/lib/runs.mjs';

describe('median', () => {
  it('is the middle run for an odd count and the mean of the middle two for an even count, whatever the order', () => {
    expect(median([3.1, 2.2, 2.6])).toBe(2.6);
    expect(median([2.9, 2.1, 2.5, 2.3])).toBe(2.4);
    expect(median([4])).toBe(4);
  });
});

describe('summarise', () => {
  const runs = [
    { wallSeconds: 2.4, cpuSeconds: 3.1, peakRssMB: 540, calibrationSeconds: 0.3, changes: 0 },
    { wallSeconds: 3.1, cpuSeconds: 3.9, peakRssMB: 548, calibrationSeconds: 0.42, changes: 0 },
    { wallSeconds: 2.2, cpuSeconds: 2.9, peakRssMB: 538, calibrationSeconds: 0.29, changes: 0 },
  ];
  const s = summarise(runs, { medianOf: ['wallSeconds', 'cpuSeconds'], maxOf: ['peakRssMB'], targetWallSeconds: 3 });

  it('reports the medians of the timed figures and the largest memory peak, not one run', () => {
    expect(s.wallSeconds).toBe(2.4);
    expect(s.cpuSeconds).toBe(3.1);
    expect(s.peakRssMB).toBe(548);
    expect(s.changes).toBe(0);
  });

  it('says how many runs were within the target, the range, and lists every run with its calibration', () => {
    expect(s.runsWithinTarget).toBe('2/3');
    expect([s.wallSecondsMin, s.wallSecondsMax]).toEqual([2.2, 3.1]);
    expect(s.calibrationSeconds).toBe(0.3);
    expect(s.runs).toEqual(runs.map(({ wallSeconds, cpuSeconds, peakRssMB, calibrationSeconds }) => ({ wallSeconds, cpuSeconds, peakRssMB, calibrationSeconds })));
    expect(s.targetWallSeconds).toBe(3);
  });
});
