import type { Cell } from './bromcom-data.js';

// The emulator's side of entityFilter: a small T-SQL WHERE subset, enough for the forms rollcall sends
// (comparisons with a date or integer literal, IS [NOT] NULL, AND, OR, parentheses) plus "" and 1=0.
// Anything else is rejected, as SQL Server would reject a malformed filter.

type Pred = (row: Record<string, Cell>) => boolean;

export class FilterSyntaxError extends Error {}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:('(?:[^']|'')*')|(<=|>=|<>|=|<|>|\(|\))|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new FilterSyntaxError(`Incorrect syntax near '${text.slice(pos, pos + 10)}'`);
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    pos = re.lastIndex;
  }
  return tokens;
}

function compare(a: Cell, op: string, lit: string | number): boolean {
  if (a === null || a === undefined) return false; // NULL compares unknown, so the row is not selected
  const left = typeof lit === 'number' ? Number(a) : String(a).slice(0, String(lit).length === 10 ? 10 : undefined);
  switch (op) {
    case '=': return left === lit;
    case '<>': return left !== lit;
    case '<': return left < lit;
    case '<=': return left <= lit;
    case '>': return left > lit;
    case '>=': return left >= lit;
  }
  throw new FilterSyntaxError(`unknown operator ${op}`);
}

export function compileFilter(text: string, columns: string[]): Pred {
  const trimmed = text.trim();
  if (trimmed === '') return () => true;
  if (/^1\s*=\s*0$/.test(trimmed)) return () => false;
  const tokens = tokenize(trimmed);
  let i = 0;
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const peek = () => tokens[i]?.toUpperCase();
  const next = () => tokens[i++];
  const column = (name: string) => {
    const c = byLower.get(name.toLowerCase());
    if (!c) throw new FilterSyntaxError(`Invalid column name '${name}'.`);
    return c;
  };
  const factor = (): Pred => {
    if (peek() === '(') {
      next();
      const e = expr();
      if (next() !== ')') throw new FilterSyntaxError("Incorrect syntax: expected ')'");
      return e;
    }
    const name = column(next() ?? '');
    if (peek() === 'IS') {
      next();
      const not = peek() === 'NOT' ? (next(), true) : false;
      if (next()?.toUpperCase() !== 'NULL') throw new FilterSyntaxError('Incorrect syntax near IS');
      return (r) => ((r[name] ?? null) === null) !== not;
    }
    const op = next();
    const raw = next();
    if (!op || !/^(<=|>=|<>|=|<|>)$/.test(op) || raw === undefined) throw new FilterSyntaxError(`Incorrect syntax near '${name}'`);
    const lit: string | number = raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : Number(raw);
    if (typeof lit === 'number' && !Number.isFinite(lit)) throw new FilterSyntaxError(`Incorrect syntax near '${raw}'`);
    return (r) => compare(r[name], op, lit);
  };
  const term = (): Pred => {
    let left = factor();
    while (peek() === 'AND') {
      next();
      const l = left, r = factor();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const expr = (): Pred => {
    let left = term();
    while (peek() === 'OR') {
      next();
      const l = left, r = term();
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const pred = expr();
  if (i !== tokens.length) throw new FilterSyntaxError(`Incorrect syntax near '${tokens[i]}'`);
  return pred;
}
