// Seeded fault injection: the same seed and the same request sequence give the same faults, so a failing run can
// be replayed. A reset or timeout may strike before or after the handler ran (drawn too): after means the write
// happened but the client never heard, which is what a retrying writer must survive.
import { seededRandom } from './random.js';

export type FaultKind = '429' | '429-no-retry-after' | '503' | 'reset' | 'timeout';

export interface FaultOptions {
  seed: number;
  rate: number;
  kinds?: FaultKind[];
  latencyMs?: [number, number];
  /** How long a 'timeout' fault holds the request before answering 504 GatewayTimeout (default 30 s). */
  timeoutMs?: number;
}

export interface Fault {
  kind: FaultKind;
  /** For reset/timeout: whether the request is processed first. */
  afterHandler: boolean;
}

export class Faults {
  private rand: () => number;
  // Latency has its own stream so enabling it does not change which requests fail.
  private latRand: () => number;
  private kinds: FaultKind[];

  constructor(private opts: FaultOptions) {
    this.rand = seededRandom(opts.seed);
    this.latRand = seededRandom(opts.seed ^ 0x9e3779b9);
    this.kinds = opts.kinds?.length ? opts.kinds : ['429', '429-no-retry-after', '503', 'reset', 'timeout'];
  }

  /** Three draws per request whatever the outcome, so one fault never shifts the sequence of the next ones. */
  draw(inBatch: boolean): Fault | undefined {
    const hit = this.rand();
    const which = this.rand();
    const after = this.rand();
    if (hit >= this.opts.rate) return undefined;
    // A batch's inner request can only answer with a status; connection faults belong to the outer request.
    const kinds = inBatch ? this.kinds.filter((k) => k !== 'reset' && k !== 'timeout') : this.kinds;
    if (!kinds.length) return undefined;
    return { kind: kinds[Math.floor(which * kinds.length)], afterHandler: after < 0.5 };
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs ?? 30_000;
  }

  latency(): number {
    const [lo, hi] = this.opts.latencyMs ?? [0, 0];
    return hi <= lo ? lo : lo + Math.floor(this.latRand() * (hi - lo));
  }
}
