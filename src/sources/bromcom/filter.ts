import { isValidIsoDate } from '../../roster/dates.js';
import type { IsoDate } from '../../roster/types.js';

// entityFilter is a T-SQL WHERE fragment evaluated by Bromcom. It is only ever built from this small typed tree:
// column names come from rollcall's code and are checked, values are dates or integers rendered by us, so no text
// from config or from the MIS can reach the server as SQL.

export type FilterValue = { date: IsoDate } | { int: number };
export type Filter =
  | { all: true }
  /** No rows: the DataSet's columns alone (a permission check, or column discovery before a table is read). */
  | { none: true }
  | { and: Filter[] }
  | { or: Filter[] }
  | { isNull: string }
  | { cmp: '=' | '<' | '<=' | '>' | '>=' | '<>'; column: string; value: FilterValue };

const COLUMN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function value(v: FilterValue): string {
  if ('date' in v) {
    if (!isValidIsoDate(v.date)) throw new TypeError(`not a date: ${v.date}`);
    return `'${v.date}'`;
  }
  if (!Number.isSafeInteger(v.int)) throw new TypeError(`not an integer: ${v.int}`);
  return String(v.int);
}

function column(name: string): string {
  if (!COLUMN.test(name)) throw new TypeError(`not a column name: ${name}`);
  return name;
}

export function renderFilter(f: Filter): string {
  if ('all' in f) return '';
  if ('none' in f) return '1=0';
  if ('and' in f) return f.and.map((p) => `(${renderFilter(p)})`).join(' AND ');
  if ('or' in f) return f.or.map((p) => `(${renderFilter(p)})`).join(' OR ');
  if ('isNull' in f) return `${column(f.isNull)} IS NULL`;
  return `${column(f.column)} ${f.cmp} ${value(f.value)}`;
}

/** On roll now, starting later, or left on or after `since`: NULL end dates are "still here". */
export function notEndedBefore(since: IsoDate, endColumn = 'EndDate'): Filter {
  return { or: [{ isNull: endColumn }, { cmp: '>=', column: endColumn, value: { date: since } }] };
}

export function between(column: string, from: IsoDate, to: IsoDate): Filter {
  return { and: [{ cmp: '>=', column, value: { date: from } }, { cmp: '<', column, value: { date: to } }] };
}
