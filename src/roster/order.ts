// How MIS ids sort: the same on every machine, numbers by value. Used wherever people and groups are listed.

const DIGITS = /^\d+$/;

/**
 * Compares MIS ids so that 2 comes before 10 ("lowest MIS id first" means numerically where ids are numbers),
 * otherwise by code unit. Not localeCompare: this sorts a trust's people and must be the same on every machine.
 */
export function compareIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Typed ids (`student:1001`, `group:455`): by kind (the text up to the last colon, with it), then by MIS id as
 * compareIds does. Read in place, with no substring made: it sorts a trust's 21,000 groups, 300,000 comparisons.
 */
export function compareTyped(a: string, b: string): number {
  const i = a.lastIndexOf(':') + 1;
  const j = b.lastIndexOf(':') + 1;
  const kind = compareRange(a, 0, i, b, 0, j);
  return kind !== 0 ? kind : compareIdsAt(a, i, b, j);
}

/** a[from, to) against b[bFrom, bTo) by code unit, as `<` compares those substrings: -1, 0 or 1. */
function compareRange(a: string, from: number, to: number, b: string, bFrom: number, bTo: number): number {
  const n = Math.min(to - from, bTo - bFrom);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(from + k);
    const y = b.charCodeAt(bFrom + k);
    if (x !== y) return x < y ? -1 : 1;
  }
  const la = to - from;
  const lb = bTo - bFrom;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** Whether a[from..] is one or more digits (DIGITS). */
function digitsFrom(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let k = from; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The length of s[from..], all digits, without its leading zeros (one zero kept), as compareIds strips them. */
function significantDigits(s: string, from: number): number {
  let k = from;
  while (k < s.length - 1 && s.charCodeAt(k) === 48) k++;
  return s.length - k;
}

/** compareIds(a.slice(i), b.slice(j)), without the slices. */
function compareIdsAt(a: string, i: number, b: string, j: number): number {
  if (digitsFrom(a, i) && digitsFrom(b, j)) {
    const x = significantDigits(a, i);
    const y = significantDigits(b, j);
    if (x !== y) return x - y;
  }
  return compareRange(a, i, a.length, b, j, b.length);
}

/** A string that sorts like compareIds: numbers by value (length-prefixed), then everything else by code unit. */
export function idSortKey(id: string): string {
  if (!DIGITS.test(id)) return `~${id}`;
  const n = id.replace(/^0+(?=\d)/, '');
  return `${String(n.length).padStart(3, '0')}${n}`;
}
