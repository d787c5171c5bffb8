import { describe, expect, it } from 'vitest';
import { backoffMs, decide, parseRetryAfter, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

describe('parseRetryAfter', () => {
  it('reads seconds, fractions and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('0.25')).toBe(250);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  });
  it('treats absent or unreadable values as no hint', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('decide', () => {
  it('retries a 429 after exactly Retry-After', () => {
    expect(decide(429, '3', 1, policy)).toEqual({ kind: 'retry', delayMs: 3000 });
  });
  it('backs off exponentially on 429 without Retry-After', () => {
    const half = () => 0;
    expect(decide(429, undefined, 1, policy, half)).toEqual({ kind: 'retry', delayMs: 500 });
    expect(decide(429, undefined, 2, policy, half)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decide(429, undefined, 4, policy, half)).toEqual({ kind: 'retry', delayMs: 4000 });
  });
  it('calls 5xx and no answer uncertain: the write may have happened', () => {
    expect(decide(503, '2', 1, policy).kind).toBe('uncertain');
    expect(decide(500, undefined, 1, policy).kind).toBe('uncertain');
    expect(decide(0, undefined, 1, policy).kind).toBe('uncertain');
  });
  it('retries a 424 (its dependency failed, it never ran) at once', () => {
    expect(decide(424, undefined, 1, policy)).toEqual({ kind: 'retry', delayMs: 0 });
  });
  it('gives up after maxAttempts (429s: maxThrottled) and never retries client errors', () => {
    expect(decide(503, '1', 5, policy)).toEqual({ kind: 'final' });
    expect(decide(429, '1', 5, policy)).toEqual({ kind: 'final' });
    expect(decide(429, '1', 5, { ...policy, maxThrottled: 40 })).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decide(429, '1', 40, { ...policy, maxThrottled: 40 })).toEqual({ kind: 'final' });
    expect(decide(400, undefined, 1, policy)).toEqual({ kind: 'final' });
    expect(decide(404, undefined, 1, policy)).toEqual({ kind: 'final' });
    expect(decide(201, undefined, 1, policy)).toEqual({ kind: 'final' });
  });
  it('caps delays at maxDelayMs', () => {
    expect(decide(429, '600', 1, policy)).toEqual({ kind: 'retry', delayMs: 30_000 });
    expect(backoffMs(20, policy, () => 1)).toBe(30_000);
  });
});
