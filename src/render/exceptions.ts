// What a reviewer must look at in a plan, whatever its size: the changes and people that need a person's judgement.
// Shared by the text renderer (which lists them before the folded detail) and the CSV of new accounts.
import { numberedFrom } from '../plan/numbered.js';
import type { Change, Plan } from '../plan/types.js';

const norm = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** New accounts whose address got a number because the template's address was taken, with that address. */
export function numberedCreates(plan: Pick<Plan, 'changes'>): { change: Change; base: string }[] {
  const out: { change: Change; base: string }[] = [];
  for (const c of plan.changes) {
    const base = numberedFrom(c);
    if (base) out.push({ change: c, base });
  }
  return out;
}

/**
 * New accounts for people with the same name in the same year group (or both staff): often one person the MIS
 * lists twice (a re-admission, a second record), sometimes twins. Either way a school office checks before apply.
 */
export function likelyDuplicates(plan: Pick<Plan, 'changes'>): Change[][] {
  const by = new Map<string, Change[]>();
  for (const c of plan.changes) {
    if (c.action !== 'create' || c.kind !== 'user') continue;
    const name = c.subject.displayName ?? (typeof c.after?.displayName === 'string' ? c.after.displayName : undefined);
    if (!name || !c.subject.person) continue;
    const key = `${c.subject.person.slice(0, c.subject.person.indexOf(':'))}\0${c.subject.yearGroup ?? ''}\0${norm(name)}`;
    const list = by.get(key) ?? [];
    if (!list.length) by.set(key, list);
    list.push(c);
  }
  return [...by.values()].filter((l) => l.length > 1);
}

/** Per group, how many join and leave: the folded form of a first sync's tens of thousands of memberships. */
export function membershipTotals(changes: readonly Change[]): { group: string; added: number; removed: number }[] {
  const by = new Map<string, { group: string; added: number; removed: number }>();
  for (const c of changes) {
    if (c.kind !== 'membership' || !c.group) continue;
    const id = c.group.id ?? c.group.createdBy ?? c.group.name;
    let t = by.get(id);
    if (!t) { t = { group: c.group.name, added: 0, removed: 0 }; by.set(id, t); }
    if (c.action === 'add-member' || c.action === 'add-owner') t.added++;
    else t.removed++;
  }
  return [...by.values()].sort((a, b) => a.group.localeCompare(b.group, 'en', { numeric: true }) || b.added - a.added);
}
