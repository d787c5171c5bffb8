import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { readRoster, type SourceConfig } from '../../src/sources/index.js';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rollcall-bad-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const STAFF = 'id,first,last\n501,Ada,Okafor\n';
/** Writes files into a fresh export folder and reads it as the given source kind. */
async function csvExport(files: Record<string, string | Buffer>, cfg: Partial<NonNullable<SourceConfig['csv']>> = {}) {
  const dir = `x${++n}`;
  await mkdir(path.join(root, dir));
  for (const [name, body] of Object.entries({ 'staff.csv': STAFF, ...files })) await writeFile(path.join(root, dir, name), body);
  const log = memoryLogger();
  const roster = await readRoster({ csv: { dir, ...cfg } }, { baseDir: root, asOf: '2026-01-12', log, calendar: true });
  return { roster, log };
}

async function error(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('bad input: a clear error or warning naming the file and line', () => {
  it('missing required column', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first\n1,Ann\n' }));
    expect(e.message).toMatch(/^students\.csv:1 lacks required column\(s\) "last"/);
    expect(e.where).toEqual({ file: 'students.csv', line: 1 });
  });

  it('a UTF-8 BOM and CRLF line ends are read as plain text', async () => {
    const { roster } = await csvExport({ 'students.csv': '\uFEFFid,first,last,yearGroup\r\n1,Zoë,Ødegaard,Year 8\r\n' });
    expect(roster.people.find((p) => p.id === 'student:1')).toMatchObject({ legal: { first: 'Zoë', last: 'Ødegaard' }, yearGroup: '8' });
  });

  it('quoted newlines stay in the field and later lines are still numbered from the file', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last,startDate\n1,"Mary\nAnn",Smith,2025-09-01\n2,Bo,Li,someday\n' }));
    expect(e.message).toBe('students.csv:4: startDate "someday" is not a date (expected YYYY-MM-DD)');
  });

  it('a row with too many fields', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n1,A,B\n2,C,D,E\n' }));
    expect(e.message).toBe('students.csv:3 has 4 field(s) where the header has 3');
  });

  it('a stray quote: the line, not the value (it may be a name)', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n1,Ann"e,B\n' }));
    expect(e.message).toMatch(/^students\.csv:2: Invalid Opening Quote: a quote is found on field 1 at line 2$/);
  });

  it('a row with too few fields', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\r\n1,A\r\n' }));
    expect(e.message).toBe('students.csv:2 has 2 field(s) where the header has 3');
  });

  it('a file that is not UTF-8 (Windows-1252 from an old export)', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,first,last\n1,A,B\n2,Zo'), Buffer.from([0xeb]), Buffer.from(',C\n')]);
    const e = await error(csvExport({ 'students.csv': latin1 }));
    expect(e.message).toMatch(/^students\.csv:3 is not UTF-8 text/);
  });

  it('duplicate ids name both places', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n7,A,B\n7,C,D\n' }));
    expect(e.message).toBe('duplicate person id student:7 at students.csv:3 (first seen at students.csv:2)');
  });

  it('a membership naming an unknown person or group is skipped with a warning naming the line', async () => {
    const { roster } = await csvExport({
      'students.csv': 'id,first,last\n1,A,B\n',
      'groups.csv': 'id,name,kind\ng1,7A,registration\n',
      'memberships.csv': 'group,person,role\ng1,1,member\ng1,student:404,member\nnope,1,member\ng1,501,tutor\n',
    });
    expect(roster.memberships.map((m) => `${m.group} ${m.person} ${m.role}`)).toEqual(['group:g1 staff:501 tutor', 'group:g1 student:1 member']);
    const w = roster.warnings.join('\n');
    expect(w).toContain('memberships.csv:3 names unknown person student:404');
    expect(w).toContain('memberships.csv:4 names unknown group group:nope');
  });

  it('empty names: the person is kept (unknown is not absent) and a warning names the record', async () => {
    const { roster } = await csvExport({ 'students.csv': 'id,first,last\n1,,Brown\n' });
    expect(roster.people.some((p) => p.id === 'student:1')).toBe(true);
    expect(roster.warnings).toContain('student:1 at students.csv:2 has an empty first name; it is kept, and an account cannot be named from it');
  });

  it('unparseable dates (including impossible ones)', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last,endDate\n1,A,B,2026-02-30\n' }));
    expect(e.message).toBe('students.csv:2: endDate "2026-02-30" is not a date (expected YYYY-MM-DD)');
  });

  it('an export with nobody in it is an error', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n', 'staff.csv': 'id,first,last\r\n' }));
    expect(e.message).toMatch(/no students and no staff/);
  });

  it('an empty file (no header)', async () => {
    const e = await error(csvExport({ 'students.csv': '' }));
    expect(e.message).toBe('students.csv is empty (not even a header line)');
  });

  it('a missing file named in the config', async () => {
    const e = await error(csvExport({ 'students.csv': 'id,first,last\n1,A,B\n' }, { files: { groups: 'classes.csv' } }));
    expect(e.message).toMatch(/classes\.csv \(files\.groups in the config\) does not exist/);
  });

  it('maps columns from the config and reads lessons with their offsets', async () => {
    const { roster } = await csvExport(
      {
        'pupils.csv': 'Adno,Forename,Surname,Form\n1,A,B,7X\n',
        'groups.csv': 'id,name,kind,subject\nc1,7X/Ma1,teaching,Maths\n',
        'lessons.csv': 'group,staff,room,period,start,end\nc1,501,M1,P1,2026-01-12T08:50:00Z,2026-01-12T09:50+00:00\n',
      },
      { files: { students: 'pupils.csv' }, columns: { students: { id: 'Adno', first: 'Forename', last: 'Surname', registrationGroup: 'Form' } } },
    );
    expect(roster.people.find((p) => p.id === 'student:1')?.registrationGroup).toBe('7X');
    expect(roster.groups.some((g) => g.kind === 'registration' && g.name === '7X')).toBe(true);
    expect(roster.lessons).toEqual([{ id: 'lesson:c1@2026-01-12T08:50:00+00:00', group: 'group:c1', staff: ['staff:501'], room: 'M1', period: 'P1', start: '2026-01-12T08:50:00+00:00', end: '2026-01-12T09:50:00+00:00' }]);
  });

  it('lessons outside the calendar window are left out when a window is given', async () => {
    const dir = `x${++n}`;
    await mkdir(path.join(root, dir));
    await writeFile(path.join(root, dir, 'students.csv'), 'id,first,last\n1,A,B\n');
    await writeFile(path.join(root, dir, 'staff.csv'), STAFF);
    await writeFile(path.join(root, dir, 'groups.csv'), 'id,name,kind\nc1,7X/Ma1,teaching\n');
    await writeFile(path.join(root, dir, 'lessons.csv'), 'group,start,end\n' + ['2026-01-11', '2026-01-12', '2026-01-18', '2026-01-19'].map((d) => `c1,${d}T09:00:00Z,${d}T10:00:00Z`).join('\n') + '\n');
    const roster = await readRoster({ csv: { dir } }, { baseDir: root, asOf: '2026-01-12', calendar: true, calendarDays: 7, log: memoryLogger() });
    expect(roster.lessons.map((l) => l.start.slice(0, 10))).toEqual(['2026-01-12', '2026-01-18']);
  });
});

describe('bad OneRoster and SDS exports', () => {
  async function folder(files: Record<string, string>) {
    const dir = `o${++n}`;
    await mkdir(path.join(root, dir));
    for (const [name, body] of Object.entries(files)) await writeFile(path.join(root, dir, name), body);
    return dir;
  }
  const read = (cfg: SourceConfig) => readRoster(cfg, { baseDir: root, asOf: '2026-01-12', log: memoryLogger() });
  const manifest = (rows: string) => `propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n${rows}`;

  it('a manifest that names a missing file', async () => {
    const dir = await folder({ 'manifest.csv': manifest('file.users,bulk\nfile.classes,bulk\n'), 'users.csv': 'sourcedId,role,givenName,familyName\n1,student,A,B\n' });
    const e = await error(read({ oneroster: { dir } }));
    expect(e.message).toBe('manifest.csv:5 names classes.csv (bulk), which is not in the export');
  });

  it('a delta export is refused: read as a whole it would make everyone else look gone', async () => {
    const dir = await folder({ 'manifest.csv': manifest('file.users,delta\n'), 'users.csv': 'sourcedId,role,givenName,familyName\n1,student,A,B\n' });
    await expect(read({ oneroster: { dir } })).rejects.toThrow(/users\.csv is a delta export/);
  });

  it('OneRoster 1.1 reads roles from users.csv and skips parents; an unknown role is an error naming the line', async () => {
    const ok = await folder({ 'manifest.csv': manifest('file.users,bulk\n'), 'users.csv': 'sourcedId,role,givenName,familyName,grades\n1,student,A,B,09\n2,parent,C,D,\n3,teacher,E,F,\n' });
    const r = await read({ oneroster: { dir: ok } });
    expect(r.people.map((p) => p.id)).toEqual(['staff:3', 'student:1']);
    expect(r.people[1].yearGroup).toBe('9');
    const bad = await folder({ 'manifest.csv': manifest('file.users,bulk\n'), 'users.csv': 'sourcedId,role,givenName,familyName\n1,wizard,A,B\n' });
    await expect(read({ oneroster: { dir: bad } })).rejects.toThrow('users.csv:2: role "wizard" of user 1 is not a OneRoster role rollcall knows');
  });

  it('a folder without manifest.csv is not a OneRoster export', async () => {
    const dir = await folder({ 'users.csv': 'x\n' });
    await expect(read({ oneroster: { dir } })).rejects.toThrow(/has no manifest\.csv/);
  });

  it('SDS v1 (US headers: SIS ID, Section SIS ID) reads like the UK variant; inactive people are left out with a warning', async () => {
    const dir = await folder({
      'Student.csv': 'SIS ID,School SIS ID,First Name,Last Name,Grade,Status\n1,s,Ann,Lee,07,Active\n2,s,Bo,Ray,08,Inactive\n',
      'Teacher.csv': 'SIS ID,School SIS ID,First Name,Last Name\n9,s,Cy,Day\n',
      'Section.csv': 'SIS ID,School SIS ID,Section Name\n100,s,Maths 7\n',
      'StudentEnrollment.csv': 'Section SIS ID,SIS ID\n100,1\n',
      'TeacherRoster.csv': 'Section SIS ID,SIS ID\n100,9\n',
    });
    const r = await read({ sds: { dir, format: 'v1' } });
    expect(r.people.map((p) => `${p.id} ${p.yearGroup ?? ''}`)).toEqual(['staff:9 ', 'student:1 7']);
    expect(r.memberships.filter((m) => m.group === 'group:100').map((m) => `${m.person} ${m.role}`)).toEqual(['staff:9 teacher', 'student:1 member']);
    expect(r.warnings).toEqual(['left out 1 person(s) whose Status is not Active']);
  });

  it('SDS v2.1 without classes.csv', async () => {
    const dir = await folder({ 'users.csv': 'sourcedId,givenName,familyName\n1,A,B\n', 'roles.csv': 'userSourcedId,role\n1,student\n' });
    await expect(read({ sds: { dir } })).rejects.toThrow('the SDS export has no classes.csv');
  });

  it('a missing export folder is an error, not an empty school', async () => {
    await expect(read({ csv: { dir: 'does-not-exist' } })).rejects.toThrow(/the csv folder does-not-exist does not exist/);
  });
});
