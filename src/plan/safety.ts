import type { Config } from '../config/load.js';
import { isEventDeletion, isObjectDeletion } from './destructive.js';
import { guardiansTakenOff } from './guardians.js';
import type { Blocked, Change } from './types.js';

type Limit = { percent?: number; count?: number };

export interface SafetyTotals {
  /** Enabled accounts rollcall manages now. */
  activeManaged: number;
  /** Users and groups rollcall manages now. */
  managedObjects: number;
  /** rollcall's calendar events in the tenant now. */
  managedEvents?: number;
  /** Memberships of managed accounts in the groups rollcall manages. */
  managedMemberships: number;
  /** MIS people in scope who should have an active account. */
  inScope: number;
  /** Students' related contacts of rollcall's relationships in the tenant now. */
  managedGuardians?: number;
}

/** Past either figure is too far. A percentage of nothing allows nothing. */
function crosses(count: number, total: number, limit: Limit): boolean {
  if (limit.count !== undefined && count > limit.count) return true;
  if (limit.percent !== undefined && count * 100 > limit.percent * total) return true;
  return false;
}

const pct = (n: number, total: number) => (total ? `${Math.round((n * 1000) / total) / 10}%` : 'all');

/** The limits a plan crosses. A crossed limit blocks the whole plan (exit 3) until its checksum is approved. */
export function checkSafety(config: Config, changes: Change[], totals: SafetyTotals): Blocked[] {
  const limits = config.safety;
  const blocked: Blocked[] = [];
  const count = (pred: (c: Change) => boolean) => changes.filter(pred).length;

  const drop = Math.max(0, totals.activeManaged - totals.inScope);
  if (totals.activeManaged > 0 && crosses(drop, totals.activeManaged, limits.maxSourceDrop)) {
    blocked.push({
      rule: 'safety.maxSourceDrop',
      message: `the MIS lists ${totals.inScope} people in scope but ${totals.activeManaged} managed accounts are active (${pct(drop, totals.activeManaged)} fewer). A settings change in the MIS (e.g. Data Processing Consent) can hide people: check before approving.`,
      count: drop, total: totals.activeManaged, limit: limits.maxSourceDrop,
    });
  }
  const rules: [keyof Config['safety'], (c: Change) => boolean, number, string][] = [
    ['maxSuspensions', (c) => c.action === 'suspend', totals.activeManaged, 'suspensions'],
    ['maxDeletions', isObjectDeletion, totals.managedObjects, 'deletions'],
    ['maxEventDeletions', isEventDeletion, totals.managedEvents ?? 0, 'calendar event deletions'],
    ['maxMembershipRemovals', (c) => c.action === 'remove-member' || c.action === 'remove-owner', totals.managedMemberships, 'membership removals'],
  ];
  // Guardians are counted one by one, in updates too: a source that stops sending second contacts updates everyone.
  const takenOff = changes.reduce((n, c) => n + guardiansTakenOff(c), 0);
  const guardianTotal = totals.managedGuardians ?? 0;
  if (takenOff > 0 && crosses(takenOff, guardianTotal, limits.maxGuardianRemovals)) {
    blocked.push({ rule: 'safety.maxGuardianRemovals', message: `${takenOff} guardians taken off students (${pct(takenOff, guardianTotal)} of ${guardianTotal}) is more than the limit ${describe(limits.maxGuardianRemovals)}`, count: takenOff, total: guardianTotal, limit: limits.maxGuardianRemovals });
  }
  for (const [rule, pred, total, noun] of rules) {
    const n = count(pred);
    if (n > 0 && crosses(n, total, limits[rule])) {
      blocked.push({ rule: `safety.${rule}`, message: `${n} ${noun} (${pct(n, total)} of ${total}) is more than the limit ${describe(limits[rule])}`, count: n, total, limit: limits[rule] });
    }
  }
  return blocked;
}

function describe(l: Limit): string {
  return [l.percent !== undefined ? `${l.percent}%` : '', l.count !== undefined ? `${l.count}` : ''].filter(Boolean).join(' or ');
}
