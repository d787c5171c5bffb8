import { expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import { readRoster } from '../../src/sources/index.js';
import { describeShared, sharedPath } from '../support/shared.js';

// Microsoft's own School Data Sync samples, read as they ship (CRLF line ends, guardians in users.csv).
const SAMPLES = sharedPath('conformance/sds-samples');
const opts = () => ({ baseDir: SAMPLES, asOf: '2026-01-12', log: memoryLogger() });

describeShared("Microsoft's SDS samples", 'conformance/sds-samples', () => {
  it('v2.1: 4 students and 2 staff (guardians are not people to provision), 2 classes, 6 enrolments', async () => {
    const r = await readRoster({ sds: { dir: 'sds-v2.1' } }, opts());
    const teaching = r.groups.filter((g) => g.kind === 'teaching');
    expect(countRoster(r).students).toBe(4);
    expect(countRoster(r).staff).toBe(2);
    expect(teaching.map((g) => g.name).sort()).toEqual(['Biology 10', 'Computer Science 101']);
    expect(r.memberships.filter((m) => teaching.some((g) => g.id === m.group))).toHaveLength(6);
    expect(r.people.find((p) => p.id === 'staff:114006')?.legal).toEqual({ first: 'Jason', last: 'Jonzer' });
    expect(r.people.find((p) => p.id === 'student:114001')).toMatchObject({ yearGroup: '10', startDate: '2021-08-24', endDate: '2022-06-11' });
    expect(r.people.some((p) => p.misId === '114002')).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('UK format (100 users): 86 students, 12 teachers, 28 sections, 602 + 28 roster rows', async () => {
    const r = await readRoster({ sds: { dir: 'uk-format_100-users', format: 'uk' } }, opts());
    const c = countRoster(r);
    expect(c.students).toBe(86);
    expect(c.staff).toBe(12);
    const teaching = new Set(r.groups.filter((g) => g.kind === 'teaching').map((g) => g.id));
    expect(teaching.size).toBe(28);
    const tm = r.memberships.filter((m) => teaching.has(m.group));
    expect(tm.filter((m) => m.role === 'member')).toHaveLength(602);
    expect(tm.filter((m) => m.role === 'teacher')).toHaveLength(28);
    // Grades 9-12 become four year groups holding every student once.
    expect(r.groups.filter((g) => g.kind === 'year').map((g) => g.name).sort()).toEqual(['Year 10', 'Year 11', 'Year 12', 'Year 9']);
    expect(r.memberships.filter((m) => m.group.startsWith('group:year:'))).toHaveLength(86);
    // The sample holds two schools (Contoso and Fabrikam): read as one, which is said out loud.
    expect(r.warnings).toEqual(['School.csv lists 2 schools; rollcall reads the people of all of them as one school']);
  });
});
