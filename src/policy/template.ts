import { TOKEN_RE } from '../config/tokens.js';
import { addressPart } from './ascii.js';

export type TokenValues = Record<string, string | undefined>;

function cut(value: string, n: number | undefined): string {
  if (n === undefined) return value;
  return n >= 0 ? value.slice(0, n) : value.slice(n);
}

/**
 * Fills a display template: tokens as written (trimmed), `{t:N}` first N characters, `{t:-N}` last N.
 * A token with no value is an empty string, and runs of spaces it leaves behind are tidied.
 */
export function renderText(template: string, values: TokenValues): string {
  let out = '';
  for (const part of compiled(template)) out += typeof part === 'string' ? part : cut((values[part.name] ?? '').trim(), part.n);
  // Tidied only when there is something to tidy (a run of spaces, another kind of space, one at either end):
  // most names have none, and a trust renders half a million of them.
  return UNTIDY.test(out) ? out.replace(/\s+/g, ' ').trim() : out;
}

const UNTIDY = /\s\s|[^\S ]|^\s|\s$/;

type Part = string | { name: string; n: number | undefined };
const templates = new Map<string, Part[]>();

/** A template as literal text and tokens, split once: every person of a trust is rendered through the same few. */
function compiled(template: string): Part[] {
  let parts = templates.get(template);
  if (parts) return parts;
  parts = [];
  let at = 0;
  for (const m of template.matchAll(TOKEN_RE)) {
    if (m.index > at) parts.push(template.slice(at, m.index));
    parts.push({ name: m[1], n: m[2] === undefined ? undefined : Number(m[2]) });
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  templates.set(template, parts);
  return parts;
}

/**
 * Fills an address template. Each token is folded to a-z0-9 before it is cut, so `{first:1}` of "Æsa" is the
 * "a" of "aesa": the first character a person reads in their address. Literal text stays; consecutive dots collapse; no leading or trailing dot; the local part is cut to 64.
 * Returns undefined when a required token leaves nothing: such a person is reported, never half-created.
 */
export function renderAddress(template: string, values: TokenValues, required: readonly string[] = ['first', 'last']): { local: string; domain: string } | undefined {
  let missing = false;
  const filled = template.replace(TOKEN_RE, (_, name: string, n?: string) => {
    const part = cut(addressPart(values[name] ?? ''), n === undefined ? undefined : Number(n));
    if (part === '' && required.includes(name)) missing = true;
    return part;
  });
  if (missing) return undefined;
  const at = filled.lastIndexOf('@');
  const domain = filled.slice(at + 1).toLowerCase();
  let local = filled
    .slice(0, at)
    .toLowerCase()
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '');
  local = local.slice(0, 64).replace(/\.+$/, '');
  if (local === '') return undefined;
  return { local, domain };
}
