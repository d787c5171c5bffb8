// The one place where the schema's defaults become values. The loader fills a configuration with them after
// validating it, and `npm run gen` derives the resolved configuration's type from the same rule (a value with a
// default, or a section that holds defaults, is always there), so nothing downstream repeats a default.
// Pure: no I/O, so the type generator can load it too.

type Schema = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deref(node: Schema, root: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  const target = ref.slice(2).split('/').reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), root);
  return isPlainObject(target) ? { ...deref(target, root), ...node, $ref: undefined } : node;
}

function hasDefaults(node: Schema, root: Schema): boolean {
  const n = deref(node, root);
  if ('default' in n) return true;
  return isPlainObject(n.properties) && Object.values(n.properties).some((p) => isPlainObject(p) && hasDefaults(p, root));
}

/**
 * Whether an absent object property is filled in as `{}` so that its own defaults apply: a section such as `users`
 * or `safety`, not a choice (`source.csv`, `tenant.local`: the parent says "exactly one of"), nor an object that
 * needs values only the school can give (`users.students` needs its address template), nor a section whose presence
 * turns a feature on (`classes`, marked `switchesOn`).
 */
function isSection(parent: Schema, child: Schema, root: Schema): boolean {
  if ('oneOf' in parent || 'maxProperties' in parent) return false;
  const c = deref(child, root);
  if ('default' in c || c.switchesOn === true || c.type !== 'object' || !isPlainObject(c.properties)) return false;
  if (Array.isArray(c.required) && c.required.length) return false;
  return hasDefaults(c, root);
}

/** Whether the property is always present once defaults are applied. */
function alwaysPresent(parent: Schema, child: Schema, root: Schema): boolean {
  return 'default' in deref(child, root) || isSection(parent, child, root);
}

/**
 * Fills `data` in place with the schema's defaults: absent properties that have a default get a copy of it, absent
 * sections are created, and the values of maps (`additionalProperties`) and lists (`items`) are filled the same way.
 * Only plain objects are descended into, so a wrong shape is left for the validator to name.
 */
export function applyDefaults(data: unknown, schema: Schema, root: Schema = schema): void {
  const s = deref(schema, root);
  if (Array.isArray(data)) {
    if (isPlainObject(s.items)) for (const item of data) applyDefaults(item, s.items, root);
    return;
  }
  if (!isPlainObject(data)) return;
  const props = isPlainObject(s.properties) ? (s.properties as Record<string, Schema>) : {};
  for (const [key, child] of Object.entries(props)) {
    if (!isPlainObject(child)) continue;
    if (data[key] === undefined) {
      const c = deref(child, root);
      if ('default' in c) data[key] = structuredClone(c.default);
      else if (isSection(s, child, root)) data[key] = {};
      else continue;
    }
    applyDefaults(data[key], child, root);
  }
  if (isPlainObject(s.additionalProperties)) {
    for (const [key, value] of Object.entries(data)) if (!Object.hasOwn(props, key)) applyDefaults(value, s.additionalProperties, root);
  }
}

/**
 * The schema of a configuration after `applyDefaults`: every property that is always present is required. Used by
 * `npm run gen` for the `ResolvedRollcallConfiguration` type; never for validation.
 */
export function resolvedSchema(schema: Schema, root: Schema = schema): Schema {
  const out: Schema = { ...schema };
  if (isPlainObject(schema.properties)) {
    const props = schema.properties as Record<string, Schema>;
    out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, isPlainObject(v) ? resolvedSchema(v, root) : v]));
    const always = Object.entries(props).filter(([, v]) => isPlainObject(v) && alwaysPresent(schema, v, root)).map(([k]) => k);
    const required = [...new Set([...((schema.required as string[] | undefined) ?? []), ...always])];
    if (required.length) out.required = required;
  }
  if (isPlainObject(schema.items)) out.items = resolvedSchema(schema.items, root);
  if (isPlainObject(schema.additionalProperties)) out.additionalProperties = resolvedSchema(schema.additionalProperties, root);
  if (isPlainObject(schema.definitions)) {
    out.definitions = Object.fromEntries(Object.entries(schema.definitions as Record<string, Schema>).map(([k, v]) => [k, resolvedSchema(v, root)]));
  }
  return out;
}
