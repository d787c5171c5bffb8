import type { Change, ChangeKind } from '../plan/types.js';
import type { OpResult } from '../tenant/types.js';

export interface ChangeResult {
  key: string;
  kind: Change['kind'];
  action: Change['action'];
  status: OpResult['status'];
  detail?: string;
  requestId?: string;
  error?: OpResult['error'];
}

export type Counts = { done: number; skipped: number; failed: number };

/** Failed changes kept for the log and the summary mail; the counts cover every one. */
export const MAX_FAILURES_KEPT = 500;

/**
 * What an apply keeps of its results: counts (in all and per kind) and the first failures. A first sync with a
 * calendar for every pupil is 70,000+ changes; memory must not grow with them, so each result is counted as it
 * comes (and handed to whoever streams them) and then dropped.
 */
export class ApplyTally {
  readonly counts: Counts = { done: 0, skipped: 0, failed: 0 };
  readonly byKind: Partial<Record<ChangeKind, Counts>> = {};
  readonly failures: ChangeResult[] = [];

  add(r: ChangeResult): void {
    this.counts[r.status]++;
    (this.byKind[r.kind] ??= { done: 0, skipped: 0, failed: 0 })[r.status]++;
    if (r.status === 'failed' && this.failures.length < MAX_FAILURES_KEPT) this.failures.push(r);
  }
}
