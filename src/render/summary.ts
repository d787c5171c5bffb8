// What every format shows the same way: order of kinds and actions, the summary table, grouping.
import { NO_WORK_EMAIL } from '../plan/config-warnings.js';
import { CHANGE_KINDS, type Blocked, type Change, type ChangeAction, type ChangeKind, type Plan, type Unsynced, type UnsyncedReason } from '../plan/types.js';

// Records keyed by the union make the compiler name any action, kind or reason added to the Plan later.
const ACTION_RANK: Record<ChangeAction, number> = {
  create: 0, set: 1, assign: 2, update: 3, restore: 4, unarchive: 5, 'add-member': 6, 'add-owner': 7,
  suspend: 8, unassign: 9, archive: 10, 'remove-member': 11, 'remove-owner': 12, remove: 13, delete: 14,
};
// Kinds in CHANGE_KINDS' order (plan/types.ts), the one list of them.
const KIND_RANK = Object.fromEntries(CHANGE_KINDS.map((k, i) => [k, i])) as Record<ChangeKind, number>;
const REASON_RANK: Record<UnsyncedReason, number> = {
  'possible-existing-account': 0, 'address-taken-by-unmanaged-account': 0, conflict: 1, 'no-matching-account': 2, 'no-ascii-name': 3,
  'blocked-address': 4, 'anchor-too-long': 5, 'scope-unknown': 6, 'future-starter': 7, excluded: 8,
};

export const ACTIONS = Object.keys(ACTION_RANK).sort((a, b) => rank(ACTION_RANK, a) - rank(ACTION_RANK, b)) as ChangeAction[];
export const KINDS: readonly ChangeKind[] = CHANGE_KINDS;
export const UNSYNCED_REASONS = Object.keys(REASON_RANK) as UnsyncedReason[];

function rank(table: Record<string, number>, key: string): number {
  return table[key] ?? Number.MAX_SAFE_INTEGER;
}

/** A plan that holds people back from a create says so at the top: they need a school's decision, not a rerun. */
export function heldLine(plan: Pick<Plan, 'unsynced'>): string | undefined {
  const n = plan.unsynced.filter((u) => u.reason === 'possible-existing-account').length;
  if (!n) return undefined;
  return `${plural(n, 'person', 'people')} held: a possible existing account was found, so no account is created until users.manualMatches links it or says create (see possible-existing-account below; rollcall match suggests the rows).`;
}

/** Matching by work e-mail with no e-mail in the MIS matches nobody: said at the top, not only among the warnings. */
export function noWorkEmailLine(plan: Pick<Plan, 'warnings'>): string | undefined {
  return plan.warnings.find((w) => w.startsWith(NO_WORK_EMAIL));
}

export function thousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

export function shortChecksum(checksum: string): string {
  return checksum.slice(0, 12);
}

export interface SummaryTable {
  actions: ChangeAction[];
  rows: { kind: string; counts: Partial<Record<ChangeAction, number>>; total: number }[];
  total: number;
}

/** The plan's own summary (what the checksum covers), in a fixed order, with only the columns in use. */
export function summaryTable(plan: Plan): SummaryTable {
  const kinds = Object.keys(plan.summary).sort((a, b) => rank(KIND_RANK, a) - rank(KIND_RANK, b) || a.localeCompare(b));
  const used = new Set<ChangeAction>();
  const rows = kinds.map((kind) => {
    const counts = plan.summary[kind] ?? {};
    let total = 0;
    for (const [action, n] of Object.entries(counts) as [ChangeAction, number][]) {
      if (!n) continue;
      used.add(action);
      total += n;
    }
    return { kind, counts, total };
  }).filter((r) => r.total > 0);
  const actions = [...used].sort((a, b) => rank(ACTION_RANK, a) - rank(ACTION_RANK, b));
  return { actions, rows, total: rows.reduce((s, r) => s + r.total, 0) };
}

export interface Grouped {
  destructive: Change[];
  /** Non-destructive changes per kind, kinds in a fixed order; the plan's own order within a kind. */
  byKind: [ChangeKind, Change[]][];
}

export function groupChanges(changes: readonly Change[]): Grouped {
  const destructive: Change[] = [];
  const byKind = new Map<ChangeKind, Change[]>();
  for (const c of changes) {
    if (c.destructive) { destructive.push(c); continue; }
    const list = byKind.get(c.kind) ?? [];
    if (!list.length) byKind.set(c.kind, list);
    list.push(c);
  }
  const kinds = [...byKind.keys()].sort((a, b) => rank(KIND_RANK, a) - rank(KIND_RANK, b));
  return { destructive, byKind: kinds.map((k) => [k, byKind.get(k)!]) };
}

export function unsyncedByReason(unsynced: readonly Unsynced[]): [UnsyncedReason, Unsynced[]][] {
  const by = new Map<UnsyncedReason, Unsynced[]>();
  for (const u of unsynced) {
    const list = by.get(u.reason) ?? [];
    if (!list.length) by.set(u.reason, list);
    list.push(u);
  }
  return [...by.entries()].sort(([a], [b]) => rank(REASON_RANK, a) - rank(REASON_RANK, b) || a.localeCompare(b));
}

/** `40 of 1,200 (3.3 %), limit 2 % or 25`: the figures a reviewer needs to judge a block. */
export function blockedFigures(b: Blocked): string {
  const parts: string[] = [];
  if (b.count !== undefined) {
    let share = thousands(b.count);
    if (b.total !== undefined) {
      share += ` of ${thousands(b.total)}`;
      if (b.total > 0) share += ` (${(Math.round((b.count / b.total) * 1000) / 10).toString()} %)`;
    }
    parts.push(share);
  }
  const limits: string[] = [];
  if (b.limit?.percent !== undefined) limits.push(`${b.limit.percent} %`);
  if (b.limit?.count !== undefined) limits.push(thousands(b.limit.count));
  if (limits.length) parts.push(`limit ${limits.join(' or ')}`);
  return parts.join(', ');
}
