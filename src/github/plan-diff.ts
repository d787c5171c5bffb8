// What a pull request changes: the head's plan against the base's, both made from the same MIS and tenant reads.
// Changes are matched by key and action; the same change with different details counts as the PR's doing.
import { canonicalJson } from '../roster/canonical.js';
import type { Change, Plan } from '../plan/types.js';

export interface PlanDiff {
  /** In the head's plan only: this pull request causes them. */
  introduced: Change[];
  /** In both, but this pull request changes what they do. */
  altered: Change[];
  /** In both, the same: they happen whether or not this pull request merges. */
  pending: Change[];
  /** In the base's plan only: merging this pull request stops them. */
  withdrawn: Change[];
}

const id = (c: Change) => `${c.action}\u0000${c.key}`;
const detail = (c: Change) => canonicalJson({ before: c.before ?? null, after: c.after ?? null, target: c.target ?? null, group: c.group ?? null, member: c.member ?? null, destructive: c.destructive });

export function diffPlans(head: Plan, base: Plan | undefined): PlanDiff {
  if (!base) return { introduced: [...head.changes], altered: [], pending: [], withdrawn: [] };
  const inBase = new Map(base.changes.map((c) => [id(c), c]));
  const inHead = new Set(head.changes.map(id));
  const out: PlanDiff = { introduced: [], altered: [], pending: [], withdrawn: [] };
  for (const c of head.changes) {
    const b = inBase.get(id(c));
    if (!b) out.introduced.push(c);
    else if (detail(b) !== detail(c)) out.altered.push(c);
    else out.pending.push(c);
  }
  out.withdrawn = base.changes.filter((c) => !inHead.has(id(c)));
  return out;
}
