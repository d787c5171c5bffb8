const compiled = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else is literal; case-insensitive (addresses and group names). */
export function globMatch(pattern: string, value: string): boolean {
  return globRegExp(pattern).test(value);
}

/** The pattern as a regular expression, made once: a caller testing every person holds on to it. */
export function globRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    compiled.set(pattern, re);
  }
  return re;
}
