// Issue 14.5 end to end: the built CLI reads Bromcom over SOAP (the emulator) and plans into the local tenant. A
// school's existing accounts, not yet anchored, whose addresses are pupils' and staff's work e-mails in Bromcom's
// Emails entity are linked (a change on the existing account, never a second one); a Home address links nothing.
// `npm test` builds dist/ first.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../support/synth/school.js';
import { startTestEmulator, TEST_CREDENTIALS, TEST_SCHOOL_ID } from '../emulators/bromcom/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-01-12';
const STAFF_DOMAIN = 'school.example';
const STUDENTS = 'students.school.example';

// Asynchronous: the Bromcom emulator answers from this process while the CLI runs.
async function rollcall(cwd: string, ...args: string[]) {
  const r = await promisify(execFile)(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], {
    cwd, encoding: 'utf8', env: { ...process.env, ...TEST_CREDENTIALS, NO_COLOR: '1' }, maxBuffer: 256 << 20,
  }).then((ok) => ({ status: 0, ...ok }), (e: { code?: number; stdout: string; stderr: string }) => ({ status: e.code ?? 1, stdout: e.stdout, stderr: e.stderr }));
  return r as { status: number; stdout: string; stderr: string };
}

interface StateUser { id: string; props: { userPrincipalName: string; displayName: string; employeeId?: string } }
interface PlanJson {
  changes: { key: string; kind: string; action: string; reason: string; after?: Record<string, unknown>; target?: { id?: string } }[];
  unsynced: { person?: string; reason: string }[];
  warnings: string[];
}

const school = generateSchool({ seed: 21, students: 30, staff: 8, asOf: AS_OF });
const [pupil, homePupil] = school.people.filter((p) => p.kind === 'student');
const teacher = school.people.find((p) => p.kind === 'staff' && p.workEmail)!;
const ids = { pupil: '00000000-0000-4000-8000-00000000a001', teacher: '00000000-0000-4000-8000-00000000b002', home: '00000000-0000-4000-8000-00000000c003' };
// Addresses that are no template's: only the e-mail can say whose they are.
const pupilAddress = `old.account.${pupil.misId}@${STUDENTS}`;
const homeAddress = `family.${homePupil.misId}@${STUDENTS}`;
const teacherAddress = `staffroom.${teacher.misId}@${STAFF_DOMAIN}`;

let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
const dirs: string[] = [];

async function schoolDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'rollcall-e2e-bromcom-email-'));
  dirs.push(d);
  await writeFile(path.join(d, 'rollcall.yaml'), [
    'version: 1',
    'school: { name: Bromcom E-mail School, key: be, timeZone: Europe/London }',
    'source:',
    `  bromcom: { url: "${emulator.url}", schoolId: ${TEST_SCHOOL_ID}, username: { env: BROMCOM_USERNAME }, password: { env: BROMCOM_PASSWORD } }`,
    'tenant:',
    '  local: { state: .rollcall/tenant.json }',
    `  domains: [${STAFF_DOMAIN}, ${STUDENTS}]`,
    'users:',
    '  mode: create',
    '  match: [anchor, workEmail, manual]',
    `  students: { userPrincipalName: "{first:1}{last}@${STUDENTS}" }`,
    `  staff: { userPrincipalName: "{first:1}{last}@${STAFF_DOMAIN}" }`,
    'report: { personalData: full }',
    '',
  ].join('\n'));
  return d;
}

beforeAll(async () => {
  emulator = await startTestEmulator(school);
  // The teacher's Work address is the existing account's, spelt in other capitals; the Home row beside it is primary.
  const rows = emulator.options.data.Emails.rows.filter((r) => r.PersonID !== Number(teacher.misId));
  emulator.options.data.Emails.rows = rows;
  rows.push(
    { EmailID: 1, PersonID: Number(teacher.misId), EmailAddress: 'teacher@home.example', EmailType: 'Home', IsPrimary: true },
    { EmailID: 2, PersonID: Number(teacher.misId), EmailAddress: teacherAddress.toUpperCase(), EmailType: 'Work', IsPrimary: false },
    { EmailID: 3, PersonID: Number(pupil.misId), EmailAddress: pupilAddress, EmailType: 'School', IsPrimary: false },
    // A Home address, and primary, that happens to be an account in the school's domain: not a work e-mail.
    { EmailID: 4, PersonID: Number(homePupil.misId), EmailAddress: homeAddress, EmailType: 'Home', IsPrimary: true },
  );

  dir = await schoolDir();
  const seed = (id: string, upn: string, displayName: string) => ({ id, createdAt: 0, v: 1, props: { userPrincipalName: upn, mailNickname: upn.split('@')[0], displayName, accountEnabled: true } });
  await mkdir(path.join(dir, '.rollcall'));
  await writeFile(path.join(dir, '.rollcall/tenant.json'), JSON.stringify({
    version: 1, domains: [STAFF_DOMAIN, STUDENTS], education: false, seq: 3,
    users: [seed(ids.pupil, pupilAddress, 'Old account'), seed(ids.teacher, teacherAddress, 'Staffroom'), seed(ids.home, homeAddress, 'Family')],
  }));
});

afterAll(async () => {
  await emulator?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('Bromcom work e-mails link existing accounts, end to end', () => {
  it('links the pupil and the teacher to the accounts holding their work e-mails; the Home address links no one', async () => {
    const r = await rollcall(dir, 'plan', '--format', 'json', '--out', 'plan.json');
    expect(r.status, r.stderr).toBe(0);
    const plan = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8')) as PlanJson;
    // Emails was read (columns first), so the plan has e-mails to match on and says nothing about their absence.
    expect(emulator.calls.filter((c) => c.entity === 'Emails').map((c) => c.filter)).toEqual(['1=0', '']);
    expect(plan.warnings.filter((w) => w.includes('gave no e-mail'))).toEqual([]);

    const forPerson = (id: string) => plan.changes.filter((c) => c.kind === 'user' && c.key === `user:${id}`);
    for (const [person, account] of [[pupil.id, ids.pupil], [teacher.id, ids.teacher]] as const) {
      const changes = forPerson(person);
      expect(changes.map((c) => c.action), person).toEqual(['update']);
      expect(changes[0].target?.id).toBe(account);
      expect(changes[0].after?.employeeId).toBe(person.startsWith('student:') ? `be:s${pupil.misId}` : `be:t${teacher.misId}`);
    }
    // The pupil with only a Home address gets an account of their own; the family account is not touched.
    expect(forPerson(homePupil.id).map((c) => c.action)).toEqual(['create']);
    expect(plan.changes.some((c) => c.target?.id === ids.home)).toBe(false);
    expect(plan.unsynced.filter((u) => u.person === homePupil.id)).toEqual([]);

    const applied = await rollcall(dir, 'apply');
    expect(applied.status, applied.stderr).toBe(0);
    const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: StateUser[] };
    const byId = new Map(state.users.map((u) => [u.id, u]));
    expect(byId.get(ids.pupil)?.props.employeeId).toBe(forPerson(pupil.id)[0].after?.employeeId);
    expect(byId.get(ids.teacher)?.props.employeeId).toBe(forPerson(teacher.id)[0].after?.employeeId);
    expect(byId.get(ids.home)?.props.employeeId).toBeUndefined();
    // One account per person: the linked ones were not created again.
    const anchored = state.users.map((u) => u.props.employeeId).filter(Boolean);
    expect(new Set(anchored).size).toBe(anchored.length);
    const creates = plan.changes.filter((c) => c.kind === 'user' && c.action === 'create').length;
    expect(anchored).toHaveLength(creates + 2);

    // Nothing left to do.
    const again = await rollcall(dir, 'plan', '--format', 'json');
    expect((JSON.parse(again.stdout) as PlanJson).changes.filter((c) => c.kind === 'user')).toEqual([]);
  });

  it('a school whose Emails holds no work address for anyone: the plan says so at its top, before the summary', async () => {
    const saved = emulator.options.data.Emails.rows;
    emulator.options.data.Emails.rows = saved.filter((r) => r.EmailType === 'Home');
    try {
      const fresh = await schoolDir();
      const r = await rollcall(fresh, 'plan');
      expect(r.status, r.stderr).toBe(0);
      const top = r.stdout.slice(0, r.stdout.indexOf('Summary:'));
      expect(top).toContain("⚠ users.match has workEmail, but the MIS (bromcom) gave no e-mail address for any student or member of staff: nobody can be matched by work e-mail");
      expect(top).toContain("Bromcom's Emails entity");
    } finally {
      emulator.options.data.Emails.rows = saved;
    }
  });
});
