import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { RosterBuilder } from '../../src/roster/builder.js';
import { countRoster } from '../../src/roster/counts.js';
import { rosterDigest } from '../../src/roster/digest.js';
import type { Roster } from '../../src/roster/types.js';
import { readRoster } from '../../src/sources/index.js';
import { generateSchool } from '../support/synth/school.js';
import { writeSchool } from '../support/synth/write.js';
import { bromcomSource, startTestEmulator, TEST_CREDENTIALS } from '../emulators/bromcom/index.js';

const ASOF = '2026-01-12';
const school = generateSchool({ seed: 42, students: 160, staff: 18, asOf: ASOF });
let dir: string;
let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
const read: Record<string, Roster> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-equiv-'));
  for (const f of ['oneroster', 'sds', 'csv'] as const) await writeSchool(school, f, path.join(dir, f));
  emulator = await startTestEmulator(school);
  const common = { baseDir: dir, asOf: ASOF, calendar: true, log: memoryLogger(), env: TEST_CREDENTIALS };
  read.bromcom = await readRoster(bromcomSource(emulator.url), common);
  read.oneroster = await readRoster({ oneroster: { dir: 'oneroster' } }, common);
  read.sds = await readRoster({ sds: { dir: 'sds' } }, common);
  read.csv = await readRoster({ csv: { dir: 'csv' } }, common);
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

// What the generator meant: its own model through the same builder every source uses.
function expected(): Roster {
  const b = new RosterBuilder('csv', ASOF, memoryLogger());
  for (const p of structuredClone(school.people)) b.addPerson(p, { record: p.id });
  for (const g of school.groups) b.addGroup({ ...g }, { record: g.id });
  for (const m of school.memberships) b.addMembership({ ...m }, { record: m.group });
  for (const l of school.lessons) b.addLesson({ ...l }, { record: l.id });
  return b.build();
}
const content = (r: Roster) => ({ people: r.people, groups: r.groups, memberships: r.memberships });

describe('the same synthetic school through every source', () => {
  it('Bromcom (over SOAP), OneRoster 1.2 and plain CSV yield the same people, groups and memberships as the generator', () => {
    const want = expected();
    expect(content(read.bromcom)).toEqual(content(want));
    expect(content(read.oneroster)).toEqual(content(want));
    expect(content(read.csv)).toEqual(content(want));
    expect(countRoster(read.bromcom).students).toBe(school.people.filter((p) => p.kind === 'student').length);
  });

  it('Bromcom and CSV carry the timetable and agree on it; the digest is the same for both', () => {
    expect(read.bromcom.lessons.length).toBe(school.lessons.length);
    expect(read.bromcom.lessons).toEqual(read.csv.lessons);
    expect(rosterDigest(read.bromcom)).toBe(rosterDigest(read.csv));
    expect(rosterDigest(read.bromcom)).toBe(rosterDigest(expected()));
  });

  it('SDS v2.1 agrees on everything SDS can carry', () => {
    const project = (r: Roster) => ({
      people: r.people.map((p) => ({ id: p.id, first: p.legal.first, last: p.legal.last, start: p.startDate, end: p.endDate, year: p.yearGroup, email: p.workEmail })),
      groups: r.groups.filter((g) => g.kind === 'teaching').map((g) => ({ id: g.id, name: g.name })),
      memberships: r.memberships.filter((m) => r.groups.find((g) => g.id === m.group)?.kind === 'teaching'),
    });
    expect(project(read.sds)).toEqual(project(read.bromcom));
    expect(read.sds.groups.filter((g) => g.kind === 'year').length).toBe(new Set(school.people.map((p) => p.yearGroup).filter(Boolean)).size);
  });

  it('derives year and house groups from pupil attributes, and registration groups come with their tutors', () => {
    const r = read.bromcom;
    const kinds = new Set(r.groups.map((g) => g.kind));
    expect([...kinds].sort()).toEqual(['house', 'registration', 'teaching', 'year']);
    const reg = r.groups.find((g) => g.kind === 'registration')!;
    expect(r.memberships.some((m) => m.group === reg.id && m.role === 'tutor')).toBe(true);
    const year7 = r.groups.find((g) => g.kind === 'year' && g.name === 'Year 7')!;
    const inYear7 = r.people.filter((p) => p.yearGroup === '7').length;
    expect(r.memberships.filter((m) => m.group === year7.id).length).toBe(inYear7);
  });

  it('sends only the typed filter forms the emulator evaluates', () => {
    const filters = emulator.calls.filter((c) => c.entity).map((c) => `${c.entity}: ${c.filter}`);
    expect(filters).toContain('Students: (EndDate IS NULL) OR (EndDate >= \'2025-01-12\')');
    expect(filters).toContain('TimeTable: (PeriodStartDate >= \'2026-01-12\') AND (PeriodStartDate < \'2026-01-26\')');
    expect(emulator.calls[0].operation).toBe('findEntitiesBySchoolID');
  });
});
