// Matching by work e-mail when the MIS gave nobody an e-mail matches nobody: the plan says so first and at the top.
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../render/index.js';
import { buildPlan } from './build.js';
import { NO_WORK_EMAIL, noWorkEmailWarning } from './config-warnings.js';
import { config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';

const people = [student('1', 'Ava', 'Edwards'), student('2', 'Ben', 'Lowe'), staff('31', 'Cara', 'Nash')];
const plan = (c = config(), r = roster(people)) => buildPlan({ config: c, roster: r, snapshot: snapshot(), manualMatches: [], asOf: '2026-03-02', now: '' });

describe('no work e-mail in the MIS while users.match has workEmail', () => {
  it('is the first warning of the plan, naming the source and what is left to match by', () => {
    const p = plan(config({ students: { userPrincipalName: '{first}{last:1}@students.t.example', scope: { registrationGroups: ['7A'] } } }));
    expect(p.warnings[0]).toBe(
      'users.match has workEmail, but the MIS (csv) gave no e-mail address for any student or member of staff: nobody can be matched by work e-mail, so existing accounts are found only by anchor and manual. Check that the export fills the e-mail column (columns.students.email, columns.staff.email), or take workEmail out of users.match.',
    );
    // Other warnings follow it.
    expect(p.warnings.slice(1).some((w) => w.startsWith('users.students.scope.registrationGroups'))).toBe(true);
    const bromcom = noWorkEmailWarning(config(), { ...roster(people), source: { kind: 'bromcom', asOf: '2026-03-02' } });
    expect(bromcom).toContain("(bromcom) gave no e-mail address");
    expect(bromcom).toContain("Bromcom's Emails entity (Work or School addresses by PersonID)");
  });

  it('is not said when anyone has an e-mail, when workEmail is not in users.match, or for a role that is off', () => {
    expect(noWorkEmailWarning(config(), roster([...people.slice(1), { ...people[0], workEmail: 'ava@t.example' }]))).toBeUndefined();
    expect(noWorkEmailWarning(config({ match: ['anchor', 'manual'] }), roster(people))).toBeUndefined();
    expect(plan(config({ match: ['anchor', 'manual'] })).warnings.some((w) => w.startsWith(NO_WORK_EMAIL))).toBe(false);
    // Staff off: the staff member's e-mail does not count for the pupils, who have none.
    const staffOff = config({ staff: { enabled: false, userPrincipalName: '{first:1}{last}@t.example' } });
    expect(noWorkEmailWarning(staffOff, roster([...people.slice(0, 2), { ...people[2], workEmail: 'cara@t.example' }]))).toMatch(/for any student:/);
  });

  it('is shown at the top of the plan in text and markdown, before the summary, and in counts mode too', () => {
    const p = plan();
    for (const format of ['text', 'markdown'] as const) {
      for (const personalData of ['full', 'counts'] as const) {
        const out = renderPlan(p, { format, personalData });
        const at = out.indexOf(NO_WORK_EMAIL);
        expect(at, `${format} ${personalData}`).toBeGreaterThan(0);
        expect(at, `${format} ${personalData}`).toBeLessThan(out.search(/Summary:|\| kind \|/));
      }
    }
  });
});
