// The tokens each kind of template may use. The schema's patterns and the template engine both read
// these lists, so a token is either allowed everywhere it makes sense or nowhere.

export const USER_TOKENS = [
  'first', 'last', 'middle', 'preferredFirst', 'preferredLast', 'misId', 'admissionNumber',
  'entryYear', 'yearGroup', 'registrationGroup', 'house', 'staffCode', 'schoolKey',
] as const;

export const GROUP_TOKENS = ['academicYear', 'name', 'kind', 'misId', 'subject', 'schoolKey'] as const;

export const CALENDAR_TOKENS = ['class', 'subject', 'room', 'period', 'teacher'] as const;

export type UserToken = (typeof USER_TOKENS)[number];
export type GroupToken = (typeof GROUP_TOKENS)[number];

/** `{token}`, `{token:N}` (first N characters) or `{token:-N}` (last N). */
export const TOKEN_RE = /\{([A-Za-z]+)(?::(-?\d+))?\}/g;

/** A regular expression (as source text) matching a template that uses only the given tokens. */
export function templatePattern(tokens: readonly string[]): string {
  return `^(?:[^{}]|\\{(?:${tokens.join('|')})(?::-?[1-9][0-9]*)?\\})*$`;
}

/** Tokens used in a template that are not in the allowed list (also catches stray braces as "{"). */
export function unknownTokens(template: string, allowed: readonly string[]): string[] {
  const unknown: string[] = [];
  const rest = template.replace(TOKEN_RE, (whole, name: string) => {
    if (!allowed.includes(name)) unknown.push(whole);
    return '';
  });
  if (/[{}]/.test(rest)) unknown.push('unmatched brace');
  return unknown;
}
