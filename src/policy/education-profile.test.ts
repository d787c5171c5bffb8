import { describe, expect, it } from 'vitest';
import { staff, student } from '../../test/support/plan-kit.js';
import { educationProfileOf, graduationYear } from './education-profile.js';

const asOf = '2026-03-02'; // academic year 2025-26

describe('education profile from the MIS', () => {
  it('a pupil: MIS id → externalId, admission number → studentNumber, year group → grade, graduation year from the year group', () => {
    const p = student('1001', 'Jack', 'Cole', { yearGroup: '8', admissionNumber: 'A1001', upn: 'H801200001001' });
    expect(educationProfileOf(p, asOf, '09-01')).toEqual({
      primaryRole: 'student',
      'student.externalId': '1001',
      'student.studentNumber': 'A1001',
      'student.grade': '8',
      'student.graduationYear': '2031',
    });
  });

  it('takes the UPN as studentNumber only where the MIS has no admission number', () => {
    const p = student('1002', 'Amy', 'Poe', { yearGroup: '7', admissionNumber: undefined, upn: 'H801200001002' });
    expect(educationProfileOf(p, asOf, '09-01')['student.studentNumber']).toBe('H801200001002');
  });

  it('sets nothing the MIS does not give: no year group, no grade or graduation year; no numbers, no studentNumber', () => {
    const p = student('1003', 'Zoe', 'Hart', { yearGroup: undefined });
    expect(educationProfileOf(p, asOf, '09-01')).toEqual({ primaryRole: 'student', 'student.externalId': '1003' });
  });

  it('a member of staff: primaryRole teacher, MIS id → externalId, staff code → teacherNumber, no student data', () => {
    expect(educationProfileOf(staff('31', 'Ann', 'Lee', { staffCode: 'ALE' }), asOf, '09-01')).toEqual({
      primaryRole: 'teacher', 'teacher.externalId': '31', 'teacher.teacherNumber': 'ALE',
    });
    expect(educationProfileOf(staff('32', 'Bo', 'Ng'), asOf, '09-01')).toEqual({ primaryRole: 'teacher', 'teacher.externalId': '32' });
  });

  it('graduation year: the summer the pupil finishes Year 13; Reception counts as year 0; nursery and unknown year groups have none', () => {
    expect(graduationYear('13', asOf, '09-01')).toBe('2026');
    expect(graduationYear('11', asOf, '09-01')).toBe('2028');
    expect(graduationYear('1', asOf, '09-01')).toBe('2038');
    expect(graduationYear('R', asOf, '09-01')).toBe('2039');
    expect(graduationYear('Reception', asOf, '09-01')).toBe('2039');
    expect(graduationYear('N1', asOf, '09-01')).toBeUndefined();
    expect(graduationYear('14', asOf, '09-01')).toBeUndefined();
    expect(graduationYear(undefined, asOf, '09-01')).toBeUndefined();
  });

  it('graduation year does not move when the year group moves up with the academic year', () => {
    expect(graduationYear('8', '2026-07-20', '09-01')).toBe(graduationYear('9', '2026-09-07', '09-01'));
    // The school's own academic year start decides which year a date falls in.
    expect(graduationYear('8', '2026-08-20', '08-15')).toBe('2032');
    expect(graduationYear('8', '2026-08-20', '09-01')).toBe('2031');
  });
});
