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
  return fill(compiled(template), values);
}

function fill(parts: readonly Part[], values: TokenValues): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : cut((values[part.name] ?? '').trim(), part.n);
  // Tidied only when there is something to tidy (a run of spaces, another kind of space, one at either end):
  // most names have none, and a trust renders half a million of them.
  return UNTIDY.test(out) ? out.replace(/\s+/g, ' ').trim() : out;
}

/** renderText for one template, split once: what a role's templates are for each of a trust's people. */
export function textRenderer(template: string): (values: TokenValues) => string {
  const parts = compiled(template);
  return (values) => fill(parts, values);
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
  const local = tidyLocal(filled.slice(0, at).toLowerCase());
  if (local === '') return undefined;
  return { local, domain };
}

/** The rules renderAddress applies to the local part: no run of dots, none at either end, at most 64 characters. */
function tidyLocal(local: string): string {
  const tidied = local.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
  return tidied.slice(0, 64).replace(/\.+$/, '');
}

type AddressPart = string | { name: string; n: number | undefined; required: boolean };

/**
 * renderAddress for one template and its required tokens, compiled once for a role (a trust renders 108,000
 * addresses through two templates). Token values are folded to a-z0-9, so the address's last `@` is the last `@` of
 * the template's literal text: the template is split there once, its literal text lower-cased once, and each
 * distinct name folded once (names repeat). Gives exactly what renderAddress gives (template.test.ts); a template
 * without a literal `@`, or with literal text that is not ASCII, is rendered by renderAddress itself.
 */
export function addressRenderer(template: string, required: readonly string[] = ['first', 'last']): (values: TokenValues) => { local: string; domain: string } | undefined {
  const parts = compiled(template);
  let split = -1;
  parts.forEach((p, i) => { if (typeof p === 'string' && p.includes('@')) split = i; });
  if (split < 0 || parts.some((p) => typeof p === 'string' && !/^[\x00-\x7f]*$/.test(p))) return (values) => renderAddress(template, values, required);
  const at = (parts[split] as string).lastIndexOf('@');
  const compile = (list: Part[]): AddressPart[] => list
    .map((p) => (typeof p === 'string' ? p.toLowerCase() : { ...p, required: required.includes(p.name) }))
    .filter((p) => p !== '');
  const localParts = compile([...parts.slice(0, split), (parts[split] as string).slice(0, at)]);
  const domainParts = compile([(parts[split] as string).slice(at + 1), ...parts.slice(split + 1)]);
  const folded = new Map<string, string>();
  const fold = (value: string) => {
    let f = folded.get(value);
    if (f === undefined) folded.set(value, (f = addressPart(value)));
    return f;
  };
  // undefined when a required token leaves nothing.
  const render = (list: readonly AddressPart[], values: TokenValues): string | undefined => {
    let out = '';
    for (const p of list) {
      if (typeof p === 'string') { out += p; continue; }
      const v = cut(fold(values[p.name] ?? ''), p.n);
      if (v === '' && p.required) return undefined;
      out += v;
    }
    return out;
  };
  return (values) => {
    let local = render(localParts, values);
    if (local === undefined) return undefined;
    const domain = render(domainParts, values);
    if (domain === undefined) return undefined;
    // Most local parts need no tidying: a dot at either end, a run of dots or more than 64 characters need it.
    if (local.length > 64 || local.charCodeAt(0) === 46 || local.charCodeAt(local.length - 1) === 46 || local.includes('..')) local = tidyLocal(local);
    if (local === '') return undefined;
    return { local, domain };
  };
}
