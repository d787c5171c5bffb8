import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import { readRoster } from '../../src/sources/index.js';
import { generateSchool } from '../support/synth/school.js';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS } from '../emulators/bromcom/index.js';

const ASOF = '2026-01-12';
const school = generateSchool({ seed: 3, students: 60, staff: 10, asOf: ASOF });
let emulator: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function read(extra: { timeoutSeconds?: number; retries?: number } = {}, env: NodeJS.ProcessEnv = TEST_CREDENTIALS, more: { calendar?: boolean; previousCounts?: ReturnType<typeof countRoster> } = {}) {
  const log = memoryLogger();
  const roster = await readRoster(bromcomSource(emulator!.url, extra), { baseDir: '.', asOf: ASOF, log, env, retryDelayMs: 5, ...more });
  return { roster, log };
}

async function failure(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('Bromcom source against the SOAP emulator', () => {
  it('reads current, future and recent leavers as of the date, leaving out long-gone leavers', async () => {
    const gone = structuredClone(school);
    gone.people.push({ ...gone.people.find((p) => p.kind === 'student')!, id: 'student:99999', misId: '99999', endDate: '2023-07-20' });
    emulator = await startTestEmulator(gone);
    const { roster } = await read();
    expect(roster.people.some((p) => p.id === 'student:99999')).toBe(false);
    const kept = school.people.filter((p) => p.kind === 'student').length;
    expect(countRoster(roster).students).toBe(kept);
    expect(roster.people.some((p) => p.endDate && p.endDate < ASOF)).toBe(school.people.some((p) => p.endDate && p.endDate < ASOF));
    expect(roster.lessons).toEqual([]); // no calendar asked for: TimeTable is not read
    expect(emulator.calls.some((c) => c.entity === 'TimeTable')).toBe(false);
  });

  it('serves the bundled WSDL at ?wsdl, as an ASMX service does', async () => {
    emulator = await startTestEmulator(school);
    const wsdl = await (await fetch(`${emulator.url}?wsdl`)).text();
    expect(wsdl).toContain('targetNamespace="http://tempuri.org/"');
    expect(wsdl).toContain('soapAction="http://tempuri.org/getEntityDataBySchoolIDAsXml"');
    expect(wsdl).toContain('<soap12:binding');
  });

  it('bad credentials: HTTP 401, a clear error naming the variables, never retried', async () => {
    emulator = await startTestEmulator(school);
    const e = await failure(read({ retries: 3 }, { BROMCOM_USERNAME: 'x', BROMCOM_PASSWORD: 'wrong' }));
    expect(e.message).toMatch(/HTTP 401/);
    expect(e.message).toContain('$BROMCOM_USERNAME');
    expect(e.message).not.toContain('wrong');
    expect(e.retryable).toBe(false);
    expect(emulator.calls).toHaveLength(1);
  });

  it('the badCredentials switch: 401 even with the right password', async () => {
    emulator = await startTestEmulator(school, { badCredentials: true });
    const e = await failure(read());
    expect(e.message).toMatch(/refused the credentials for findEntitiesBySchoolID \(HTTP 401\)/);
  });

  it('missing secrets are reported before anything is sent', async () => {
    emulator = await startTestEmulator(school);
    await expect(read({}, {})).rejects.toThrow(/BROMCOM_USERNAME, which is not set/);
    expect(emulator.calls).toHaveLength(0);
  });

  it('entities not enabled: one error listing all of them and where to enable them', async () => {
    emulator = await startTestEmulator(school, { permitted: ['Students', 'Staff', 'Collections', 'SubjectClasses'] });
    const e = await failure(read({}, TEST_CREDENTIALS, { calendar: true }));
    expect(e.message).toContain('CollectionAssociates, CollectionExecutives, TimeTable');
    expect(e.message).toContain('Setup > Third Party Access Permissions & Logs');
    expect(emulator.calls.filter((c) => c.operation === 'getEntityDataBySchoolID')).toHaveLength(0);
  });

  it('a permission fault on an entity is not retried', async () => {
    emulator = await startTestEmulator(school);
    // findEntities lists Staff, but the entity call itself is refused: the fault's text says it is a permission.
    emulator.options.permitted = Object.keys(emulator.options.data);
    const { Staff: _staff, ...withoutStaff } = emulator.options.data;
    emulator.options.data = withoutStaff;
    const e = await failure(read({ retries: 3 }));
    expect(e.message).toMatch(/SOAP fault.*permission/);
    expect(e.retryable).toBe(false);
    expect(emulator.calls.filter((c) => c.entity === 'Staff')).toHaveLength(1);
  });

  it('transient SOAP faults are retried with backoff and then succeed', async () => {
    emulator = await startTestEmulator(school, { faultNext: 2 });
    const { roster, log } = await read({ retries: 3 });
    expect(countRoster(roster).students).toBe(school.people.filter((p) => p.kind === 'student').length);
    expect(log.lines.filter((l) => l.includes('retrying'))).toHaveLength(2);
  });

  it('random faults (seeded) are ridden out by retries, and the roster is complete', async () => {
    emulator = await startTestEmulator(school, { faultRate: 0.3, seed: 11 });
    const { roster, log } = await read({ retries: 6 });
    expect(log.lines.some((l) => l.includes('retrying'))).toBe(true);
    expect(countRoster(roster).students).toBe(school.people.filter((p) => p.kind === 'student').length);
  });

  it('faults that persist fail after the configured retries, saying how many attempts', async () => {
    emulator = await startTestEmulator(school, { faultNext: 100 });
    const e = await failure(read({ retries: 2 }));
    expect(e.message).toMatch(/deadlocked.*after 3 attempts/);
    expect(emulator.calls).toHaveLength(3);
  });

  it('a connection reset is retried', async () => {
    emulator = await startTestEmulator(school, { resetNext: 1 });
    const { log } = await read({ retries: 1 });
    expect(log.lines.some((l) => /connection to Bromcom failed.*retrying/.test(l))).toBe(true);
  });

  it('a connection dropped in the middle of a response is seen at once and retried', async () => {
    emulator = await startTestEmulator(school, { truncateNext: 1 });
    const started = Date.now();
    const { roster, log } = await read({ retries: 1, timeoutSeconds: 30 });
    expect(Date.now() - started).toBeLessThan(10_000);
    // Entities are read a few at a time: whichever answer the emulator renders first is the one cut off.
    expect(log.lines.some((l) => /dropped during the response to getEntityDataBySchoolID\(\w+\).*retrying/.test(l))).toBe(true);
    expect(countRoster(roster).students).toBe(school.people.filter((p) => p.kind === 'student').length);
  });

  it('a slow server hits the timeout: a clear, retryable error', async () => {
    emulator = await startTestEmulator(school, { delayMs: 1500 });
    const e = await failure(read({ timeoutSeconds: 0.3, retries: 0 }));
    expect(e.message).toMatch(/did not answer findEntitiesBySchoolID/);
    expect(e.retryable).toBe(true);
  });

  it('a response that is not a DataSet is an error, never an empty table', async () => {
    emulator = await startTestEmulator(school, { notDataSet: 'Students' });
    const e = await failure(read());
    expect(e.message).toMatch(/getEntityDataBySchoolID\(Students\) is not a DataSet/);
  });

  it('an empty diffgram (no rows) for people is an empty export: an error, not everybody leaving', async () => {
    emulator = await startTestEmulator(school);
    emulator.options.data = { ...emulator.options.data, Students: { ...emulator.options.data.Students, rows: [] }, Staff: { ...emulator.options.data.Staff, rows: [] } };
    const e = await failure(read());
    expect(e.message).toMatch(/returned no Students/);
  });

  it('no students at all (staff present) is an error: consent or permissions are hiding them', async () => {
    emulator = await startTestEmulator(school);
    emulator.options.data = { ...emulator.options.data, Students: { ...emulator.options.data.Students, rows: [] } };
    const e = await failure(read());
    expect(e.message).toMatch(/returned no Students for school 12345.*Data Processing Consent/);
  });

  it('warns when the number of people falls sharply, pointing at Data Processing Consent', async () => {
    emulator = await startTestEmulator(school);
    const { roster } = await read({}, TEST_CREDENTIALS, { previousCounts: { students: 500, staff: 10, groups: 0, memberships: 0, lessons: 0 } });
    expect(roster.warnings.join('\n')).toMatch(/students fell from 500 to \d+ .*Data Processing Consent/);
    expect(roster.warnings.join('\n')).not.toMatch(/staff fell/);
  });

  it('collections of types rollcall does not model are left out with a warning, with their members', async () => {
    emulator = await startTestEmulator(school);
    const d = emulator.options.data;
    d.Collections.rows.push({ CollectionID: 9001, CollectionName: 'Chess Club', CollectionTypeName: 'CLUB' });
    d.CollectionAssociates.rows.push({ PersonID: 10001, CollectionID: 9001 });
    d.CollectionExecutives.rows.push({ StaffID: 501, CollectionID: 9001, CollectionRoleTypeDescription: 'Club Leader' });
    const { roster } = await read();
    expect(roster.groups.some((g) => g.id === 'group:9001')).toBe(false);
    expect(roster.warnings).toEqual(['left out 1 Bromcom collection(s) of types rollcall does not model: CLUB (1)']);
  });

  it('sends parameters in the reference order, credentials last', async () => {
    emulator = await startTestEmulator(school);
    await read();
    expect(emulator.calls[0].params).toEqual(['schoolID', 'username', 'password']);
    expect(emulator.calls[1].params).toEqual(['schoolID', 'entityName', 'entityFilter', 'username', 'password']);
  });

  it('an as-of date that is not a date is refused before anything is sent (it would reach a filter)', async () => {
    emulator = await startTestEmulator(school);
    await expect(readRoster(bromcomSource(emulator.url), { baseDir: '.', asOf: "2026-01-12' OR 1=1", log: memoryLogger(), env: TEST_CREDENTIALS }))
      .rejects.toThrow(/as-of date .* is not a date/);
    expect(emulator.calls).toHaveLength(0);
  });

  it('omitted columns are NULL and column names match case-insensitively', async () => {
    const s = structuredClone(school);
    emulator = await startTestEmulator(s);
    const students = emulator.options.data.Students;
    students.columns = students.columns.map(([n, t]) => [n === 'FirstName' ? 'FIRSTNAME' : n, t]);
    students.rows = students.rows.map((r) => ({ ...r, FIRSTNAME: r.FirstName, House: null }));
    const { roster } = await read();
    const p = roster.people.find((x) => x.id === 'student:10001')!;
    expect(p.legal.first).toBe(school.people.find((x) => x.id === 'student:10001')!.legal.first);
    expect(p.house).toBeUndefined();
  });
});
