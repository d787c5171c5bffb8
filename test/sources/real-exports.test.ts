// OneRoster and SDS v2.1 exports as real vendors write them (issue 14.6): what is unambiguous is read, what is not is
// refused with the file, line and column, and a required column is never guessed.
import { spawnSync } from 'node:child_process';
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
  root = await mkdtemp(path.join(os.tmpdir(), 'rollcall-exports-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folder(files: Record<string, string>): Promise<string> {
  const dir = `e${++n}`;
  await mkdir(path.join(root, dir));
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(root, dir, name), body);
  return dir;
}
const read = (cfg: SourceConfig) => readRoster(cfg, { baseDir: root, asOf: '2026-01-12', log: memoryLogger() });
async function refusal(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

const MANIFEST = 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.classes,bulk\nfile.enrollments,bulk\n';
const CLASSES = 'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects\nc1,active,2026-01-01,7X/Ma1,07,k1,MA,scheduled,R1,sch,t1,Maths\n';
const ENROLLMENTS = 'sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\ne1,c1,sch,u1,student,false,2025-09-01T00:00:00.000Z,2026-07-22T23:59:59Z\ne2,c1,sch,t1,teacher,true,2025-09-01 08:00:00,\n';
const oneRoster = (users: string, extra: Record<string, string> = {}) =>
  folder({ 'manifest.csv': MANIFEST, 'users.csv': users, 'classes.csv': CLASSES, 'enrollments.csv': ENROLLMENTS, ...extra });

describe('OneRoster from real vendors: read what is unambiguous', () => {
  it('columns in another order, ext_ and unknown vendor columns, datetimes where dates are expected', async () => {
    const dir = await oneRoster(
      'ext_houseColour,familyName,role,sourcedId,vendorInternalRef,givenName,grades,email,metadata.house,status\n' +
        'Red,Okafor,student,u1,X-99,Ada,07,ada@school.example,Red,active\n' +
        'Blue,Lee,teacher,t1,X-98,Bo,,bo@school.example,,active\n',
    );
    const r = await read({ oneroster: { dir } });
    expect(r.people.map((p) => [p.id, p.legal.first, p.legal.last, p.yearGroup, p.workEmail])).toEqual([
      ['staff:t1', 'Bo', 'Lee', undefined, 'bo@school.example'],
      ['student:u1', 'Ada', 'Okafor', '7', 'ada@school.example'],
    ]);
    const member = r.memberships.find((m) => m.person === 'student:u1');
    expect(member).toMatchObject({ group: 'group:c1', role: 'member', startDate: '2025-09-01', endDate: '2026-07-22' });
    expect(r.memberships.find((m) => m.person === 'staff:t1')).toMatchObject({ role: 'teacher', startDate: '2025-09-01' });
  });

  it('a date that is no date is refused with the file, line and column name', async () => {
    const dir = await oneRoster('sourcedId,role,givenName,familyName\nu1,student,A,B\nt1,teacher,C,D\n', {
      'enrollments.csv': 'classSourcedId,userSourcedId,role,beginDate\nc1,u1,student,2025-13-01T00:00:00Z\n',
    });
    const e = await refusal(read({ oneroster: { dir } }));
    expect(e.message).toBe('enrollments.csv:2: beginDate "2025-13-01T00:00:00Z" is not a date (expected YYYY-MM-DD)');
    expect(e.where).toEqual({ file: 'enrollments.csv', line: 2 });
  });
});

describe('OneRoster from real vendors: refuse what is ambiguous', () => {
  it('a misspelt optional header names the column number and the column it looks like', async () => {
    const dir = await oneRoster('sourcedId,role,givenName,familyName,midleName,emial\nu1,student,A,B,C,a@b.example\n');
    const e = await refusal(read({ oneroster: { dir } }));
    expect(e.message).toBe(
      'users.csv:1: column 5 "midleName" is not a OneRoster users.csv column; did you mean "middleName"?; ' +
        'column 6 "emial" is not a OneRoster users.csv column; did you mean "email"? (rename it in the export, or prefix a vendor column with ext_)',
    );
    expect(e.where).toEqual({ file: 'users.csv', line: 1 });
  });

  it('a misspelt required header is not guessed: the slip is named', async () => {
    const dir = await oneRoster('sourcedId,role,givenName,familyNme\nu1,student,A,B\n');
    const e = await refusal(read({ oneroster: { dir } }));
    expect(e.message).toMatch(/^users\.csv:1: column 4 "familyNme" is not a OneRoster users\.csv column; did you mean "familyName"\?/);
  });

  it('a file carrying another file\'s header is named as that file', async () => {
    const dir = await oneRoster(CLASSES);
    const e = await refusal(read({ oneroster: { dir } }));
    expect(e.message).toMatch(/^users\.csv:1 carries the header of classes\.csv \(sourcedId,status,dateLastModified,title,.*\), not of users\.csv; is the wrong file saved under this name\? \(users\.csv needs "role", "givenName", "familyName"\)$/);
  });

  it('a required column that is simply absent is an error, never guessed', async () => {
    const dir = await oneRoster('sourcedId,role,givenName,surname\nu1,student,A,B\n');
    const e = await refusal(read({ oneroster: { dir } }));
    expect(e.message).toBe('users.csv:1 lacks required column(s) "familyName" (header: sourcedId,role,givenName,surname)');
  });

  it('the same header twice', async () => {
    const dir = await oneRoster('sourcedId,role,givenName,familyName,email,email\nu1,student,A,B,a@x.example,b@x.example\n');
    const e = await refusal(read({ oneroster: { dir } }));
    expect(e.message).toBe('users.csv:1 has the column "email" twice');
  });
});

describe('SDS v2.1 exports get the same header check', () => {
  it('extras and another order are read; a misspelt header and a wrong file are refused', async () => {
    const ok = await folder({
      'users.csv': 'givenName,ext_tutor,sourcedId,familyName,email\nAda,7X,u1,Okafor,ada@school.example\n',
      'roles.csv': 'role,userSourcedId,grade,isPrimary,roleStartDate\nstudent,u1,07,true,2025-09-01T00:00:00Z\n',
      'classes.csv': 'sourcedId,title\nc1,Maths\n',
      'enrollments.csv': 'classSourcedId,userSourcedId,role\nc1,u1,student\n',
    });
    const r = await read({ sds: { dir: ok } });
    expect(r.people.map((p) => [p.id, p.yearGroup, p.startDate])).toEqual([['student:u1', '7', '2025-09-01']]);

    const slip = await folder({ 'users.csv': 'sourcedId,givenName,familyName,emial\nu1,A,B,x\n', 'roles.csv': 'userSourcedId,role\nu1,student\n' });
    expect((await refusal(read({ sds: { dir: slip } }))).message).toMatch(/^users\.csv:1: column 4 "emial" is not a SDS v2\.1 users\.csv column; did you mean "email"\?/);

    const swapped = await folder({ 'users.csv': 'userSourcedId,orgSourcedId,role,grade,isPrimary\nu1,o1,student,07,true\n', 'roles.csv': 'userSourcedId,role\nu1,student\n' });
    expect((await refusal(read({ sds: { dir: swapped } }))).message).toMatch(/^users\.csv:1 carries the header of roles\.csv /);
  });
});

describe('through the built CLI', () => {
  it('a misspelt header is one sentence naming the file, line and column, with no stack trace', async () => {
    const school = path.join(root, 'cli-school');
    await mkdir(path.join(school, 'mis'), { recursive: true });
    for (const [f, body] of Object.entries({ 'manifest.csv': MANIFEST, 'users.csv': 'sourcedId,role,givenName,familyName,grdaes\nu1,student,A,B,07\n', 'classes.csv': CLASSES, 'enrollments.csv': ENROLLMENTS })) {
      await writeFile(path.join(school, 'mis', f), body);
    }
    await writeFile(path.join(school, 'rollcall.yaml'), 'version: 1\nschool: { name: S, key: sc }\nsource: { oneroster: { dir: ./mis } }\ntenant: { local: { state: t.json }, domains: [s.example] }\n');
    const bin = path.resolve(import.meta.dirname, '../../bin/rollcall.js');
    const r = spawnSync(process.execPath, [bin, 'roster', '--as-of', '2026-01-12'], { cwd: school, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('rollcall: users.csv:1: column 5 "grdaes" is not a OneRoster users.csv column; did you mean "grades"?');
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
