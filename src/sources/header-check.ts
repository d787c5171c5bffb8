import { distance } from 'fastest-levenshtein';
import { SourceError } from '../errors.js';

/**
 * What a standard export's file may carry: its spec's columns (required and optional) and prefixes a vendor may add
 * columns under (`ext_*` in OneRoster, `metadata.*`). Other files of the same standard are named so that a file
 * carrying another file's header is recognised.
 */
export interface HeaderSpec {
  /** The standard's name for messages, e.g. "OneRoster 1.1". */
  standard: string;
  /** Every column of this file in the standard (required ones included). */
  columns: readonly string[];
  /** Column-name prefixes a vendor may add freely (compared ignoring case). */
  extensionPrefixes?: readonly string[];
  /** The other files of the standard and their columns, to recognise a file under the wrong name. */
  siblings?: Readonly<Record<string, readonly string[]>>;
}

/** Two adjacent letters swapped (`emial`, `grdaes`): the commonest slip, which plain edit distance counts twice. */
function oneSwapApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/**
 * How far a header may be from a spec column and still be read as a slip of it: one letter (or swap), two for long
 * names. Wider than that, real alternatives start to look alike ("surname" is two edits from "username").
 */
const slack = (name: string) => (name.length >= 10 ? 2 : 1);

/**
 * Checks a header against its spec before any row is read. Order and extra columns are fine (read by name); what
 * cannot be read without guessing is refused with the file, line 1 and column number:
 * - a column that is not the spec's but is one slip away from a spec column the file lacks (a misspelt optional
 *   header would otherwise be silently empty for everyone);
 * - a header that is another file's (users.csv carrying classes.csv's columns), when the file's own required
 *   columns are missing.
 */
export function checkHeader(file: string, header: readonly string[], required: readonly string[], spec: HeaderSpec): void {
  const own = new Set(spec.columns.map((c) => c.toLowerCase()));
  const present = new Set(header.map((h) => h.toLowerCase()));
  const missingRequired = required.filter((c) => !present.has(c.toLowerCase()));
  if (missingRequired.length && spec.siblings) {
    const ownHits = header.filter((h) => own.has(h.toLowerCase())).length;
    let best: { name: string; hits: number } | undefined;
    for (const [name, columns] of Object.entries(spec.siblings)) {
      const theirs = new Set(columns.map((c) => c.toLowerCase()));
      const hits = header.filter((h) => theirs.has(h.toLowerCase())).length;
      if (hits > ownHits && hits >= Math.ceil(header.length / 2) && (!best || hits > best.hits)) best = { name, hits };
    }
    if (best) {
      throw new SourceError(
        `${file}:1 carries the header of ${best.name} (${header.join(',')}), not of ${file}; is the wrong file saved under this name? (${file} needs ${missingRequired.map((m) => `"${m}"`).join(', ')})`,
        { file, line: 1 },
      );
    }
  }
  const problems: string[] = [];
  header.forEach((h, i) => {
    const lower = h.toLowerCase();
    if (own.has(lower) || (spec.extensionPrefixes ?? []).some((p) => lower.startsWith(p.toLowerCase()))) return;
    const near = spec.columns.find((c) => !present.has(c.toLowerCase()) && (distance(lower, c.toLowerCase()) <= slack(c) || oneSwapApart(lower, c.toLowerCase())));
    if (near) problems.push(`column ${i + 1} "${h}" is not a ${spec.standard} ${file} column; did you mean "${near}"?`);
  });
  if (problems.length) {
    throw new SourceError(`${file}:1: ${problems.join('; ')} (rename it in the export, or prefix a vendor column with ext_)`, { file, line: 1 });
  }
}
