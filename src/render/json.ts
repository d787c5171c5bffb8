// The plan as JSON (`schema/plan.schema.json`). `full` is the plan itself, the form apply reads. A masked or
// counts rendering keeps the shape but is marked `redacted`, because its names are gone and its checksum no
// longer describes its content: it is for reading, never for applying.
import type { Plan, UnsyncedReason } from '../plan/types.js';
import { isPersonalRecord, type Masker } from './mask.js';
import { unsyncedByReason } from './summary.js';

export interface Redaction {
  personalData: 'masked' | 'counts';
  /** What `counts` left out, so the numbers survive without the rows. */
  changes?: number;
  unsynced?: Partial<Record<UnsyncedReason, number>>;
  warnings?: number;
  notes?: number;
}

export type RenderedPlan = Plan & { redacted?: Redaction };

export function redactPlan(plan: Plan, m: Masker): RenderedPlan {
  if (m.mode === 'full') return plan;
  const blocked = plan.blocked.map((b) => ({ ...b, message: m.text(b.message) }));
  if (m.mode === 'counts') {
    return {
      ...plan, blocked, changes: [], unsynced: [], warnings: [], notes: [],
      redacted: {
        personalData: 'counts',
        changes: plan.changes.length,
        unsynced: Object.fromEntries(unsyncedByReason(plan.unsynced).map(([r, list]) => [r, list.length])),
        warnings: plan.warnings.length,
        notes: plan.notes.length,
      },
    };
  }
  return {
    ...plan,
    changes: plan.changes.map((c) => {
      const out = { ...c, key: m.key(c), reason: m.text(c.reason), subject: m.subject(c.subject, c.kind) };
      if (c.group) out.group = { ...c.group, name: m.text(c.group.name) };
      if (c.before) out.before = m.values(c.before, isPersonalRecord(c.kind));
      if (c.after) out.after = m.values(c.after, isPersonalRecord(c.kind));
      return out;
    }),
    warnings: plan.warnings.map((w) => m.text(w)),
    blocked,
    unsynced: plan.unsynced.map((u) => {
      const out = { ...u, detail: m.text(u.detail), subject: m.subject(u.subject, 'user') };
      if (u.account !== undefined) out.account = u.account.includes('@') ? m.address(u.account) : m.text(u.account);
      return out;
    }),
    notes: plan.notes.map((n) => m.text(n)),
    redacted: { personalData: 'masked' },
  };
}

export function renderJson(plan: Plan, m: Masker): string {
  return JSON.stringify(redactPlan(plan, m), null, 2) + '\n';
}
