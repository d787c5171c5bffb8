import { describe, expect, it } from 'vitest';
import { configWarnings } from './config-warnings.js';
import { config, roster, staff, student } from '../../test/support/plan-kit.js';

describe('configuration the MIS makes meaningless', () => {
  const people = [
    student('1', 'Ava', 'Edwards', { yearGroup: '7', registrationGroup: '7A' }),
    student('2', 'Ben', 'Lowe', { yearGroup: '10', registrationGroup: '10B' }),
    staff('31', 'Cara', 'Nash', { staffCode: 'CNA' }),
  ];

  it('names each unmatched scope value and the values the MIS has, in natural order; staff codes are counted, not listed', () => {
    const c = config({
      students: { userPrincipalName: '{first}{last:1}@students.t.example', scope: { yearGroups: ['Year 7', '10'], registrationGroups: ['7A'] } },
      staff: { userPrincipalName: '{first:1}{last}@t.example', scope: { staffCodes: ['XYZ'] } },
    });
    expect(configWarnings(c, roster(people))).toEqual([
      'users.students.scope.yearGroups: "Year 7" matches no one in the MIS (the MIS has "7", "10")',
      'users.staff.scope.staffCodes: "XYZ" matches no one in the MIS (the MIS has 1 staff code, not listed here)',
    ]);
  });

  it('says when the MIS gives no values at all for the field a scope filters on', () => {
    const c = config({ students: { userPrincipalName: '{first}{last:1}@students.t.example', scope: { registrationGroups: ['7A'] } } });
    expect(configWarnings(c, roster([student('1', 'Ava', 'Edwards')]))).toEqual([
      'users.students.scope.registrationGroups: "7A" matches no one in the MIS (the MIS gives no registration groups at all)',
    ]);
  });

  it('warns once per template for a token empty for everyone of a role, and not for a token someone has', () => {
    const c = config({
      students: { userPrincipalName: '{entryYear:-2}{first}{last:1}@students.t.example', displayName: '{preferredFirst} {house}', securityGroups: ['House {house}', 'Year {yearGroup}'] },
    });
    const noStart = people.map((p) => ({ ...p, startDate: undefined }));
    expect(configWarnings(c, roster(noStart))).toEqual([
      'users.students.userPrincipalName uses {entryYear}, which is empty for every student from this source (csv): it adds nothing',
      'users.students.displayName uses {house}, which is empty for every student from this source (csv): it adds nothing',
      'users.students.securityGroups[0] uses {house}, which is empty for every student from this source (csv): it adds nothing',
    ]);
    // One pupil with a house and a start date is enough.
    const one = noStart.map((p, i) => (i === 0 ? { ...p, house: 'Curie', startDate: '2024-09-04' } : p));
    expect(configWarnings(c, roster(one))).toEqual([]);
  });
});
