// The text plan folded for a screen: exceptions named, detail in totals, and the filters a reviewer uses.
import { describe, expect, it } from 'vitest';
import { numberedReason } from '../plan/numbered.js';
import type { Change, Plan } from '../plan/types.js';
import { filterPlan } from './filter.js';
import { renderPlan } from './index.js';
import { EXCEPTION_ROWS } from './text.js';
import { bigPlan, samplePlan } from '../../test/support/sample-plan.js';

const STU = 'students.example.sch.uk';

function create(id: string, name: string, address: string, extra: Partial<Change> = {}): Change {
  return {
    action: 'create', kind: 'user', key: `user:student:${id}`, reason: 'new student in the MIS', destructive: false,
    subject: { person: `student:${id}`, name: address, displayName: name, yearGroup: '7', initials: name.split(' ').map((w) => w[0]).join('') },
    after: { displayName: name, userPrincipalName: address }, ...extra,
  };
}

function withChanges(extra: Change[]): Plan {
  const plan = samplePlan();
  return { ...plan, changes: [...plan.changes, ...extra] };
}

describe('text plan, folded', () => {
  const plan = withChanges([
    create('2001', 'Ava Smith', `asmith@${STU}`),
    create('2002', 'Ava Smith', `asmith2@${STU}`, { reason: numberedReason('new student in the MIS', `asmith@${STU}`) }),
  ]);

  it('names numbered addresses with the address that was taken, and likely duplicates, before the detail', () => {
    const out = renderPlan(plan, { format: 'text', personalData: 'full' });
    expect(out).toContain('Addresses with a number: 1');
    expect(out).toContain(`  Ava Smith (student:2002, Y7): asmith2@${STU} (asmith@${STU} is taken)`);
    expect(out).toMatch(/Likely duplicates: 1 name .*\n {2}Ava Smith <asmith@[^>]+> \(student:2001, Y7\), Ava Smith <asmith2@[^>]+> \(student:2002, Y7\)/);
    expect(out.indexOf('Likely duplicates')).toBeLessThan(out.indexOf('Detail, folded'));
    const masked = renderPlan(plan, { format: 'text', personalData: 'masked' });
    expect(masked).toContain(`  student:2002 (AS, Y7): a•••@${STU} (a•••@${STU} is taken)`);
    expect(masked).not.toMatch(/Ava|Smith/);
  });

  it('folds creates into counts per kind and memberships into per-group totals', () => {
    const out = renderPlan(plan, { format: 'text', personalData: 'full' });
    const detail = out.slice(out.indexOf('Detail, folded'));
    expect(detail).toContain('  user: create 4, update 2');
    expect(detail).toMatch(/7X\/Ma1 Maths\s+\+2\n/);
    expect(detail).toMatch(/9B Registration\s+−1\n/);
    expect(detail).not.toContain('Ava Smith');
    expect(renderPlan(plan, { format: 'text', personalData: 'full', detail: true })).toContain('+ create user Ava Smith <asmith2@');
  });

  it(`lists at most ${EXCEPTION_ROWS} destructive changes and says how many more and how to see them`, () => {
    const big = bigPlan(3_000);
    const out = renderPlan(big, { format: 'text', personalData: 'masked' });
    expect(out.split('\n').filter((l) => l.startsWith('  ! suspend user'))).toHaveLength(EXCEPTION_ROWS);
    expect(out).toContain(`… and ${(1_000 - EXCEPTION_ROWS).toLocaleString('en-GB')} more (--detail lists them all, --kind or --person picks some)`);
    expect(out.split('\n').length).toBeLessThan(50);
    const all = renderPlan(big, { format: 'text', personalData: 'masked', detail: true });
    expect(all.split('\n').filter((l) => l.startsWith('  ! suspend user'))).toHaveLength(1_000);
  });
});

describe('filterPlan (--kind, --person)', () => {
  const plan = samplePlan();

  it('keeps one kind, recounts the summary and keeps the blocks', () => {
    const f = filterPlan(plan, { kind: 'membership' });
    expect(f.changes.map((c) => c.kind)).toEqual(['membership', 'membership', 'membership']);
    expect(f.summary).toEqual({ membership: { 'add-member': 1, 'add-owner': 1, 'remove-member': 1 } });
    expect(f.blocked).toEqual(plan.blocked);
    expect(f.unsynced).toEqual([]);
  });

  it('finds a person by id, bare MIS id, or part of a name with accents ignored, and their memberships too', () => {
    for (const q of ['student:1060', '1060', 'oisin', 'Brennan']) {
      const f = filterPlan(plan, { person: q });
      expect(f.changes.map((c) => c.key), q).toEqual(plan.changes.filter((c) => c.subject.person === 'student:1060').map((c) => c.key));
      expect(f.changes.length).toBeGreaterThan(0);
    }
    expect(filterPlan(plan, { person: 'keziah' }).unsynced.map((u) => u.subject.person)).toEqual(['student:1062']);
    expect(filterPlan(plan, { person: 'nobody-at-all' }).changes).toEqual([]);
  });
});
