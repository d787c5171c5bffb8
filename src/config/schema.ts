import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS whose default export TypeScript sees one level deep under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Keywords VS Code's YAML/JSON language services read for completion and hover; ajv must accept them in strict mode. */
const EDITOR_KEYWORDS = ['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'defaultSnippets', 'patternErrorMessage', 'deprecationMessage'];
/** rollcall's own annotations, read by the loader, not the validator (see defaults.ts). */
const ROLLCALL_KEYWORDS = ['switchesOn'];

function schemaPath(name: string): URL {
  // src/config → ../../schema (from source) or dist/lib/config → ../../../schema (built): try both.
  for (const rel of [`../../schema/${name}`, `../../../schema/${name}`]) {
    const url = new URL(rel, import.meta.url);
    try { readFileSync(url); return url; } catch { /* try the next layout */ }
  }
  throw new Error(`schema/${name} not found beside rollcall`);
}

export function loadSchema(name = 'rollcall.schema.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath(name), 'utf8'));
}

export type SchemaError = ErrorObject;

let cached: ValidateFunction | undefined;

/** Validates, reporting every problem at once. Defaults are applied afterwards, in one place (defaults.ts). */
export function configValidator(): ValidateFunction {
  if (cached) return cached;
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true });
  ajv.addVocabulary([...EDITOR_KEYWORDS, ...ROLLCALL_KEYWORDS]);
  addFormats(ajv);
  cached = ajv.compile(loadSchema());
  return cached;
}
