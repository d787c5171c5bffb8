// `rollcall plan --kind K --person ID|name`: a reviewer's question about one slice of a plan. The slice is for
// reading only (its summary is recounted, its checksum is still the whole plan's: approving is of the whole).
import type { Change, ChangeKind, Plan, SummaryCounts, Unsynced } from '../plan/types.js';

export interface PlanFilter {
  kind?: ChangeKind;
  /** `student:1042`, a bare MIS id (`1042`), or part of a name or address (case and accents ignored). */
  person?: string;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function summaryOf(changes: readonly Change[]): SummaryCounts {
  const out: SummaryCounts = {};
  for (const c of changes) {
    const row = (out[c.kind] ??= {});
    row[c.action] = (row[c.action] ?? 0) + 1;
  }
  return out;
}

/** The people a `--person` query means: by id, by MIS id, or by a part of a name or address the plan carries. */
export function peopleMatching(plan: Pick<Plan, 'changes' | 'unsynced'>, query: string): Set<string> {
  const q = fold(query.trim());
  const out = new Set<string>();
  const consider = (person: string | undefined, names: (string | undefined)[]) => {
    if (!person) return;
    if (fold(person) === q || fold(person.slice(person.indexOf(':') + 1)) === q) out.add(person);
    else if (q.length >= 2 && names.some((n) => n && fold(n).includes(q))) out.add(person);
  };
  for (const c of plan.changes) {
    // A membership's or event's `name` is the group's or the lesson's, not the person's.
    const name = c.kind === 'user' || c.subject.name?.includes('@') ? c.subject.name : undefined;
    const after = typeof c.after?.displayName === 'string' ? c.after.displayName : undefined;
    consider(c.subject.person, [c.subject.displayName, name, after]);
  }
  for (const u of plan.unsynced) consider(u.person ?? u.subject.person, [u.subject.displayName, u.subject.name, u.account]);
  return out;
}

export function filterPlan(plan: Plan, f: PlanFilter): Plan {
  let changes: Change[] = plan.changes;
  let unsynced: Unsynced[] = plan.unsynced;
  let warnings = plan.warnings;
  let notes = plan.notes;
  if (f.kind) {
    changes = changes.filter((c) => c.kind === f.kind);
    if (f.kind !== 'user') unsynced = [];
  }
  if (f.person !== undefined) {
    const people = peopleMatching(plan, f.person);
    changes = changes.filter((c) => c.subject.person && people.has(c.subject.person));
    unsynced = unsynced.filter((u) => { const p = u.person ?? u.subject.person; return p !== undefined && people.has(p); });
    const ids = [...people];
    warnings = warnings.filter((w) => ids.some((id) => w.includes(id)));
    notes = [];
  }
  return { ...plan, changes, unsynced, warnings, notes, summary: summaryOf(changes) };
}
