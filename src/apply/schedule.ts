import { phaseOf } from '../plan/build.js';
import type { Change, ObjectRef } from '../plan/types.js';

/** The object a reference names: the change that creates it, or its Graph id. */
export const objectKey = (ref: ObjectRef | undefined): string | undefined => ref?.createdBy ?? ref?.id;

/** When a phase may start: once `phases` are done and, when `perGroup` is set, that phase's changes on its group. */
export interface PhaseStart { phases: number[]; perGroup?: number }

const phase = (kind: Change['kind'], action: Change['action']) => phaseOf({ kind, action });

/** Phase 4's changes that are not memberships (guardians, on the education profiles of phase 3) are scheduled as this. */
export const AFTER_MEMBERSHIPS = 0.5;

/**
 * The plan's phases as apply schedules them: each phase a unit, except that phase 4 is split in two, its memberships
 * (which need only their accounts and groups) and the rest (guardians need the education profiles of phase 3), the
 * rest numbered phase + AFTER_MEMBERSHIPS. Plan order is kept within each unit.
 */
export function unitsOf(phases: Change[][]): { number: number; changes: Change[] }[] {
  const memberships = phase('membership', 'add-member');
  return phases.flatMap((changes) => {
    const n = phaseOf(changes[0]);
    if (n !== memberships) return [{ number: n, changes }];
    const own = changes.filter((c) => c.kind === 'membership');
    const rest = changes.filter((c) => c.kind !== 'membership');
    return [...(own.length ? [{ number: n, changes: own }] : []), ...(rest.length ? [{ number: n + AFTER_MEMBERSHIPS, changes: rest }] : [])];
  });
}

/**
 * The earlier phases a phase waits for. A phase waits for all earlier ones (the plan's order), except those that
 * need less, so that the write quota never idles while they wait or are waited for (a phase's last answers take a
 * round trip or a replication retry, during which a phase waiting for it would leave the quota unused):
 * - accounts (creates, restores) need no group or class: they are written right behind them;
 * - memberships need only their accounts and groups, not the updates, education profiles and licences of phase 3;
 * - events need only their mailbox's account: they start once accounts are created and restored, beside the
 *   education profiles and memberships that use the directory's quota (Outlook's limits are per mailbox);
 * - a class's team needs its class with its teachers (owners) in it: it waits for the phases before memberships
 *   and, of the memberships, only its own group's (`perGroup`), and is then created (under Teams' own quota)
 *   while other groups' memberships are still being written;
 * - the rest of phase 4 (guardians, on the education profiles) waits for phase 3, not for the memberships.
 * Everything after them (removals, archives, suspensions, deletions) waits for every earlier phase, these included.
 */
export function startOf(p: number, earlier: number[]): PhaseStart {
  const groups = phase('group', 'create');
  const accounts = [phase('user', 'create'), phase('user', 'restore')];
  const memberships = phase('membership', 'add-member');
  if (accounts.includes(p)) return { phases: earlier.filter((e) => e !== groups) };
  if (p === memberships) return { phases: earlier.filter((e) => e === groups || accounts.includes(e)) };
  if (p === memberships + AFTER_MEMBERSHIPS) return { phases: earlier.filter((e) => e !== memberships) };
  if (p === phase('event', 'create')) return { phases: earlier.filter((e) => accounts.includes(e)) };
  if (p === phase('team', 'create')) {
    return { phases: earlier.filter((e) => e < memberships), ...(earlier.includes(memberships) ? { perGroup: memberships } : {}) };
  }
  return { phases: earlier };
}

/** The group a change of a per-group phase belongs to (a membership's group, a team's class). */
export const groupOf = (c: Change): string | undefined => objectKey(c.group ?? c.target);

/** Counts down each group's pending changes; `settled(group)` resolves once none is left (at once if none was). */
export class GroupGate {
  private left = new Map<string, number>();
  private waiting = new Map<string, () => void>();
  private done = new Map<string, Promise<void>>();

  expect(group: string): void {
    this.left.set(group, (this.left.get(group) ?? 0) + 1);
  }

  settle(group: string): void {
    const n = (this.left.get(group) ?? 0) - 1;
    this.left.set(group, n);
    if (n <= 0) this.waiting.get(group)?.();
  }

  settled(group: string): Promise<void> {
    if (!(this.left.get(group) ?? 0)) return Promise.resolve();
    let p = this.done.get(group);
    if (!p) this.done.set(group, (p = new Promise<void>((resolve) => this.waiting.set(group, resolve))));
    return p;
  }
}
