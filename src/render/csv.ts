// Every CSV file rollcall writes (match suggestions, first passwords, any export) goes through here, so that opening
// one in a spreadsheet can never run anything: names come from the MIS and accounts from the tenant, and a cell such
// as `=HYPERLINK("http://…","Ava")` would otherwise be a live formula in Excel (CSV injection, OWASP).
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | undefined | null;

/** What a spreadsheet reads as the start of a formula (or, for tab and CR, as a way to hide one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that would start a formula is prefixed with `'`, which spreadsheets show as text and do not evaluate. */
export function safeCell(v: Cell): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/**
 * The inverse for files rollcall reads back (a committed `rollcall match` file): `'` followed by a formula start is
 * what safeCell wrote. No MIS id or address starts that way, so nothing a school writes by hand is changed.
 */
export function restoreCell(v: string): string {
  return v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}

/** A comment is one physical line whatever the MIS put in a name: line breaks and other controls become spaces. */
// eslint-disable-next-line no-control-regex
const oneLine = (v: Cell) => safeCell(v).replace(/[\u0000-\u001f\u007f]/g, ' ');

export type CsvLine = { row: Cell[] } | { comment: Cell[] };

/**
 * CSV text: a header, then rows and `#` comment lines in the order given. Comment lines are what rollcall's readers
 * skip (csv-parse's `comment: '#'`), written as cells too, so a spreadsheet shows them in columns and neutralised.
 * A field holding `#` is quoted, because csv-parse also treats an unquoted `#` inside a line as a comment.
 */
export function csvText(header: string[], lines: CsvLine[]): string {
  const opts = { quoted_match: /#/, record_delimiter: '\n' as const };
  const out = [stringify([header.map(safeCell)], opts)];
  for (const l of lines) {
    if ('row' in l) out.push(stringify([l.row.map(safeCell)], opts));
    else {
      const [first, ...rest] = l.comment.map(oneLine);
      // The leading `# ` must stay the first characters of the line, so the first cell is never quoted.
      const tail = rest.length ? stringify([rest], opts) : '\n';
      out.push(`# ${first.replace(/[",]/g, ' ')}${rest.length ? ',' : ''}${tail}`);
    }
  }
  return out.join('');
}

/** A plain table: a header and rows, every cell neutralised. */
export function csvTable(header: string[], rows: Cell[][]): string {
  return csvText(header, rows.map((row) => ({ row })));
}
