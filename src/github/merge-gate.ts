// Whether a merge may apply the plan made now. Pure: the flow gathers what was reviewed and approved.
import { destructiveHash, type MarkerScheme, type PlanMarker } from './marker.js';
import { isApprovable, reviewCovers, type Approval } from '../plan/refusal.js';
import type { Change, Plan } from '../plan/types.js';

export type MergeDecision =
  | { apply: false; nothing: true; why: string }
  /** `approval` is what lets a blocked plan through; applyPlan checks it again. */
  | { apply: true; why: string; approval?: Approval }
  | { apply: false; nothing?: false; why: string; unreviewed: Change[] };

/**
 * Apply when the plan is exactly the one approved (review pull request) or reviewed, when it is within the
 * safety limits, or when every destructive change in it was in the reviewed plan. A block that is not a safety
 * limit (a missing group, an unsupported tenant) is a configuration problem: nothing lets it through.
 */
export function decideMerge(plan: Plan, reviewed: PlanMarker | undefined, approved: string | undefined, scheme: MarkerScheme = { kind: 'sha256' }): MergeDecision {
  if (!plan.changes.length) return { apply: false, nothing: true, why: 'nothing to change' };
  const hard = plan.blocked.filter((b) => !isApprovable(b));
  if (hard.length) {
    return { apply: false, why: `the plan is blocked by ${hard.map((b) => b.rule).join(', ')}, a configuration problem that no review or approval lets through: fix the configuration`, unreviewed: [] };
  }
  const exact: Approval = { checksum: plan.checksum };
  if (approved === plan.checksum) return { apply: true, why: `the plan is exactly the one approved in the review pull request (${plan.checksum.slice(0, 12)})`, approval: exact };
  if (reviewed?.checksum === plan.checksum) return { apply: true, why: `the plan is exactly the one reviewed (${plan.checksum.slice(0, 12)})`, approval: exact };
  if (!plan.blocked.length) return { apply: true, why: reviewed ? 'the plan changed since review but is within the safety limits' : 'the plan is within the safety limits' };
  const destructive = plan.changes.filter((c) => c.destructive);
  if (!reviewed) {
    return { apply: false, why: `the plan crosses ${plan.blocked.map((b) => b.rule).join(', ')} and no reviewed plan was found for this commit`, unreviewed: destructive };
  }
  if (!reviewed.destructive || (reviewed.scheme ?? 'sha256') !== scheme.kind) {
    const why = reviewed.scheme === 'overflow' ? 'the reviewed plan had too many destructive changes to compare one by one'
      : reviewed.scheme === 'withheld' ? 'the reviewed plan\'s destructive changes were not recorded (a public repository without the marker-key input), so only its exact checksum is let through'
      : 'the reviewed plan recorded its destructive changes with another marker key than this run\'s';
    return { apply: false, why: `the plan crosses ${plan.blocked.map((b) => b.rule).join(', ')}, and ${why}`, unreviewed: destructive };
  }
  const uncovered = plan.blocked.filter((b) => !reviewCovers(b));
  if (uncovered.length) {
    return { apply: false, why: `the plan crosses ${uncovered.map((b) => b.rule).join(', ')}, which a review lets through only by the plan's exact checksum (the reviewed plan was ${reviewed.checksum.slice(0, 12)})`, unreviewed: destructive };
  }
  const seen = reviewed.destructive;
  const unreviewed = destructive.filter((c) => !seen.has(destructiveHash(c, scheme)));
  if (!unreviewed.length) {
    return {
      apply: true,
      why: `every destructive change was in the reviewed plan (${reviewed.checksum.slice(0, 12)}), though it crosses ${plan.blocked.map((b) => b.rule).join(', ')}`,
      approval: { destructiveReviewed: (c) => seen.has(destructiveHash(c, scheme)), by: `the plan reviewed on the pull request (${reviewed.checksum.slice(0, 12)})` },
    };
  }
  return { apply: false, why: `${unreviewed.length} destructive change(s) were not in the reviewed plan (${reviewed.checksum.slice(0, 12)}) and the plan crosses ${plan.blocked.map((b) => b.rule).join(', ')}`, unreviewed };
}
