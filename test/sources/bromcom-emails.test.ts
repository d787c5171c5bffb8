// Work e-mails come from Bromcom's Emails entity (by PersonID), not from a column on Staff or Students: read over
// SOAP from the emulator, with its columns discovered first and mapped from the names a real service may use.
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { readRoster } from '../../src/sources/index.js';
import { generateSchool } from '../support/synth/school.js';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS } from '../emulators/bromcom/index.js';

const ASOF = '2026-01-12';
const school = generateSchool({ seed: 14, students: 40, staff: 9, asOf: ASOF });
const staff = school.people.filter((p) => p.kind === 'staff');
const students = school.people.filter((p) => p.kind === 'student');
let emulator: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function read(more: { workEmail?: boolean } = {}) {
  const log = memoryLogger();
  const roster = await readRoster(bromcomSource(emulator!.url), { baseDir: '.', asOf: ASOF, log, env: TEST_CREDENTIALS, retryDelayMs: 5, ...more });
  return { roster, log, email: (id: string) => roster.people.find((p) => p.id === id)?.workEmail };
}

describe('Bromcom work e-mails from the Emails entity', () => {
  it('pupils and staff get their Work or School address by PersonID; Home addresses, primary or not, are not work e-mails', async () => {
    emulator = await startTestEmulator(school);
    const rows = emulator.options.data.Emails.rows;
    // Staff.WorkEmail is not on the SOAP service; a school that had one would not be read from it either.
    expect(emulator.options.data.Staff.columns.some(([c]) => c.toLowerCase() === 'workemail')).toBe(false);
    const [pupil, homeOnly, both] = students;
    rows.push(
      { EmailID: 1, PersonID: Number(pupil.misId), EmailAddress: `${pupil.misId}@students.school.example`, EmailType: 'School', IsPrimary: false },
      { EmailID: 2, PersonID: Number(homeOnly.misId), EmailAddress: 'family@home.example', EmailType: 'Home', IsPrimary: true },
      { EmailID: 3, PersonID: Number(both.misId), EmailAddress: 'me@home.example', EmailType: 'Home', IsPrimary: true },
      { EmailID: 4, PersonID: Number(both.misId), EmailAddress: `${both.misId}@students.school.example`, EmailType: 'School', IsPrimary: false },
    );
    const { email } = await read();
    expect(email(pupil.id)).toBe(`${pupil.misId}@students.school.example`);
    expect(email(homeOnly.id)).toBeUndefined();
    expect(email(both.id)).toBe(`${both.misId}@students.school.example`);
    // Every member of staff: the Work row, whatever Home row sits beside it (the emulator marks some Home primary).
    expect(rows.some((r) => r.EmailType === 'Home' && r.IsPrimary === true && staff.some((s) => Number(s.misId) === r.PersonID))).toBe(true);
    for (const s of staff) expect(email(s.id), s.id).toBe(s.workEmail);
    // Pupils with no school address have none, though many have a Home row.
    expect(students.slice(3).filter((p) => email(p.id) !== undefined)).toEqual([]);
  });

  it('discovers the columns first (entityFilter 1=0), then reads the table; Emails is among the entities checked', async () => {
    emulator = await startTestEmulator(school);
    await read();
    const calls = emulator.calls.filter((c) => c.entity === 'Emails');
    expect(calls.map((c) => c.filter)).toEqual(['1=0', '']);
    const first = emulator.calls.findIndex((c) => c.entity === 'Emails');
    expect(first).toBeGreaterThan(0); // after findEntitiesBySchoolID
  });

  it('maps other known column names case-insensitively: Email, EmailTypeDescription, Priority', async () => {
    emulator = await startTestEmulator(school);
    const [a, b] = staff;
    emulator.options.data.Emails = {
      columns: [['EMAILID', 'xs:int'], ['personid', 'xs:int'], ['email', 'xs:string'], ['EmailTypeDescription', 'xs:string'], ['Priority', 'xs:int']],
      rows: [
        { EMAILID: 1, personid: Number(a.misId), email: 'A.Second@School.Example', EmailTypeDescription: 'Work', Priority: 2 },
        { EMAILID: 2, personid: Number(a.misId), email: 'a.first@school.example', EmailTypeDescription: 'work', Priority: 1 },
        { EMAILID: 3, personid: Number(b.misId), email: 'b@home.example', EmailTypeDescription: 'Home', Priority: 1 },
        { EMAILID: 4, personid: Number(b.misId), email: 'B@School.Example', EmailTypeDescription: 'Work Email', Priority: 2 },
      ],
    };
    const { email } = await read();
    expect(email(a.id)).toBe('a.first@school.example');
    expect(email(b.id)).toBe('B@School.Example');
  });

  it('columns none of the candidates fits: an error naming what is missing and the columns the service has', async () => {
    emulator = await startTestEmulator(school);
    emulator.options.data.Emails = { columns: [['EmailID', 'xs:int'], ['PersonID', 'xs:int'], ['CommunicationValue', 'xs:string'], ['EmailType', 'xs:string']], rows: [] };
    const e = await read().then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as Error).message).toBe('Bromcom entity Emails has no column rollcall knows for the address (EmailAddress, Email, Address); it has: EmailID, PersonID, CommunicationValue, EmailType');
    // Only the column read was made: the table itself was never asked for.
    expect(emulator.calls.filter((c) => c.entity === 'Emails').map((c) => c.filter)).toEqual(['1=0']);
  });

  it('two different work addresses and no primary flag to choose: no address and a warning, never a guess', async () => {
    emulator = await startTestEmulator(school);
    const [a] = staff;
    const rows = emulator.options.data.Emails.rows.filter((r) => r.PersonID !== Number(a.misId));
    rows.push(
      { EmailID: 1, PersonID: Number(a.misId), EmailAddress: 'one@school.example', EmailType: 'Work', IsPrimary: false },
      { EmailID: 2, PersonID: Number(a.misId), EmailAddress: 'two@school.example', EmailType: 'School', IsPrimary: false },
    );
    emulator.options.data.Emails.rows = rows;
    const { email, roster } = await read();
    expect(email(a.id)).toBeUndefined();
    expect(roster.warnings).toContain("1 person(s) have more than one work e-mail in Bromcom's Emails and none is marked primary: they are not matched by work e-mail");
    // Nothing personal in the warning.
    expect(roster.warnings.join('\n')).not.toMatch(/school\.example|one@|two@/);
  });

  it('without workEmail in users.match, Emails is neither read nor needed', async () => {
    emulator = await startTestEmulator(school, { permitted: ['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses'] });
    const { roster } = await read({ workEmail: false });
    expect(emulator.calls.some((c) => c.entity === 'Emails')).toBe(false);
    expect(roster.people.filter((p) => p.workEmail)).toEqual([]);
  });

  it('with workEmail on, an Emails entity the user may not read is named in the permission error', async () => {
    emulator = await startTestEmulator(school, { permitted: ['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses'] });
    await expect(read()).rejects.toThrow(/the Bromcom user may not read Emails for school 12345.*Third Party Access Permissions/);
  });
});
