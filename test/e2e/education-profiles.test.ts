// Education profiles end to end, through the built CLI, on the local tenant with tenant.education: the first apply
// writes every managed account's profile (/education/users: primaryRole, student or teacher data) as School Data
// Sync would; the next plan is empty; a pupil moved to another year group gets one change, the grade.
// `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const asOf = '2026-03-02'; // academic year 2025-26

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', asOf], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StateUser { id: string; props: { employeeId?: string }; education?: { primaryRole?: string; student?: Record<string, string | null> | null; teacher?: Record<string, string | null> | null }; deletedAt?: number }
async function profiles(dir: string): Promise<Map<string, StateUser['education']>> {
  const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: StateUser[] };
  return new Map(state.users.filter((u) => !u.deletedAt && u.props.employeeId).map((u) => [u.props.employeeId!, u.education]));
}

const config = `version: 1
school: { name: Profile Academy, key: pa, timeZone: Europe/London }
source:
  csv: { dir: ./mis }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [pa.example, students.pa.example]
  education: true
users:
  students:
    userPrincipalName: "{first}{last:1}{misId}@students.pa.example"
  staff:
    userPrincipalName: "{first:1}{last}@pa.example"
`;

describe('education profiles on an Education tenant', () => {
  it('first apply sets every profile; the re-plan is empty; a year-group change updates the grade', async () => {
    const synth = generateSchool({ seed: 21, students: 24, asOf });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-eduprofile-'));
    try {
      await writeSchool(synth, 'csv', path.join(dir, 'mis'));
      await writeFile(path.join(dir, 'rollcall.yaml'), config);

      const current = synth.people.filter((p) => !p.endDate || p.endDate >= asOf);
      const apply = rollcall(dir, 'apply');
      expect(apply.stderr).toContain(' 0 failed');
      expect(apply.status).toBe(0);
      const written = await profiles(dir);
      const pupil = synth.people.find((p) => p.kind === 'student' && p.yearGroup === '8' && !p.endDate)!;
      expect(written.get(`pa:s${pupil.misId}`)).toEqual({
        primaryRole: 'student',
        student: { externalId: pupil.misId, studentNumber: pupil.admissionNumber, grade: '8', graduationYear: '2031' },
      });
      const teacher = synth.people.find((p) => p.kind === 'staff' && p.staffCode && !p.endDate)!;
      expect(written.get(`pa:t${teacher.misId}`)).toEqual({ primaryRole: 'teacher', teacher: { externalId: teacher.misId, teacherNumber: teacher.staffCode } });
      const roles = [...written.values()].map((e) => e?.primaryRole);
      expect(roles.filter((r) => r === 'student').length).toBe(current.filter((p) => p.kind === 'student').length);
      expect(roles.filter((r) => r === 'teacher').length).toBe(current.filter((p) => p.kind === 'staff').length);

      const again = rollcall(dir, 'plan', '--detailed-exitcode');
      expect(again.stdout).not.toContain('educationUser');
      expect(again.status).toBe(0);

      // The MIS moves the pupil to Year 9: one profile change, the grade (and the graduation year that follows it).
      pupil.yearGroup = '9';
      await writeSchool(synth, 'csv', path.join(dir, 'mis'));
      const text = rollcall(dir, 'plan', '--detailed-exitcode', '--detail');
      expect(text.status).toBe(2);
      expect(text.stdout).toMatch(/educationUser\s+update 1\b/);
      expect(text.stdout).toMatch(new RegExp(`update educationUser .*\\b${pupil.misId}\\b`));
      expect(text.stdout).toContain('student.grade: "8" → "9"');
      const moved = rollcall(dir, 'plan', '--format', 'json');
      const edu = (JSON.parse(moved.stdout) as { changes: { kind: string; action: string; key: string; before: unknown; after: unknown }[] }).changes.filter((c) => c.kind === 'educationUser');
      expect(edu).toEqual([expect.objectContaining({
        action: 'update', key: `educationUser:student:${pupil.misId}`,
        before: { 'student.grade': '8', 'student.graduationYear': '2031' }, after: { 'student.grade': '9', 'student.graduationYear': '2030' },
      })]);
      const second = rollcall(dir, 'apply');
      expect(second.stderr).toContain(' 0 failed');
      expect((await profiles(dir)).get(`pa:s${pupil.misId}`)?.student).toMatchObject({ grade: '9', graduationYear: '2030', studentNumber: pupil.admissionNumber });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
