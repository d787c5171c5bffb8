import { closest, distance } from 'fastest-levenshtein';
import { endpointProblem, transportProblem } from './endpoints.js';
import { envNameProblem } from './secrets.js';
import { unknownTokens } from './tokens.js';
import { joinPointer, pointerToPath, type Origin, type Problem } from './problems.js';
import type { SchemaError } from './schema.js';

type Schema = Record<string, unknown>;

/** Where to point for an error at `pointer`: the value itself, or the nearest enclosing value that has a position. */
function locate(origins: Map<string, Origin>, pointer: string, preferKey: boolean, fallbackFile: string): Origin & { line: number; col: number } {
  let p = pointer;
  for (;;) {
    const o = origins.get(p);
    if (o) return preferKey && o.keyLine ? { ...o, line: o.keyLine, col: o.keyCol ?? o.col } : o;
    if (p === '') return { file: fallbackFile, line: 1, col: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function suggest(word: string, candidates: string[]): string {
  if (!candidates.length || word.length < 3) return '';
  const best = closest(word, candidates);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${best}"?` : '';
}

const EXACTLY_ONE: Record<string, string> = {
  '/source': 'choose exactly one source: bromcom, oneroster, sds or csv',
  '/tenant': 'choose exactly one of graph (a real tenant) or local (a local tenant)',
};

/** Turns ajv's errors into one clear problem each, positioned at the line that needs changing. */
export function schemaProblems(errors: SchemaError[], origins: Map<string, Origin>, file: string): Problem[] {
  // Errors inside a failed oneOf/if branch say more about the branch than about the file; the oneOf itself is reported once.
  const failedOneOf = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath));
  const keep = errors.filter((e) => e.keyword !== 'if' && ![...failedOneOf].some((s) => e.schemaPath.startsWith(`${s}/`)));
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of keep) {
    const { pointer, message, atKey } = describe(e);
    const where = locate(origins, pointer, atKey, file);
    const problem: Problem = { file: where.file, line: where.line, col: where.col, path: pointerToPath(pointer), message, severity: 'error' };
    const id = `${problem.path}\0${problem.message}`;
    if (!seen.has(id)) { seen.add(id); out.push(problem); }
  }
  return out;
}

function describe(e: SchemaError): { pointer: string; message: string; atKey: boolean } {
  const parent = (e.parentSchema ?? {}) as Schema;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((parent.properties as Schema | undefined) ?? {});
      return { pointer: joinPointer(e.instancePath, key), atKey: true, message: `unknown key "${key}"${suggest(key, known)}${known.length && known.length <= 12 ? ` (allowed: ${known.join(', ')})` : ''}` };
    }
    case 'required':
      return { pointer: e.instancePath, atKey: true, message: `missing required key "${params.missingProperty}"` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return { pointer: e.instancePath, atKey: false, message: `"${String(e.data)}" is not allowed; use one of: ${allowed.join(', ')}${suggest(String(e.data), allowed)}` };
    }
    case 'pattern': {
      const tokens = /\\\{\(\?:([^)]*)\)/.exec(String(params.pattern));
      if (tokens && typeof e.data === 'string') {
        const allowed = tokens[1].split('|');
        const bad = unknownTokens(e.data, allowed);
        return { pointer: e.instancePath, atKey: false, message: `unknown ${bad.length > 1 ? 'tokens' : 'token'} ${bad.join(', ')} in template; allowed tokens: ${allowed.map((t) => `{${t}}`).join(', ')}` };
      }
      const specific = typeof e.data === 'string' ? addressOrNameProblem(e.instancePath, e.schemaPath, e.data) : undefined;
      return { pointer: e.instancePath, atKey: false, message: specific ?? String(parent.patternErrorMessage ?? e.message) };
    }
    case 'type':
      if (e.schemaPath.startsWith('#/definitions/secretRef') && typeof e.data !== 'object') {
        return { pointer: e.instancePath, atKey: false, message: 'secrets are never written in the file: write { env: NAME } here and set the environment variable NAME' };
      }
      return { pointer: e.instancePath, atKey: false, message: `must be ${params.type === 'integer' ? 'a whole number' : `of type ${params.type}`}` };
    case 'minProperties':
    case 'maxProperties':
    case 'oneOf':
      if (EXACTLY_ONE[e.instancePath]) return { pointer: e.instancePath, atKey: true, message: EXACTLY_ONE[e.instancePath] };
      if (e.keyword === 'oneOf') return { pointer: e.instancePath, atKey: false, message: `must be one of the forms: ${String(parent.description ?? '')}` };
      return { pointer: e.instancePath, atKey: true, message: e.message ?? e.keyword };
    case 'format':
      return { pointer: e.instancePath, atKey: false, message: `"${String(e.data)}" is not a valid ${params.format}` };
    default:
      return { pointer: e.instancePath, atKey: false, message: e.message ?? e.keyword };
  }
}

/** Secret names and addresses say exactly what is wrong, in the words the runtime checks use. */
function addressOrNameProblem(pointer: string, schemaPath: string, value: string): string | undefined {
  if (schemaPath.startsWith('#/definitions/secretRef')) return envNameProblem(value);
  if (pointer.endsWith('/authorityHost')) return endpointProblem('authority', value, false);
  if (pointer.endsWith('/graphUrl')) return endpointProblem('graph', value, false);
  if (pointer === '/source/bromcom/url') return transportProblem(value);
  return undefined;
}
