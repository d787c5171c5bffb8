import { joinPointer, type Origin } from './problems.js';

export interface Layer {
  data: Record<string, unknown>;
  origins: Map<string, Origin>;
}

/**
 * Choices where the config holds exactly one of several keys: a school that picks `sds` replaces its trust's
 * `oneroster` instead of merging into "both". Password policies are one of two shapes, so they replace whole.
 */
const EXCLUSIVE: Record<string, string[]> = {
  '/source': ['bromcom', 'oneroster', 'sds', 'csv'],
  '/tenant': ['graph', 'local'],
  '/users/passwords/students': ['words', 'digits', 'length'],
  '/users/passwords/staff': ['words', 'digits', 'length'],
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The later layer wins, like VS Code's user → workspace settings: objects merge key by key,
 * arrays and scalars replace whole (a school's list of year groups never mixes with the trust's).
 */
export function mergeLayers(base: Layer, over: Layer): Layer {
  const origins = new Map(base.origins);
  const data = mergeInto(base.data, over.data, '', origins, over.origins);
  return { data, origins };
}

function mergeInto(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  pointer: string,
  origins: Map<string, Origin>,
  overOrigins: Map<string, Origin>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const exclusive = EXCLUSIVE[pointer];
  if (exclusive && Object.keys(over).some((k) => exclusive.includes(k))) {
    for (const k of exclusive) if (!(k in over)) dropKey(out, joinPointer(pointer, k), k, origins);
  }
  const here = overOrigins.get(pointer);
  if (here) origins.set(pointer, here);
  for (const [key, value] of Object.entries(over)) {
    const child = joinPointer(pointer, key);
    if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeInto(out[key] as Record<string, unknown>, value, child, origins, overOrigins);
      continue;
    }
    dropKey(out, child, key, origins);
    out[key] = value;
    for (const [p, o] of overOrigins) if (p === child || p.startsWith(`${child}/`)) origins.set(p, o);
  }
  return out;
}

function dropKey(out: Record<string, unknown>, pointer: string, key: string, origins: Map<string, Origin>): void {
  delete out[key];
  for (const p of [...origins.keys()]) if (p === pointer || p.startsWith(`${pointer}/`)) origins.delete(p);
}
