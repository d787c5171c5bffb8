// Pupils' contacts from Bromcom, read over SOAP from the emulator by the real `soap` client: StudentContacts, People,
// Emails (and PersonTelephones with guardians.phones), each with its columns discovered first (entityFilter 1=0).
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import type { Roster } from '../../src/roster/types.js';
import { entitiesNeeded } from '../../src/sources/bromcom/entities.js';
import { readRoster } from '../../src/sources/index.js';
import { toBromcomData } from '../support/synth/bromcom-data.js';
import { synthContacts } from '../support/synth/contacts.js';
import { generateSchool } from '../support/synth/school.js';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS } from '../emulators/bromcom/index.js';

const ASOF = '2026-01-12';
const school = generateSchool({ seed: 16, students: 30, staff: 6, asOf: ASOF });
const expected = synthContacts(school);
let emulator: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function read(more: { contacts?: boolean; contactPhones?: boolean; workEmail?: boolean } = {}) {
  const log = memoryLogger();
  const roster = await readRoster(bromcomSource(emulator!.url), { baseDir: '.', asOf: ASOF, log, env: TEST_CREDENTIALS, retryDelayMs: 5, contacts: true, ...more });
  return { roster, log };
}
// The synthetic school's data with its pupils' contacts (other tests and the benchmark read it without them).
const startWithContacts = () => startTestEmulator(school, { data: toBromcomData(school, { contacts: true }) });
const key = (c: { student: string; misId: string }) => `${c.student} ${c.misId}`;
async function error(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('Bromcom contacts', () => {
  it('every StudentContacts row is a contact: name from People, primary e-mail from Emails, mobile from PersonTelephones; relationship, consent, priority', async () => {
    emulator = await startWithContacts();
    const { roster } = await read({ contactPhones: true });
    const want = expected.map((c) => ({
      student: `student:${c.student}`, misId: String(c.personId), displayName: `${c.first} ${c.last}`, relationship: c.graph, consent: c.responsibility, priority: c.priority,
      ...(c.email ? { email: c.email } : {}), ...(c.mobile ? { mobilePhone: c.mobile } : {}),
    }));
    const byKey = (list: { student: string; misId: string }[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(byKey(roster.contacts!)).toEqual(byKey(want));
    // Siblings share a contact: one person, two pupils.
    const shared = expected.find((c, i) => expected.findIndex((d) => d.personId === c.personId) !== i)!;
    expect(roster.contacts!.filter((c) => c.misId === String(shared.personId))).toHaveLength(2);
    // The non-primary Work address and the primary Home landline beside them are not what was picked.
    expect(roster.contacts!.some((c) => c.email?.endsWith('@employer.example') || c.mobilePhone?.startsWith('+44 20'))).toBe(false);
    expect(roster.warnings).toEqual([]);
  });

  it('columns are discovered (1=0) before each table is read; PersonTelephones only with phones; nothing of this with guardians off', async () => {
    emulator = await startWithContacts();
    const { roster } = await read();
    const filters = (entity: string) => emulator!.calls.filter((c) => c.entity === entity).map((c) => c.filter);
    expect(filters('StudentContacts')).toEqual(['1=0', '']);
    expect(filters('People')).toEqual(['1=0', '']);
    expect(filters('PersonTelephones')).toEqual([]);
    expect(roster.contacts!.some((c) => c.mobilePhone !== undefined)).toBe(false);

    emulator.calls.length = 0;
    const off = await read({ contacts: false, workEmail: false });
    expect(off.roster.contacts).toBeUndefined();
    expect(emulator.calls.filter((c) => ['StudentContacts', 'People', 'Emails', 'PersonTelephones'].includes(c.entity ?? ''))).toEqual([]);
  });

  it('Emails read for contacts alone (workEmail off) gives nobody a work e-mail', async () => {
    emulator = await startWithContacts();
    const { roster } = await read({ workEmail: false });
    expect(roster.people.filter((p) => p.workEmail !== undefined)).toEqual([]);
    expect(roster.contacts!.length).toBe(expected.length);
  });

  it('other column names a service may use: ContactID, Relationship, ContactPriority; consent from ReceivesCorrespondence when there is no parental-responsibility column', async () => {
    emulator = await startWithContacts();
    const [a, b] = school.people.filter((p) => p.kind === 'student');
    const [m, f] = [...new Set(expected.map((c) => c.personId))];
    emulator.options.data.StudentContacts = {
      columns: [['STUDENTID', 'xs:int'], ['contactid', 'xs:int'], ['Relationship', 'xs:string'], ['ContactPriority', 'xs:int'], ['ReceivesCorrespondence', 'xs:boolean']],
      rows: [
        { STUDENTID: Number(a.misId), contactid: m, Relationship: 'FOSTER CARER', ContactPriority: 1, ReceivesCorrespondence: false },
        { STUDENTID: Number(b.misId), contactid: f, Relationship: 'REL', ContactPriority: null, ReceivesCorrespondence: true },
      ],
    };
    const { roster } = await read();
    expect(roster.contacts!.map((c) => `${c.student} ${c.misId} ${c.relationship} ${c.consent} ${c.priority ?? '-'}`)).toEqual([
      `student:${a.misId} ${m} guardian false 1`, `student:${b.misId} ${f} relative true -`,
    ].sort());
  });

  it('columns none of the candidates fits: an error naming what is missing and the columns the service has, before any row is read', async () => {
    emulator = await startWithContacts();
    emulator.options.data.StudentContacts = { columns: [['StudentID', 'xs:int'], ['LinkedPerson', 'xs:int'], ['Kind', 'xs:string']], rows: [] };
    const e = await error(read());
    expect(e.message).toBe('Bromcom entity StudentContacts has no column rollcall knows for the person (ContactPersonID, ContactID, PersonID), nor for the relationship (RelationshipType, Relationship, RelationshipTypeDescription, RelationshipDescription, ContactRelationship); it has: StudentID, LinkedPerson, Kind');
    expect(emulator.calls.filter((c) => c.entity === 'StudentContacts').map((c) => c.filter)).toEqual(['1=0']);
  });

  it('guardians on and StudentContacts not permitted, or empty: errors naming the entity, never "no guardians"', async () => {
    emulator = await startWithContacts();
    emulator.options.permitted = Object.keys(emulator.options.data).filter((e) => e !== 'StudentContacts');
    expect((await error(read())).message).toMatch(/may not read StudentContacts for school \d+\. In Bromcom, open Setup > Third Party Access Permissions/);
    await emulator.close();
    emulator = await startWithContacts();
    emulator.options.data.StudentContacts.rows = [];
    expect((await error(read())).message).toMatch(/^Bromcom returned no StudentContacts for school \d+\. Nothing is planned from an empty read/);
  });

  it('bad rows are counted warnings naming the records: a contact People lacks, a malformed e-mail, an unknown word, an unknown pupil', async () => {
    emulator = await startWithContacts();
    const data = emulator.options.data;
    const first = expected[0];
    data.StudentContacts.rows.push(
      { StudentContactID: 1, StudentID: Number(first.student), ContactPersonID: 123, RelationshipType: 'Mother', Priority: 3, ParentalResponsibility: true },
      { StudentContactID: 2, StudentID: 999999, ContactPersonID: first.personId, RelationshipType: 'Mother', Priority: 1, ParentalResponsibility: true },
      { StudentContactID: 3, StudentID: Number(first.student), ContactPersonID: 124, RelationshipType: 'Neighbour', Priority: 4, ParentalResponsibility: false },
    );
    data.People.rows.push({ PersonID: 124, FirstName: 'Nell', LastName: 'Bright' });
    data.Emails.rows.push({ EmailID: 1, PersonID: 124, EmailAddress: 'nell at home', EmailType: 'Home', IsPrimary: true });
    const n = data.StudentContacts.rows.length;
    const { roster } = await read();
    expect(roster.warnings).toEqual([
      `Bromcom: 1 contact(s) People does not have skipped (StudentContacts row ${n - 2})`,
      `Bromcom: 1 contact e-mail(s) that are not e-mail addresses left out (StudentContacts row ${n})`,
      'Bromcom: 1 contact relationship(s) rollcall does not know read as "other": "Neighbour" (1)',
      'skipped 1 contact(s) of a student the export does not have',
    ]);
    expect(roster.contacts!.find((c) => c.misId === '124')).toMatchObject({ displayName: 'Nell Bright', relationship: 'other', consent: false });
  });

  it('rollcall check asks for StudentContacts, People and Emails with guardians (PersonTelephones with phones)', () => {
    const base = { calendar: { enabled: false }, users: { match: ['anchor'] } };
    expect(entitiesNeeded(base)).not.toContain('StudentContacts');
    expect(entitiesNeeded({ ...base, guardians: {} } as typeof base)).toEqual(expect.arrayContaining(['Emails', 'StudentContacts', 'People']));
    expect(entitiesNeeded({ ...base, guardians: {} } as typeof base)).not.toContain('PersonTelephones');
    expect(entitiesNeeded({ ...base, guardians: { phones: true } } as typeof base)).toContain('PersonTelephones');
  });
});
