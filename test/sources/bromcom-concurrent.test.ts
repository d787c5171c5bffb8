// Independent Bromcom entities are read a few at a time: one soap client, each call with its own body, and a
// failure of any one entity fails the whole read, naming it ("unknown is never absent").
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger, silentLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import { rosterDigest } from '../../src/roster/digest.js';
import { BromcomClient } from '../../src/sources/bromcom/client.js';
import { READ_AT_ONCE, readBromcom } from '../../src/sources/bromcom/read.js';
import { readRoster } from '../../src/sources/index.js';
import { toBromcomData } from '../support/synth/bromcom-data.js';
import { generateSchool } from '../support/synth/school.js';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS, TEST_SCHOOL_ID } from '../emulators/bromcom/index.js';

const ASOF = '2026-01-12';
const school = generateSchool({ seed: 5, students: 120, staff: 14, asOf: ASOF });
let emulator: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const read = (url: string, more: { calendar?: boolean; retries?: number } = {}) =>
  readRoster(bromcomSource(url, { retries: more.retries ?? 0 }), { baseDir: '.', asOf: ASOF, log: memoryLogger(), env: TEST_CREDENTIALS, retryDelayMs: 5, calendar: more.calendar });

describe('Bromcom entities read concurrently', () => {
  it('one client answers several calls at once, each with its own table', async () => {
    emulator = await startTestEmulator(school, { delayMs: 60 });
    const client = await BromcomClient.connect({
      url: emulator.url, schoolId: TEST_SCHOOL_ID, username: TEST_CREDENTIALS.BROMCOM_USERNAME, password: TEST_CREDENTIALS.BROMCOM_PASSWORD,
      secretNames: { username: 'BROMCOM_USERNAME', password: 'BROMCOM_PASSWORD' }, timeoutMs: 10_000, retries: 0, retryDelayMs: 1, log: silentLogger,
    });
    const [students, staff, collections] = await Promise.all(['Students', 'Staff', 'Collections'].map((e) => client.getEntity(e, { all: true })));
    expect(emulator.peakInFlight).toBe(3);
    const data = emulator.options.data;
    expect(students.columns.has('studentid')).toBe(true);
    expect(students.rows.map((r) => r.studentid)).toEqual(data.Students.rows.map((r) => r.StudentID));
    expect(staff.columns.has('staffid')).toBe(true);
    expect(staff.rows.map((r) => r.staffid)).toEqual(data.Staff.rows.map((r) => r.StaffID));
    expect(collections.rows.map((r) => r.collectionid)).toEqual(data.Collections.rows.map((r) => r.CollectionID));
  });

  it(`reads at most ${READ_AT_ONCE} entities at a time, and the roster is the one read one entity at a time`, async () => {
    emulator = await startTestEmulator(school, { delayMs: 40 });
    const readWith = (readAtOnce?: number) => readBromcom(bromcomSource(emulator!.url, { retries: 0 }).bromcom, { asOf: ASOF, calendar: true, log: memoryLogger(), env: TEST_CREDENTIALS, readAtOnce });
    const roster = await readWith();
    expect(emulator.peakInFlight).toBeGreaterThan(1);
    expect(emulator.peakInFlight).toBeLessThanOrEqual(READ_AT_ONCE);
    const calls = emulator.calls.filter((c) => c.operation === 'getEntityDataBySchoolID').map((c) => c.entity).sort();
    expect(calls).toEqual(['CollectionAssociates', 'CollectionExecutives', 'Collections', 'Emails', 'Emails', 'Staff', 'Students', 'SubjectClasses', 'TimeTable']);
    emulator.peakInFlight = 0;
    const oneByOne = await readWith(1);
    expect(emulator.peakInFlight).toBe(1);
    expect(countRoster(roster)).toEqual(countRoster(oneByOne));
    expect(rosterDigest(roster)).toBe(rosterDigest(oneByOne));
    expect(roster.warnings).toEqual(oneByOne.warnings);
  });

  it('asks for the columns it must discover before any table, then Emails first, as mapping starts with it', async () => {
    emulator = await startTestEmulator(school, { delayMs: 20, data: toBromcomData(school, { contacts: true }) });
    await readBromcom(bromcomSource(emulator.url, { retries: 0 }).bromcom, { asOf: ASOF, calendar: true, contacts: true, contactPhones: true, log: memoryLogger(), env: TEST_CREDENTIALS });
    const calls = emulator.calls.filter((c) => c.operation === 'getEntityDataBySchoolID');
    const discovery = calls.filter((c) => c.filter === '1=0').map((c) => c.entity);
    expect(discovery.sort()).toEqual(['Emails', 'People', 'PersonTelephones', 'StudentContacts']);
    // Every discovery call was made before the first table was asked for.
    const firstTable = calls.findIndex((c) => c.filter !== '1=0');
    expect(calls.slice(0, firstTable).map((c) => c.entity).sort()).toEqual(discovery);
    expect(calls[firstTable].entity).toBe('Emails');
  });

  it('an entity that fails fails the whole read, naming it, and nothing is read after it', async () => {
    emulator = await startTestEmulator(school, { notDataSet: 'Staff', delayMs: 20 });
    const e = await read(emulator.url, { calendar: true, retries: 2 }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as Error).message).toMatch(/getEntityDataBySchoolID\(Staff\) is not a DataSet/);
    // Staff is the second entity: at most the first READ_AT_ONCE entities were asked for, TimeTable never.
    expect(emulator.calls.some((c) => c.entity === 'TimeTable')).toBe(false);
  });

  it('a permission refused on one entity among several in flight is the error reported, not a retry of the others', async () => {
    emulator = await startTestEmulator(school, { delayMs: 20 });
    emulator.options.permitted = Object.keys(emulator.options.data);
    const { Collections: _c, ...rest } = emulator.options.data;
    emulator.options.data = rest;
    const e = await read(emulator.url, { retries: 3 }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as Error).message).toMatch(/getEntityDataBySchoolID\(Collections\).*permission/);
    expect((e as SourceError).retryable).toBe(false);
  });
});
