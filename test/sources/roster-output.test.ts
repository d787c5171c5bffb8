import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { RosterBuilder } from '../../src/roster/builder.js';
import { formatRoster } from '../../src/cli/roster.js';

function roster() {
  const b = new RosterBuilder('csv', '2026-01-12', memoryLogger());
  b.addPerson({ id: 'student:1', kind: 'student', misId: '1', legal: { first: 'A', last: 'B' }, preferred: {}, yearGroup: '7' }, {});
  b.addPerson({ id: 'student:2', kind: 'student', misId: '2', legal: { first: 'C', last: 'D' }, preferred: {}, endDate: '2025-12-19' }, {});
  b.addPerson({ id: 'staff:9', kind: 'staff', misId: '9', legal: { first: '', last: 'E' }, preferred: {} }, { file: 'staff.csv', line: 2 });
  return b.build();
}

describe('rollcall roster output', () => {
  it('text: counts per kind with starters and leavers, groups by kind, digest and warnings', () => {
    const text = formatRoster(roster(), 'text');
    expect(text).toContain('students     2  (on roll 1, starting 0, left 1)\n');
    expect(text).toContain('staff        1\n');
    expect(text).toContain('groups       1  (year 1)\n');
    expect(text).toMatch(/digest {7}sha256:[0-9a-f]{64}\n/);
    expect(text).toContain('warnings (1):\n  - staff:9 at staff.csv:2 has an empty first name');
    expect(text).not.toContain('"C"');
  });

  it('json: the roster with counts', () => {
    const json = JSON.parse(formatRoster(roster(), 'json'));
    expect(json.counts).toEqual({ students: 2, staff: 1, groups: 1, memberships: 1, lessons: 0 });
    expect(json.people.map((p: { id: string }) => p.id)).toEqual(['staff:9', 'student:1', 'student:2']);
    expect(json.warnings).toHaveLength(1);
  });
});
