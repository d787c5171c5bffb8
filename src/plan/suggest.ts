import { distance } from 'fastest-levenshtein';
import { addressPart } from '../policy/ascii.js';
import type { DesiredUser } from '../policy/users.js';
import type { TenantUser } from '../tenant/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import type { MatchResult } from './match.js';

export type Confidence = 'likely' | 'possible' | 'none';

export interface Suggestion {
  person: DesiredUser;
  account?: TenantUser;
  confidence: Confidence;
  why: string;
}

/** A name as letters a-z, first and last: what "the same name" means here and when a plan holds a person. */
export const nameKey = (first: string | null | undefined, last: string | null | undefined) => `${addressPart(first ?? '')} ${addressPart(last ?? '')}`.trim();

/** A person's name keys, legal and preferred. */
export function personNameKeys(p: DesiredUser): string[] {
  const { legal, preferred } = p.person;
  return [...new Set([nameKey(legal.first, legal.last), nameKey(preferred.first ?? legal.first, preferred.last ?? legal.last)])];
}

export function accountName(u: TenantUser): { first: string; last: string } {
  if (u.givenName || u.surname) return { first: u.givenName ?? '', last: u.surname ?? '' };
  const parts = u.displayName.trim().split(/\s+/);
  return { first: parts[0] ?? '', last: parts.slice(1).join(' ') };
}

/**
 * For people without an account match: which unlinked account is probably theirs (RM Unify's "Link Users").
 * likely: the same normalised name and the account fits the role (its domain or employeeType);
 * possible: a close name (a typo, a shortened first name); none: nothing near. A school reviews and commits them.
 */
export function suggestMatches(people: DesiredUser[], accounts: TenantUser[], match: MatchResult, attribute: AnchorAttribute): Suggestion[] {
  const linked = new Set([...match.matched.values()].map((m) => m.user.id));
  const free = accounts.filter((a) => !linked.has(a.id) && !storedAnchor(a, attribute));
  const byName = new Map<string, TenantUser[]>();
  for (const a of free) {
    const n = accountName(a);
    const k = nameKey(n.first, n.last);
    byName.set(k, [...(byName.get(k) ?? []), a]);
  }
  const out: Suggestion[] = [];
  for (const p of people) {
    if (match.matched.has(p.person.id) || p.status !== 'current') continue;
    const keys = personNameKeys(p);
    const same = [...new Set(keys.flatMap((k) => byName.get(k) ?? []))];
    const fits = (a: TenantUser) => a.userPrincipalName.toLowerCase().endsWith(`@${p.address.domain}`) || a.employeeType === p.employeeType;
    const fitting = same.filter(fits);
    if (fitting.length === 1) {
      out.push({ person: p, account: fitting[0], confidence: 'likely', why: `same name, ${fitting[0].employeeType === p.employeeType ? 'same role' : 'same domain'}` });
      continue;
    }
    if (same.length) {
      out.push({ person: p, account: same[0], confidence: 'possible', why: same.length > 1 ? `${same.length} accounts share the name` : 'same name, role not confirmed' });
      continue;
    }
    let best: { a: TenantUser; d: number } | undefined;
    for (const k of keys) {
      for (const a of free) {
        const n = accountName(a);
        const d = distance(k, nameKey(n.first, n.last));
        if (d <= 2 && (!best || d < best.d)) best = { a, d };
      }
    }
    out.push(best ? { person: p, account: best.a, confidence: 'possible', why: `close name (${best.d} letter${best.d > 1 ? 's' : ''} apart)` } : { person: p, confidence: 'none', why: 'no unlinked account with a similar name' });
  }
  return out;
}
