// Each Bromcom entity is mapped as soon as it and the entities mapped before it are in, while the others are still
// being read: what the builder is given, and the warnings and log lines, are those of mapping every table at hand,
// whatever order the answers come in; a mapping failure fails the read at once and stops the reads under way.
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { RosterBuilder } from '../../src/roster/builder.js';
import { countRoster } from '../../src/roster/counts.js';
import { rosterDigest } from '../../src/roster/digest.js';
import { BromcomClient } from '../../src/sources/bromcom/client.js';
import { emailColumns } from '../../src/sources/bromcom/emails.js';
import { between, notEndedBefore, type Filter } from '../../src/sources/bromcom/filter.js';
import { mapBromcom, type BromcomTables } from '../../src/sources/bromcom/map.js';
import { readBromcom } from '../../src/sources/bromcom/read.js';
import type { BromcomData } from '../support/synth/bromcom-data.js';
import { generateSchool } from '../support/synth/school.js';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS, TEST_SCHOOL_ID } from '../emulators/bromcom/index.js';

const ASOF = '2026-01-12';
const school = generateSchool({ seed: 11, students: 90, staff: 12, asOf: ASOF });
let emulator: Awaited<ReturnType<typeof startTestEmulator>> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Synthetic data that makes each entity say something: a warning from every step of the mapping and from the build. */
function noisy(data: BromcomData): BromcomData {
  const d = structuredClone(data);
  d.Students.rows[3].FirstName = 'Ja\u001b[2Jne';
  d.Staff.rows[1].LastName = '';
  d.Staff.rows[1].PreferredFullName = null;
  d.Collections.rows.push({ CollectionID: 880001, CollectionName: 'Chess club', CollectionTypeName: 'CLUB', StartDate: null, EndDate: null });
  d.CollectionAssociates.rows.push({ PersonID: 990099, CollectionID: Number(d.Collections.rows[0].CollectionID), StartDate: null, EndDate: null });
  d.CollectionExecutives.rows[0].CollectionRoleTypeDescription = 'Cover supervisor';
  d.TimeTable.rows[2].LocationName = 'Lab\u0007 2';
  const staffId = d.Staff.rows[0].StaffID;
  d.Emails.rows.push({ EmailID: 999001, PersonID: staffId, EmailAddress: 'one@school.example', EmailType: 'Work', IsPrimary: false },
    { EmailID: 999002, PersonID: staffId, EmailAddress: 'two@school.example', EmailType: 'Work', IsPrimary: false });
  return d;
}

const FILTERS: Record<string, Filter> = {
  Students: notEndedBefore('2025-01-12'), Staff: notEndedBefore('2025-01-12'), Collections: notEndedBefore(ASOF), SubjectClasses: notEndedBefore(ASOF),
  CollectionAssociates: notEndedBefore(ASOF), CollectionExecutives: notEndedBefore(ASOF), TimeTable: between('PeriodStartDate', ASOF, '2026-01-26'), Emails: { all: true },
};

describe('Bromcom entities mapped as they are read', () => {
  it('records, warnings and log lines are those of mapping all the tables at hand, though the first entities mapped come in last', async () => {
    emulator = await startTestEmulator(school, { entityDelayMs: { Emails: 250, Students: 250 } });
    emulator.options.data = noisy(emulator.options.data);
    const log = memoryLogger();
    const roster = await readBromcom(bromcomSource(emulator.url, { retries: 0 }).bromcom, { asOf: ASOF, calendar: true, log, env: TEST_CREDENTIALS });
    // Students and Emails, mapped first, were answered after entities mapped later.
    const answered = log.lines.filter((l) => l.startsWith('debug: bromcom: getEntityDataBySchoolID(')).map((l) => /\((\w+)\)/.exec(l)![1]);
    expect(answered.indexOf('Students')).toBeGreaterThan(answered.indexOf('CollectionAssociates'));

    // The same tables mapped one after another, all at hand.
    emulator.options.entityDelayMs = undefined;
    const client = await BromcomClient.connect({
      url: emulator.url, schoolId: TEST_SCHOOL_ID, username: TEST_CREDENTIALS.BROMCOM_USERNAME, password: TEST_CREDENTIALS.BROMCOM_PASSWORD,
      secretNames: { username: 'BROMCOM_USERNAME', password: 'BROMCOM_PASSWORD' }, timeoutMs: 10_000, retries: 0, retryDelayMs: 1, log: memoryLogger(),
    });
    const tables: BromcomTables = {};
    for (const [entity, filter] of Object.entries(FILTERS)) tables[entity as keyof BromcomTables] = await client.getEntity(entity, filter);
    emailColumns(tables.Emails!.columns);
    const reference = memoryLogger();
    const builder = new RosterBuilder('bromcom', ASOF, reference);
    mapBromcom(tables, builder);
    const expected = builder.build();

    expect(expected.warnings.length).toBeGreaterThanOrEqual(7);
    expect(roster.warnings).toEqual(expected.warnings);
    expect(countRoster(roster)).toEqual(countRoster(expected));
    expect(rosterDigest(roster)).toBe(rosterDigest(expected));
    expect(JSON.stringify(roster)).toBe(JSON.stringify(expected));
    // The read's summary line first, then what mapping said, in its order (as when mapping began after the read).
    const said = log.lines.filter((l) => !l.startsWith('debug:'));
    expect(said[0]).toMatch(/^info: bromcom: read Students \d+, Staff \d+, Collections \d+, CollectionAssociates \d+, CollectionExecutives \d+, SubjectClasses \d+, TimeTable \d+, Emails \d+$/);
    expect(said.slice(1)).toEqual(reference.lines.filter((l) => !l.startsWith('debug:')));
  });

  it('an entity that cannot be mapped fails the read at once, and the read still waiting for a stuck entity is stopped', async () => {
    // TimeTable never answers while the emulator runs: a read that mapped only once every entity was in would
    // wait for it until the timeout, and report that instead.
    emulator = await startTestEmulator(school, { entityDelayMs: { TimeTable: 120_000 } });
    const data = structuredClone(emulator.options.data);
    data.Students.columns = data.Students.columns.filter(([c]) => c !== 'FirstName');
    emulator.options.data = data;
    const log = memoryLogger();
    const e = await readBromcom(bromcomSource(emulator.url, { retries: 0, timeoutSeconds: 120 }).bromcom, { asOf: ASOF, calendar: true, log, env: TEST_CREDENTIALS })
      .then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as Error).message).toMatch(/^Bromcom entity Students lacks column\(s\) FirstName/);
    expect(log.lines.some((l) => l.startsWith('info: bromcom: read '))).toBe(false);
  }, 15_000);

  it('no staff fails the read naming Staff before anything later is mapped; the pupils mapped before it said what they had to', async () => {
    emulator = await startTestEmulator(school, { entityDelayMs: { TimeTable: 120_000 } });
    const data = noisy(emulator.options.data);
    data.Staff.rows = [];
    emulator.options.data = data;
    const log = memoryLogger();
    const e = await readBromcom(bromcomSource(emulator.url, { retries: 0, timeoutSeconds: 120 }).bromcom, { asOf: ASOF, calendar: true, log, env: TEST_CREDENTIALS })
      .then(() => undefined, (err: unknown) => err);
    expect((e as Error).message).toMatch(/^Bromcom returned no Staff for school/);
    expect(log.lines.filter((l) => l.startsWith('warn:'))).toEqual([expect.stringMatching(/more than one work e-mail/), expect.stringMatching(/^warn: student:\d+ at Students StudentID \d+: control characters/)]);
  }, 15_000);
});
