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

/** Typed ids (`student:1001`, `group:455`): by kind, then by MIS id as compareIds does. */
export function compareTyped(a: string, b: string): number {
  const i = a.lastIndexOf(':');
  const j = b.lastIndexOf(':');
  const pa = a.slice(0, i + 1);
  const pb = b.slice(0, j + 1);
  return pa < pb ? -1 : pa > pb ? 1 : compareIds(a.slice(i + 1), b.slice(j + 1));
}

/** A string that sorts like compareIds: numbers by value (length-prefixed), then everything else by code unit. */
export function idSortKey(id: string): string {
  if (!DIGITS.test(id)) return `~${id}`;
  const n = id.replace(/^0+(?=\d)/, '');
  return `${String(n.length).padStart(3, '0')}${n}`;
}
