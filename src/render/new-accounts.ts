// `rollcall plan --format csv`: the accounts a plan would create, one row each, for a school office to check
// names, years and registration groups against the MIS before apply. Through the one CSV writer (csv.ts).
import type { Plan } from '../plan/types.js';
import { csvText, type CsvLine } from './csv.js';
import { likelyDuplicates, numberedCreates } from './exceptions.js';
import type { Masker } from './mask.js';

/** What the plan does not carry about a person but an office checks: from the roster the plan was made from. */
export interface PersonFacts { yearGroup?: string; registrationGroup?: string }

export const NEW_ACCOUNT_COLUMNS = ['MIS id', 'role', 'name', 'year', 'registration group', 'address', 'note'];

export function newAccountsCsv(plan: Plan, m: Masker, people: ReadonlyMap<string, PersonFacts> = new Map()): string {
  const creates = plan.changes.filter((c) => c.action === 'create' && c.kind === 'user');
  if (m.mode === 'counts') {
    return csvText(NEW_ACCOUNT_COLUMNS, [{ comment: [`${creates.length} new accounts; rows not shown (report.personalData: counts)`] }]);
  }
  const numbered = new Map(numberedCreates(plan).map(({ change, base }) => [change.key, base]));
  const twinOf = new Map<string, string[]>();
  for (const list of likelyDuplicates(plan)) for (const c of list) twinOf.set(c.key, list.filter((o) => o !== c).map((o) => o.subject.person!));
  const lines: CsvLine[] = creates.map((c) => {
    const person = c.subject.person ?? '';
    const facts = people.get(person) ?? {};
    const name = m.full ? (c.subject.displayName ?? String(c.after?.displayName ?? '')) : m.initials(c.subject.initials ?? '');
    const notes = [
      numbered.has(c.key) && `numbered: ${m.address(numbered.get(c.key)!)} is taken`,
      twinOf.has(c.key) && `same name and year as ${twinOf.get(c.key)!.join(', ')}`,
    ].filter(Boolean).join('; ');
    return {
      row: [person.slice(person.indexOf(':') + 1), person.slice(0, person.indexOf(':')), name, facts.yearGroup ?? c.subject.yearGroup,
        facts.registrationGroup, m.address(String(c.after?.userPrincipalName ?? c.subject.name ?? '')), notes],
    };
  });
  return csvText(NEW_ACCOUNT_COLUMNS, lines);
}
