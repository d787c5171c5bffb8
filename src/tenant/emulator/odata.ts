// OData query options as Graph accepts them: $select, $top, $skiptoken, $filter (a small but real grammar),
// $expand, $count. The filter evaluator compares strings case-insensitively, like Entra and Outlook do.
import { GraphError, odataError } from './errors.js';

export type Expr =
  | { t: 'lit'; v: string | number | boolean | null }
  | { t: 'path'; p: string[] }
  | { t: 'list'; items: Expr[] }
  | { t: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; l: Expr; r: Expr }
  | { t: 'in'; l: Expr; r: Expr }
  | { t: 'and' | 'or'; l: Expr; r: Expr }
  | { t: 'not'; e: Expr }
  | { t: 'fn'; name: string; args: Expr[] }
  | { t: 'any' | 'all'; p: string[]; v: string; e: Expr };

// Bare GUIDs are tried first: one starting with a letter would otherwise lex as an identifier.
const TOKEN = /\s*(?:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))|('(?:[^']|'')*')|(\()|(\))|(,)|(:)|([A-Za-z_$][\w$.]*(?:\/[A-Za-z_$][\w$.]*)*)|(-?\d{4}-\d\d-\d\dT[\d:.]+Z?)|(-?\d+(?:\.\d+)?))/y;

interface Tok {
  k: 'str' | '(' | ')' | ',' | ':' | 'id' | 'num' | 'date';
  v: string;
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw odataError(`Invalid filter clause: syntax error at position ${pos} in '${src}'.`);
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ k: 'str', v: m[1] });
    else if (m[2] !== undefined) out.push({ k: 'str', v: m[2].slice(1, -1).replace(/''/g, "'") });
    else if (m[3]) out.push({ k: '(', v: '(' });
    else if (m[4]) out.push({ k: ')', v: ')' });
    else if (m[5]) out.push({ k: ',', v: ',' });
    else if (m[6]) out.push({ k: ':', v: ':' });
    else if (m[7]) out.push({ k: 'id', v: m[7] });
    else if (m[8]) out.push({ k: 'date', v: m[8] });
    else if (m[9]) out.push({ k: 'num', v: m[9] });
  }
  return out;
}

export function parseFilter(src: string): Expr {
  const toks = lex(src);
  let i = 0;
  const fail = (): never => {
    throw odataError(`Invalid filter clause: syntax error at position ${i} in '${src}'.`);
  };
  const peek = () => toks[i];
  const isWord = (w: string) => peek()?.k === 'id' && peek()!.v.toLowerCase() === w;
  const expect = (k: Tok['k']) => (peek()?.k === k ? toks[i++] : fail());

  const or = (): Expr => {
    let l = and();
    while (isWord('or')) {
      i++;
      l = { t: 'or', l, r: and() };
    }
    return l;
  };
  const and = (): Expr => {
    let l = not();
    while (isWord('and')) {
      i++;
      l = { t: 'and', l, r: not() };
    }
    return l;
  };
  const not = (): Expr => {
    if (isWord('not')) {
      i++;
      return { t: 'not', e: not() };
    }
    return cmp();
  };
  const cmp = (): Expr => {
    const l = primary();
    const w = peek()?.k === 'id' ? peek()!.v.toLowerCase() : '';
    if (['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(w)) {
      i++;
      return { t: 'cmp', op: w as 'eq', l, r: primary() };
    }
    if (w === 'in') {
      i++;
      return { t: 'in', l, r: primary() };
    }
    return l;
  };
  const primary = (): Expr => {
    const tok = peek() ?? fail();
    if (tok.k === '(') {
      i++;
      const first = or();
      if (peek()?.k === ',') {
        const items = [first];
        while (peek()?.k === ',') {
          i++;
          items.push(or());
        }
        expect(')');
        return { t: 'list', items };
      }
      expect(')');
      return first;
    }
    i++;
    if (tok.k === 'str' || tok.k === 'date') return { t: 'lit', v: tok.v };
    if (tok.k === 'num') return { t: 'lit', v: Number(tok.v) };
    if (tok.k !== 'id') return fail();
    const low = tok.v.toLowerCase();
    if (low === 'true' || low === 'false') return { t: 'lit', v: low === 'true' };
    if (low === 'null') return { t: 'lit', v: null };
    const parts = tok.v.split('/');
    const last = parts[parts.length - 1].toLowerCase();
    if (peek()?.k === '(' && parts.length > 1 && (last === 'any' || last === 'all')) {
      i++;
      const v = expect('id').v;
      expect(':');
      const e = or();
      expect(')');
      return { t: last, p: parts.slice(0, -1), v, e };
    }
    if (peek()?.k === '(' && parts.length === 1) {
      i++;
      const args: Expr[] = [];
      if (peek()?.k !== ')') {
        args.push(or());
        while (peek()?.k === ',') {
          i++;
          args.push(or());
        }
      }
      expect(')');
      return { t: 'fn', name: low, args };
    }
    return { t: 'path', p: parts };
  };
  const e = or();
  if (i !== toks.length) fail();
  return e;
}

/** Walks the tree; used to refuse what Graph refuses (e.g. `ne` without advanced query headers). */
export function filterFeatures(e: Expr, acc = { ops: new Set<string>(), paths: new Set<string>() }, bound: string[] = []) {
  switch (e.t) {
    case 'cmp':
      acc.ops.add(e.op);
      filterFeatures(e.l, acc, bound);
      filterFeatures(e.r, acc, bound);
      break;
    case 'in':
    case 'and':
    case 'or':
      acc.ops.add(e.t);
      filterFeatures(e.l, acc, bound);
      filterFeatures(e.r, acc, bound);
      break;
    case 'not':
      acc.ops.add('not');
      filterFeatures(e.e, acc, bound);
      break;
    case 'fn':
      acc.ops.add(e.name);
      e.args.forEach((a) => filterFeatures(a, acc, bound));
      break;
    case 'any':
    case 'all':
      acc.ops.add(e.t);
      acc.paths.add(e.p.join('/'));
      filterFeatures(e.e, acc, [...bound, e.v]);
      break;
    case 'path':
      // Lambda variables (the `ep` of `Any(ep: ep/id eq …)`) are not properties of the type.
      if (!bound.includes(e.p[0])) acc.paths.add(e.p.join('/'));
      break;
    case 'list':
      e.items.forEach((a) => filterFeatures(a, acc, bound));
      break;
  }
  return acc;
}

type Scope = Record<string, unknown>;

function resolve(obj: unknown, path: string[], scope: Scope): unknown {
  let cur: unknown = path[0] in scope ? scope[path[0]] : (obj as Scope | undefined)?.[path[0]];
  for (const seg of path.slice(1)) cur = cur && typeof cur === 'object' ? (cur as Scope)[seg] : undefined;
  return cur;
}

function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function compare(a: unknown, b: unknown): number {
  const x = norm(a);
  const y = norm(b);
  if (x === y) return 0;
  if (x === null || x === undefined) return -1;
  if (y === null || y === undefined) return 1;
  return (x as number) < (y as number) ? -1 : 1;
}

export function evaluate(e: Expr, obj: unknown, scope: Scope = {}): unknown {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'path':
      return resolve(obj, e.p, scope) ?? null;
    case 'list':
      return e.items.map((x) => evaluate(x, obj, scope));
    case 'cmp': {
      const l = evaluate(e.l, obj, scope);
      const r = evaluate(e.r, obj, scope);
      if (e.op === 'eq') return compare(l, r) === 0 && norm(l) === norm(r);
      if (e.op === 'ne') return norm(l) !== norm(r);
      if (l === null || r === null) return false;
      const c = compare(l, r);
      return e.op === 'gt' ? c > 0 : e.op === 'ge' ? c >= 0 : e.op === 'lt' ? c < 0 : c <= 0;
    }
    case 'in': {
      const l = norm(evaluate(e.l, obj, scope));
      const r = evaluate(e.r, obj, scope);
      const list = Array.isArray(r) ? r : [r];
      return list.some((x) => norm(x) === l);
    }
    case 'and':
      return Boolean(evaluate(e.l, obj, scope)) && Boolean(evaluate(e.r, obj, scope));
    case 'or':
      return Boolean(evaluate(e.l, obj, scope)) || Boolean(evaluate(e.r, obj, scope));
    case 'not':
      return !evaluate(e.e, obj, scope);
    case 'fn': {
      const args = e.args.map((a) => evaluate(a, obj, scope));
      const [a, b] = args.map((x) => (typeof x === 'string' ? x.toLowerCase() : x));
      if (e.name === 'startswith') return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
      if (e.name === 'endswith') return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
      if (e.name === 'contains') return typeof a === 'string' && typeof b === 'string' && a.includes(b);
      throw odataError(`An unknown function with name '${e.name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
    }
    case 'any':
    case 'all': {
      const coll = resolve(obj, e.p, scope);
      const items = Array.isArray(coll) ? coll : [];
      const test = (x: unknown) => Boolean(evaluate(e.e, obj, { ...scope, [e.v]: x }));
      return e.t === 'any' ? items.some(test) : items.every(test);
    }
  }
}

export interface Query {
  select?: string[];
  top?: number;
  filter?: Expr;
  filterText?: string;
  expand?: string;
  skiptoken?: string;
  count: boolean;
  raw: URLSearchParams;
}

const KNOWN = new Set(['$select', '$top', '$filter', '$expand', '$skiptoken', '$count', '$orderby', '$search', '$skip', '$deltatoken', '$format']);

export function parseQuery(params: URLSearchParams): Query {
  for (const key of params.keys()) {
    if (key.startsWith('$') && !KNOWN.has(key.toLowerCase())) throw odataError(`Query option '${key}' is not allowed. Make sure that the query option is valid.`);
  }
  const get = (k: string) => params.get(k) ?? params.get(k.toUpperCase()) ?? undefined;
  const q: Query = { count: get('$count') === 'true', raw: params };
  const select = get('$select');
  if (select !== undefined) q.select = select.split(',').map((s) => s.trim()).filter(Boolean);
  const top = get('$top');
  if (top !== undefined) {
    if (!/^\d+$/.test(top)) throw odataError(`Invalid value '${top}' for $top query option found. The $top query option requires a non-negative integer value.`);
    q.top = Number(top);
  }
  const filter = get('$filter');
  if (filter !== undefined) {
    q.filterText = filter;
    q.filter = parseFilter(filter);
  }
  q.expand = get('$expand');
  q.skiptoken = get('$skiptoken');
  return q;
}

/** Checks $top against a resource's limit; Entra rejects 0 and anything over 999. */
export function pageSize(q: Query, def: number, max: number): number {
  if (q.top === undefined) return def;
  if (q.top < 1 || q.top > max) {
    throw new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${q.top}'. Must be between 1 and ${max} inclusive.`);
  }
  return q.top;
}

export function encodeSkip(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

export function decodeSkip<T>(token: string): T {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw odataError('Invalid skip token.');
  }
}

/** One page of a list plus its @odata.nextLink, which repeats every query option but $skiptoken. */
export function paginate<T>(items: T[], q: Query, linkBase: string, def: number, max: number): { page: T[]; nextLink?: string } {
  const size = pageSize(q, def, max);
  const offset = q.skiptoken ? decodeSkip<{ o: number }>(q.skiptoken).o : 0;
  const page = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { page };
  const params = new URLSearchParams(q.raw);
  params.delete('$skiptoken');
  params.set('$skiptoken', encodeSkip({ o: offset + size }));
  return { page, nextLink: `${linkBase}?${params.toString()}` };
}

/** $select projection: exactly the selected properties, unset ones as null (Graph's behaviour). */
export function project(obj: Record<string, unknown>, select: string[] | undefined, defaults: readonly string[]): Record<string, unknown> {
  const keys = select ?? defaults;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = obj[k] === undefined ? null : obj[k];
  return out;
}
