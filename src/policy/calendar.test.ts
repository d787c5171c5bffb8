import { describe, expect, it } from 'vitest';
import { localDateTime } from './calendar.js';

describe('localDateTime', () => {
  it('gives the wall time in the zone asked for, for the same instant asked in several zones and again', () => {
    const iso = '2026-03-02T09:00:00+00:00';
    for (let round = 0; round < 2; round++) {
      expect(localDateTime(iso, 'Europe/London')).toBe('2026-03-02T09:00:00');
      expect(localDateTime(iso, 'Europe/Berlin')).toBe('2026-03-02T10:00:00');
      expect(localDateTime(iso, 'America/New_York')).toBe('2026-03-02T04:00:00');
    }
  });

  it('follows summer time and the day boundary', () => {
    expect(localDateTime('2026-06-01T08:30:00Z', 'Europe/London')).toBe('2026-06-01T09:30:00');
    expect(localDateTime('2026-03-29T00:59:59Z', 'Europe/London')).toBe('2026-03-29T00:59:59');
    expect(localDateTime('2026-03-29T01:00:00Z', 'Europe/London')).toBe('2026-03-29T02:00:00');
    expect(localDateTime('2026-12-31T23:30:00Z', 'Pacific/Auckland')).toBe('2027-01-01T12:30:00');
    expect(localDateTime('2026-01-01T00:15:00Z', 'America/Los_Angeles')).toBe('2025-12-31T16:15:00');
  });

  it('keeps giving right answers past the bound on what it remembers', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 100_050; i += 1) localDateTime(new Date(start + i * 60_000).toISOString(), 'Asia/Kolkata');
    expect(localDateTime('2026-01-01T00:00:00.000Z', 'Asia/Kolkata')).toBe('2026-01-01T05:30:00');
    expect(localDateTime(new Date(start + 100_049 * 60_000).toISOString(), 'Asia/Kolkata')).toBe('2026-03-11T16:59:00');
  });
});
