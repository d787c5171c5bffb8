import { describe, expect, it } from 'vitest';
import { loadSchema } from './schema.js';

type Node = Record<string, unknown>;

/** Every place a property is declared, with its path, so a missing description names where. */
function* properties(node: unknown, at = '#'): Generator<[string, Node, Node]> {
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  for (const [name, child] of Object.entries((n.properties as Node | undefined) ?? {})) {
    // `{ graph: true }` or `{ auth: { const: … } }` inside if/oneOf constrain a property declared elsewhere.
    if (typeof child !== 'object' || Object.keys(child as Node).every((k) => k === 'const')) continue;
    yield [`${at}.${name}`, child as Node, n];
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'enum' || key === 'examples' || key === 'default' || key === 'defaultSnippets') continue;
    if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* properties(v, `${at}/${key}[${i}]`);
    else if (value && typeof value === 'object') yield* properties(value, `${at}/${key}`);
  }
}

function* nodes(node: unknown, at = '#'): Generator<[string, Node]> {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) yield [at, node as Node];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'default' || key === 'defaultSnippets') continue;
    yield* nodes(value, `${at}/${key}`);
  }
}

describe('rollcall.schema.json documents the whole config surface for the editor', () => {
  const schema = loadSchema();

  it('is draft-07 and covers every top-level section', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties as Node).sort()).toEqual(
      ['calendar', 'classes', 'extends', 'groups', 'guardians', 'report', 'safety', 'schedule', 'school', 'source', 'tenant', 'users', 'version'].sort(),
    );
  });

  it('gives every property a description and a markdownDescription', () => {
    const missing = [...properties(schema)].filter(([, p]) => typeof p.description !== 'string' || typeof p.markdownDescription !== 'string').map(([at]) => at);
    expect(missing).toEqual([]);
  });

  it('gives every enum one description per value', () => {
    const bad = [...nodes(schema)].filter(([, n]) => Array.isArray(n.enum) && (n.enumDescriptions as unknown[] | undefined)?.length !== (n.enum as unknown[]).length).map(([at]) => at);
    expect(bad).toEqual([]);
  });

  it('closes every object that lists its properties', () => {
    const open = [...nodes(schema)].filter(([, n]) => n.properties && n.type === 'object' && n.additionalProperties !== false).map(([at]) => at);
    expect(open).toEqual([]);
  });

  it('declares defaults and offers snippets where they help', () => {
    const withDefault = [...nodes(schema)].filter(([, n]) => 'default' in n).length;
    expect(withDefault).toBeGreaterThan(40);
    expect((schema.properties as Record<string, Node>).source.defaultSnippets).toBeInstanceOf(Array);
  });
});
