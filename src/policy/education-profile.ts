// The education profile an Education tenant keeps for each account (/education/users/{id}), written as School Data
// Sync writes it: the role, and the student or teacher data, from what the MIS says of the person. Pure.
import type { Person } from '../roster/types.js';
import { academicYearOf } from './academic-year.js';

/**
 * The profile's properties rollcall manages, flattened (`student.grade`) so that a plan shows one line per property.
 * Graph's `student.birthDate` and `student.gender` are not among them: rollcall reads neither from the MIS.
 */
export type EducationProfile = Partial<Record<EducationField, string>> & { primaryRole: 'student' | 'teacher' };
export type EducationField = (typeof EDUCATION_FIELDS)[number];
export const EDUCATION_FIELDS = [
  'primaryRole',
  'student.externalId', 'student.studentNumber', 'student.grade', 'student.graduationYear',
  'teacher.externalId', 'teacher.teacherNumber',
] as const;

/**
 * The last year of secondary education in England and Wales (the end of sixth form, as a US school's grade 12):
 * a pupil's graduation year is the summer they would finish it.
 */
export const FINAL_YEAR = 13;

/** "7" (sources normalise "Year 7", "Y07" to "7") or Reception (year 0); undefined for nursery and anything else. */
function yearNumber(yearGroup: string): number | undefined {
  if (/^\d+$/.test(yearGroup)) return Number(yearGroup);
  if (/^(r|rec|reception)$/i.test(yearGroup.trim())) return 0;
  return undefined;
}

/**
 * The summer a pupil in `yearGroup` finishes Year 13, counted from the academic year `asOf` falls in: Year 7 in
 * 2025-26 graduates in 2032. It does not move when the year group moves up with the academic year.
 */
export function graduationYear(yearGroup: string | undefined, asOf: string, academicYearStart: string): string | undefined {
  if (yearGroup === undefined) return undefined;
  const n = yearNumber(yearGroup);
  if (n === undefined || n > FINAL_YEAR) return undefined;
  return String(academicYearOf(asOf, academicYearStart) + FINAL_YEAR - n + 1);
}

/**
 * What the profile should hold. Only what the MIS gives is set: a field the MIS leaves empty is left as the tenant
 * has it (unknown is not absent), never cleared.
 * - student: externalId = MIS id; studentNumber = admission number, else the UPN; grade = year group as the MIS
 *   names it ("7", "R"); graduationYear from the year group and the academic year.
 * - staff: primaryRole teacher (Graph's only staff role); externalId = MIS id; teacherNumber = staff code.
 */
export function educationProfileOf(person: Person, asOf: string, academicYearStart: string): EducationProfile {
  const set = (out: EducationProfile, k: Exclude<EducationField, 'primaryRole'>, v: string | undefined) => { if (v !== undefined && v !== '') out[k] = v; };
  if (person.kind === 'student') {
    const out: EducationProfile = { primaryRole: 'student' };
    set(out, 'student.externalId', person.misId);
    set(out, 'student.studentNumber', person.admissionNumber || person.upn);
    set(out, 'student.grade', person.yearGroup);
    set(out, 'student.graduationYear', graduationYear(person.yearGroup, asOf, academicYearStart));
    return out;
  }
  const out: EducationProfile = { primaryRole: 'teacher' };
  set(out, 'teacher.externalId', person.misId);
  set(out, 'teacher.teacherNumber', person.staffCode);
  return out;
}
