// Retry decisions for one request (inner $batch response or whole request). Pure: no clock, no I/O.

export interface RetryPolicy {
  /** Attempts in all, the first one included, counting those that failed for other reasons than throttling. */
  maxAttempts: number;
  /**
   * 429s one request may receive before it is given up. Higher than maxAttempts: a throttled request was not
   * carried out, and the quota always comes back, so giving up early only turns a slow run into a failed one.
   */
  maxThrottled?: number;
  /** Base of the exponential backoff used when Graph gives no Retry-After. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, maxThrottled: 40, baseDelayMs: 1000, maxDelayMs: 60_000 };

export type Verdict =
  | { kind: 'final' }
  /** Not processed (throttled): send again after delayMs; no risk of a duplicate. */
  | { kind: 'retry'; delayMs: number }
  /** The server may or may not have done it (5xx, lost connection). Only safe to resend when the caller says so. */
  | { kind: 'uncertain'; delayMs: number };

/** Retry-After is seconds (possibly fractional) or an HTTP date; returns ms, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Exponential backoff with full jitter bounded below by half the step, so retries spread but still grow. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * What to do with a response. `attempt` counts the attempts of the same kind so far, this one included (1-based):
 * 429s for a 429, all other attempts otherwise. status 0 stands for "no response" (connection reset, timeout).
 */
export function decide(
  status: number,
  retryAfter: string | null | undefined,
  attempt: number,
  policy: RetryPolicy = defaultRetryPolicy,
  random: () => number = Math.random,
): Verdict {
  if (attempt >= (status === 429 ? policy.maxThrottled ?? policy.maxAttempts : policy.maxAttempts)) return { kind: 'final' };
  const hinted = parseRetryAfter(retryAfter);
  const delayMs = Math.min(policy.maxDelayMs, hinted ?? backoffMs(attempt, policy, random));
  if (status === 429) return { kind: 'retry', delayMs };
  // 424: a request this one depended on (in the same batch) failed; this one never ran.
  if (status === 424) return { kind: 'retry', delayMs: hinted ?? 0 };
  if (status === 0 || status === 500 || status === 502 || status === 503 || status === 504) return { kind: 'uncertain', delayMs };
  return { kind: 'final' };
}
