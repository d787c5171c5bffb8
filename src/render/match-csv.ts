// The two files `rollcall match` writes. The first is exactly the `users.manualMatches` format, so it can be committed
// as it stands; the second is a sheet for the person reviewing, with names, which stays out of git.
import { compareTyped } from '../roster/order.js';
import type { Confidence, Suggestion } from '../plan/suggest.js';
import { csvTable, csvText, type CsvLine } from './csv.js';

const ORDER: Confidence[] = ['likely', 'possible', 'none'];

const sorted = (s: Suggestion[]) =>
  [...s].sort((a, b) => ORDER.indexOf(a.confidence) - ORDER.indexOf(b.confidence) || compareTyped(a.person.person.id, b.person.person.id));

/**
 * `misId,userPrincipalName` rows: a likely suggestion is a row, a possible one a commented-out row (linking the wrong
 * person to an account hands them someone else's mail, so a person decides: remove the `# ` to accept it), and a
 * person with no suggestion a comment. Each row is followed by a comment line with its confidence and reason; the
 * file carries ids and addresses only, no names, because it is meant to be committed.
 */
export function manualMatchCsv(s: Suggestion[]): string {
  const lines: CsvLine[] = [
    { comment: ['rollcall match: likely links are rows; possible ones are commented out - delete the leading # of one to accept it. Check every row before committing.'] },
  ];
  for (const r of sorted(s)) {
    const pair = [r.person.person.id, r.account?.userPrincipalName];
    if (r.confidence === 'likely') lines.push({ row: pair });
    else if (r.confidence === 'possible') lines.push({ comment: pair });
    lines.push({ comment: r.confidence === 'none' ? [r.person.person.id, r.confidence, r.why] : [r.confidence, r.why] });
  }
  return csvText(['misId', 'userPrincipalName'], lines);
}

/** The review sheet: who each suggestion is about and which account it names, side by side. Personal data. */
export function matchReviewCsv(s: Suggestion[]): string {
  return csvTable(
    ['misId', 'name', 'yearGroup', 'registrationGroup', 'suggestedAccount', 'accountName', 'confidence', 'reason'],
    sorted(s).map((r) => [
      r.person.person.id, r.person.displayName, r.person.person.yearGroup, r.person.person.registrationGroup,
      r.account?.userPrincipalName, r.account?.displayName, r.confidence, r.why,
    ]),
  );
}
