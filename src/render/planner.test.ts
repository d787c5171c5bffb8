// Render and schema against a plan from the real planner, not only the hand-built sample.
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../config/schema.js';
import { buildPlan } from '../plan/build.js';
import { config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';
import { renderPlan } from './index.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

describe('a plan from buildPlan', () => {
  const people = [student('1001', 'Ysolde', 'Quarrington', { yearGroup: '9' }), student('1002', 'Émile', 'Vautrin'), student('1003', '李', '王'), staff('31', 'Branwen', 'Tegid')];
  const plan = buildPlan({ config: config(), roster: roster(people), snapshot: snapshot(), manualMatches: [], asOf: '2026-03-02', now: '2026-03-02T06:00:00Z' });

  it('validates against schema/plan.schema.json, as does its redacted JSON', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(loadSchema('plan.schema.json'));
    expect(plan.changes.length).toBeGreaterThan(3);
    for (const json of [plan, JSON.parse(renderPlan(plan, { format: 'json', personalData: 'masked' }))]) {
      expect(validate(json) ? [] : validate.errors).toEqual([]);
    }
  });

  it('renders masked in every format without the names', () => {
    for (const format of ['text', 'markdown', 'json'] as const) {
      const out = renderPlan(plan, { format, personalData: 'masked', detail: true });
      for (const name of ['Ysolde', 'Quarrington', 'Émile', 'Vautrin', 'ysolde', 'emile', 'Branwen', 'Tegid', '王']) expect(out, `${format}: ${name}`).not.toContain(name);
      expect(out).toContain('student:1001');
      // The planner puts a membership's group name in `subject.name`; masking must not take the context away.
      expect(out).toContain('All Students');
    }
  });

});
