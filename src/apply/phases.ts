import { phaseOf } from '../plan/build.js';
import type { Change } from '../plan/types.js';

/**
 * The plan's changes grouped by apply phase, phases in order, each keeping the plan's order. One pass, one push
 * per change: a trust's first sync has hundreds of thousands of changes, so copying a phase per change would be
 * quadratic.
 */
export function phasesOf(changes: Iterable<Change>): Change[][] {
  const phases = new Map<number, Change[]>();
  for (const c of changes) {
    const phase = phaseOf(c);
    let list = phases.get(phase);
    if (!list) phases.set(phase, (list = []));
    list.push(c);
  }
  return [...phases.keys()].sort((a, b) => a - b).map((p) => phases.get(p)!);
}
