import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../config/schema.js';
import type { Blocked, Change, Plan, Subject, Unsynced } from '../plan/types.js';
import { renderPlan } from './index.js';
import { bigPlan, samplePlan } from '../../test/support/sample-plan.js';
import { ACTIONS, KINDS, UNSYNCED_REASONS } from './summary.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
type Node = Record<string, unknown>;

/** Every declared property (and every definition) with its path, so a missing description names where. */
function* declared(node: unknown, at = '#'): Generator<[string, Node]> {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return;
  const n = node as Node;
  for (const group of ['properties', 'definitions'] as const) {
    for (const [name, child] of Object.entries((n[group] as Node | undefined) ?? {})) yield [`${at}/${group}/${name}`, child as Node];
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'examples' || key === 'enum') continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) yield* declared(value, `${at}/${key}`);
  }
}

function* objects(node: unknown, at = '#'): Generator<[string, Node]> {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) yield [at, node as Node];
  for (const [key, value] of Object.entries(node)) if (key !== 'examples') yield* objects(value, `${at}/${key}`);
}

const clone = (p: Plan): Record<string, any> => JSON.parse(JSON.stringify(p));

describe('schema/plan.schema.json', () => {
  const schema = loadSchema('plan.schema.json');
  let validate: ValidateFunction;
  beforeAll(() => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    validate = ajv.compile(schema);
  });
  const errors = (v: unknown) => (validate(v) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

  it('is draft-07 and describes every property and definition', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const undescribed = [...declared(schema)].filter(([, p]) => typeof p.description !== 'string' || !p.description).map(([at]) => at);
    expect(undescribed).toEqual([]);
  });

  it('closes every object that lists its properties', () => {
    const open = [...objects(schema)].filter(([, n]) => n.properties && n.additionalProperties !== false).map(([at]) => at);
    expect(open).toEqual([]);
  });

  it('requires every top-level field of the Plan type', () => {
    const keys: Record<keyof Plan, true> = {
      version: true, checksum: true, createdAt: true, school: true, mode: true, asOf: true, source: true, tenant: true,
      summary: true, changes: true, warnings: true, blocked: true, unsynced: true, notes: true,
    };
    expect([...(schema.required as string[])].sort()).toEqual(Object.keys(keys).sort());
  });

  it('declares exactly the fields of Change, Subject, Blocked and Unsynced', () => {
    // Records over keyof make tsc name a field added to the type but not listed here (and so not in the schema).
    const change: Record<keyof Change, true> = {
      action: true, kind: true, key: true, reason: true, subject: true, destructive: true, target: true, group: true, via: true, member: true, before: true, after: true,
    };
    const subject: Record<keyof Subject, true> = { person: true, name: true, displayName: true, yearGroup: true, initials: true };
    const blocked: Record<keyof Blocked, true> = { rule: true, message: true, count: true, total: true, limit: true };
    const unsynced: Record<keyof Unsynced, true> = { person: true, account: true, reason: true, detail: true, subject: true };
    const defs = schema.definitions as Record<string, { properties: Node }>;
    for (const [name, keys] of Object.entries({ change, subject, blocked, unsynced })) {
      expect(Object.keys(defs[name].properties).sort(), name).toEqual(Object.keys(keys).sort());
    }
  });

  it('lists exactly the actions, kinds and unsynced reasons of src/plan/types.ts', () => {
    const defs = schema.definitions as Record<string, Node & { properties: Record<string, Node> }>;
    expect([...(defs.change.properties.action.enum as string[])].sort()).toEqual([...ACTIONS].sort());
    expect([...(defs.change.properties.kind.enum as string[])].sort()).toEqual([...KINDS].sort());
    expect([...(defs.unsynced.properties.reason.enum as string[])].sort()).toEqual([...UNSYNCED_REASONS].sort());
  });

  it('accepts the sample plan, a large plan and a plan with nothing to do', () => {
    expect(errors(samplePlan())).toEqual([]);
    expect(errors(bigPlan(300))).toEqual([]);
    expect(errors({ ...samplePlan(), changes: [], summary: {}, warnings: [], blocked: [], unsynced: [], notes: [] })).toEqual([]);
  });

  it('accepts what `--format json` writes, in every personal-data mode', () => {
    for (const personalData of ['full', 'masked', 'counts'] as const) {
      expect(errors(JSON.parse(renderPlan(samplePlan(), { format: 'json', personalData }))), personalData).toEqual([]);
    }
  });

  it.each<[string, (p: Record<string, any>) => void, string]>([
    ['an unknown action', (p) => { p.changes[0].action = 'rename'; }, '/changes/0/action must be equal to one of the allowed values'],
    ['an unknown kind', (p) => { p.changes[1].kind = 'mailbox'; }, '/changes/1/kind must be equal to one of the allowed values'],
    ['a change without a key', (p) => { delete p.changes[2].key; }, "/changes/2 must have required property 'key'"],
    ['a short checksum', (p) => { p.checksum = 'abc123'; }, '/checksum must match pattern "^[0-9a-f]{64}$"'],
    ['an unknown top-level field', (p) => { p.approvedBy = 'someone'; }, ' must NOT have additional properties'],
    ['version 2', (p) => { p.version = 2; }, '/version must be equal to constant'],
    ['an unknown unsynced reason', (p) => { p.unsynced[0].reason = 'too-tall'; }, '/unsynced/0/reason must be equal to one of the allowed values'],
    ['a blocked entry without a rule', (p) => { delete p.blocked[0].rule; }, "/blocked/0 must have required property 'rule'"],
    ['a negative count in the summary', (p) => { p.summary.user.create = -1; }, '/summary/user/create must be >= 0'],
    ['an action the summary does not know', (p) => { p.summary.user.rename = 1; }, '/summary/user must NOT have additional properties'],
    ['a malformed person id', (p) => { p.changes[0].subject.person = 'pupil:1042'; }, '/changes/0/subject/person must match pattern "^(student|staff):.+$"'],
    ['a createdAt that is not a date-time', (p) => { p.createdAt = 'yesterday'; }, '/createdAt must match format "date-time"'],
  ])('rejects %s', (_, spoil, expected) => {
    const plan = clone(samplePlan());
    spoil(plan);
    expect(errors(plan)).toContain(expected);
  });
});
