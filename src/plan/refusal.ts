// A plan carries its own refusal (octoDNS's `raise_if_unsafe`): whoever applies it (the CLI, an action flow, a
// test) gets the same answer, so no caller can run a blocked plan by forgetting to check.
import { BlockedError } from '../errors.js';
import { planChecksum } from './checksum.js';
import type { Blocked, Change, Plan } from './types.js';

/** What lets a blocked plan through. */
export type Approval =
  /** Exactly this plan: --approve, the action's `approve` input, a review pull request's approval file, a reviewed marker. */
  | { checksum: string }
  /** The merge gate: every destructive change was in the plan reviewed on the pull request (`by` says which). */
  | { destructiveReviewed: (c: Change) => boolean; by: string };

/**
 * Safety limits are judgement calls a person may approve. Any other block (a licence group or mapped group that does
 * not exist, classes on a tenant without Education) is a configuration problem: applying would fail or do
 * something nobody asked for, so no approval lets it through; fixing the configuration does.
 */
export function isApprovable(b: Blocked): boolean {
  return b.rule.startsWith('safety.');
}

/**
 * Limits a per-change review can vouch for: the reviewed marker records the destructive changes a reviewer saw,
 * and calendar events are not among them, so a plan over `safety.maxEventDeletions` needs its exact checksum.
 */
export function reviewCovers(b: Blocked): boolean {
  return isApprovable(b) && b.rule !== 'safety.maxEventDeletions';
}

export interface Refusal {
  /** False when a configuration problem blocks the plan: no approval helps. */
  approvable: boolean;
  message: string;
}

/** Why this plan may not be applied with this approval, or undefined when it may. Pure. */
export function refusalOf(plan: Pick<Plan, 'checksum' | 'blocked' | 'changes'>, approval?: Approval): Refusal | undefined {
  if (!plan.blocked.length) return undefined;
  const rules = (list: Blocked[]) => list.map((b) => b.rule).join(', ');
  const fix = plan.blocked.filter((b) => !isApprovable(b));
  if (fix.length) {
    return {
      approvable: false,
      message: `the plan is blocked by ${rules(fix)}, a configuration problem that no approval lets through: ${fix.map((b) => b.message).join('; ')}. Fix the configuration and plan again`,
    };
  }
  if (approval && 'checksum' in approval && approval.checksum === plan.checksum) return undefined;
  if (approval && 'destructiveReviewed' in approval && plan.blocked.every(reviewCovers) && plan.changes.every((c) => !c.destructive || approval.destructiveReviewed(c))) return undefined;
  return {
    approvable: true,
    message: `the plan is blocked by ${rules(plan.blocked)} and was not approved${approval && 'checksum' in approval ? ` (the approval names ${approval.checksum.slice(0, 12)}, the plan is ${plan.checksum.slice(0, 12)})` : ''}; nothing was written. To apply exactly this plan, approve its checksum ${plan.checksum}`,
  };
}

/**
 * What `--approve` (the action's `approve` input) means for this plan. It names one plan: all 64 digits of its
 * checksum, or the first 12 or more (what a plan's header prints; options.ts refuses fewer). A prefix of this plan's
 * checksum approves this plan; anything else is a mismatch, refused even when the plan is not blocked, because the
 * person approved a plan that is not the one about to be applied.
 */
export function approvalFor(given: string | undefined, plan: Pick<Plan, 'checksum'>): { approval?: Approval; mismatch?: string } {
  if (given === undefined) return {};
  if (plan.checksum.startsWith(given.toLowerCase())) return { approval: { checksum: plan.checksum } };
  return {
    mismatch: `the approval names the plan ${given.slice(0, 12)}, but the plan now is ${plan.checksum.slice(0, 12)}: the MIS, the tenant or the configuration changed since it was reviewed; nothing was written. Review this plan and approve its checksum`,
  };
}

/**
 * Throws unless the plan may be applied: its checksum must describe its contents (a plan whose changes or blocks
 * were edited after planning is not the plan anyone reviewed), and a blocked plan needs its approval.
 */
export function raiseIfRefused(plan: Plan, approval?: Approval): void {
  const actual = planChecksum(plan);
  if (actual !== plan.checksum) {
    throw new BlockedError(`the plan's contents do not match its checksum (${plan.checksum.slice(0, 12)}; its changes give ${actual.slice(0, 12)}): it was changed after it was planned; nothing was written`);
  }
  const refusal = refusalOf(plan, approval);
  if (refusal) throw new BlockedError(refusal.message, { approvable: refusal.approvable });
}
