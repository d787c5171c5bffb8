import { describe, expect, it } from 'vitest';
import { destructiveHash, type PlanMarker } from './marker.js';
import type { Blocked, Change, Plan } from '../plan/types.js';
import { samplePlan } from '../../test/support/sample-plan.js';
import { chooseFlow } from './dispatch.js';
import { decideMerge } from './merge-gate.js';

const suspend = (n: number): Change => ({ action: 'suspend', kind: 'user', key: `user:student:${n}`, reason: 'left', subject: {}, destructive: true });
const create = (n: number): Change => ({ action: 'create', kind: 'user', key: `user:student:${n}`, reason: 'new', subject: {}, destructive: false });
const limit: Blocked = { rule: 'safety.maxSuspensions', message: 'too many' };
const plan = (changes: Change[], blocked: Blocked[] = [], checksum = '1'.repeat(64)): Plan => ({ ...samplePlan(), changes, blocked, checksum });
const reviewed = (changes: Change[], checksum = '2'.repeat(64)): PlanMarker => ({ config: 'rollcall.yaml', checksum, destructive: new Set(changes.filter((c) => c.destructive).map((c) => destructiveHash(c))) });

describe('decideMerge', () => {
  it('applies the reviewed or approved plan, and any plan within the limits', () => {
    expect(decideMerge(plan([]), undefined, undefined)).toMatchObject({ apply: false, nothing: true });
    expect(decideMerge(plan([suspend(1)], [limit]), undefined, '1'.repeat(64)).apply).toBe(true);
    expect(decideMerge(plan([suspend(1)], [limit]), reviewed([], '1'.repeat(64)), undefined).apply).toBe(true);
    expect(decideMerge(plan([suspend(1), create(2)]), undefined, undefined).apply).toBe(true);
    expect(decideMerge(plan([suspend(1), suspend(2)]), reviewed([suspend(1)]), undefined).apply).toBe(true);
  });

  it('over the limits, applies only when every destructive change was reviewed', () => {
    const now = plan([suspend(1), suspend(2), suspend(3), create(4)], [limit]);
    expect(decideMerge(now, reviewed([suspend(1), suspend(2), suspend(3)]), undefined).apply).toBe(true);
    const grown = decideMerge(now, reviewed([suspend(1)]), undefined);
    expect(grown.apply).toBe(false);
    expect('unreviewed' in grown && grown.unreviewed.map((c) => c.key)).toEqual(['user:student:2', 'user:student:3']);
    expect(decideMerge(now, undefined, undefined).apply).toBe(false);
    expect(decideMerge(now, { config: 'rollcall.yaml', checksum: '3'.repeat(64) }, undefined).apply).toBe(false); // overflowed list
    expect(decideMerge(now, reviewed([suspend(1)]), '9'.repeat(64)).apply).toBe(false); // an approval of another plan
  });

  it('a block that is a configuration problem is never applied, reviewed or approved', () => {
    const p = plan([create(1)], [{ rule: 'users.licenseGroups', message: 'missing group' }]);
    expect(decideMerge(p, reviewed([]), undefined).apply).toBe(false);
    expect(decideMerge(p, reviewed([], '1'.repeat(64)), undefined).apply).toBe(false);
    expect(decideMerge(p, undefined, '1'.repeat(64)).apply).toBe(false);
  });
});

describe('chooseFlow', () => {
  it('picks the flow from the mode, or from the event in auto', () => {
    expect(chooseFlow('auto', 'pull_request', 'refs/pull/1/merge', 'main')).toBe('pull-request');
    expect(chooseFlow('auto', 'push', 'refs/heads/main', 'main')).toBe('merge');
    expect(chooseFlow('auto', 'push', 'refs/heads/feature', 'main')).toBe('plan');
    expect(chooseFlow('auto', 'schedule', 'refs/heads/main', 'main')).toBe('scheduled');
    expect(chooseFlow('auto', 'workflow_dispatch', 'refs/heads/main', 'main')).toBe('scheduled');
    expect(chooseFlow('validate', 'push', 'refs/heads/main', 'main')).toBe('validate');
    expect(chooseFlow('apply', 'push', 'refs/heads/main', 'main')).toBe('apply');
  });

  it('on a pull request, plans only as a pull request (the base branch\'s connection) and never applies', () => {
    expect(chooseFlow('plan', 'pull_request', 'refs/pull/1/merge', 'main')).toBe('pull-request');
    expect(chooseFlow('plan', 'pull_request_target', 'refs/heads/main', 'main')).toBe('pull-request');
    expect(chooseFlow('validate', 'pull_request', 'refs/pull/1/merge', 'main')).toBe('validate');
    expect(() => chooseFlow('apply', 'pull_request', 'refs/pull/1/merge', 'main')).toThrow(/never writes to the tenant/);
  });

  it('a selection (input only) runs only when a person starts it, as the explicit apply or plan mode', () => {
    expect(chooseFlow('auto', 'workflow_dispatch', 'refs/heads/main', 'main', true)).toBe('apply');
    expect(chooseFlow('apply', 'workflow_dispatch', 'refs/heads/main', 'main', true)).toBe('apply');
    expect(chooseFlow('plan', 'workflow_dispatch', 'refs/heads/main', 'main', true)).toBe('plan');
    expect(() => chooseFlow('validate', 'workflow_dispatch', 'refs/heads/main', 'main', true)).toThrow('mode validate plans nothing');
    for (const event of ['schedule', 'push', 'pull_request']) {
      expect(() => chooseFlow('auto', event, 'refs/heads/main', 'main', true)).toThrow(`input only is for workflow_dispatch runs (a person choosing whom to apply), not ${event} events`);
    }
  });
});

describe('decideMerge and event deletions', () => {
  const eventDelete = (n: number): Change => ({ action: 'delete', kind: 'event', key: `event:${n}`, reason: 'lesson gone', subject: {}, destructive: false });
  const events: Blocked = { rule: 'safety.maxEventDeletions', message: 'too many event deletions' };

  it('a plan over maxEventDeletions needs its exact checksum: the reviewed marker records no event deletions', () => {
    const now = plan([eventDelete(1), eventDelete(2), suspend(3)], [events]);
    const gate = decideMerge(now, reviewed([suspend(3)]), undefined);
    expect(gate.apply).toBe(false);
    expect(gate.why).toMatch(/safety\.maxEventDeletions/);
    expect(decideMerge(now, reviewed([suspend(3)], now.checksum), undefined).apply).toBe(true);
  });

  it('the plan refuses the per-change review approval for event deletions too, whoever applies it', async () => {
    const { refusalOf } = await import('../plan/refusal.js');
    const now = plan([eventDelete(1)], [events]);
    expect(refusalOf(now, { destructiveReviewed: () => true, by: 'test' })).toMatchObject({ approvable: true });
    expect(refusalOf(now, { checksum: now.checksum })).toBeUndefined();
  });
});
