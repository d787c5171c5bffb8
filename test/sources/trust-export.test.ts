// Reading one school of a trust's single export (issue 16.2), for every export format that carries orgs: a person
// belongs to the schools their own record names, a class to its school; the rest is left out, never guessed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import { readRoster, type SourceConfig } from '../../src/sources/index.js';
import { describeShared, sharedPath } from '../support/shared.js';

let root: string;
let n = 0;
beforeAll(async () => { root = await mkdtemp(path.join(os.tmpdir(), 'rollcall-trust-src-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

async function folder(files: Record<string, string>): Promise<string> {
  const dir = `t${++n}`;
  await mkdir(path.join(root, dir));
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(root, dir, name), body);
  return dir;
}
const read = (cfg: SourceConfig, log = memoryLogger()) => readRoster(cfg, { baseDir: root, asOf: '2026-01-12', log });
async function refusal(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

const ORGS = 'sourcedId,name,type,parentSourcedId\ntr,Trust,district,\nn1,North,school,tr\ns1,South,school,tr\n';
const manifest = (version: string, files: string[]) => `propertyName,value\nmanifest.version,1.0\noneroster.version,${version}\n${files.map((f) => `file.${f},bulk`).join('\n')}\n`;

describe('OneRoster 1.1: orgSourcedIds on users, schoolSourcedId on classes', () => {
  const files = (users: string) => ({
    'manifest.csv': manifest('1.1', ['orgs', 'users', 'classes', 'enrollments']), 'orgs.csv': ORGS, 'users.csv': users,
    'classes.csv': 'sourcedId,title,classType,schoolSourcedId\nc1,N Maths,scheduled,n1\nc2,S Maths,scheduled,s1\n',
    'enrollments.csv': 'classSourcedId,userSourcedId,role\nc1,u1,student\nc2,u2,student\nc1,t9,teacher\nc2,t9,teacher\nc2,t8,teacher\n',
  });
  const USERS = 'sourcedId,orgSourcedIds,role,givenName,familyName\nu1,n1,student,A,B\nu2,s1,student,C,D\nt9,"n1,s1",teacher,E,F\nt8,s1,teacher,G,H\n';

  it('selects by id or by name; the teacher of both schools is in each; enrolments follow', async () => {
    const dir = await folder(files(USERS));
    const log = memoryLogger();
    const north = await read({ oneroster: { dir, schools: ['n1'] } }, log);
    expect(north.people.map((p) => p.id)).toEqual(['staff:t9', 'student:u1']);
    expect(north.groups.filter((g) => g.kind === 'teaching').map((g) => g.misId)).toEqual(['c1']);
    expect(north.memberships.filter((m) => m.group === 'group:c1').map((m) => m.person).sort()).toEqual(['staff:t9', 'student:u1']);
    expect(log.lines.join('\n')).toContain('oneroster: 2 person(s) and 1 class(es) of other schools left out');
    const south = await read({ oneroster: { dir, schools: ['south'] } });
    expect(south.people.map((p) => p.id)).toEqual(['staff:t8', 'staff:t9', 'student:u2']);
    const both = await read({ oneroster: { dir, schools: ['n1', 's1'] } });
    expect(countRoster(both)).toMatchObject({ students: 2, staff: 2 });
    // Without a selection the export is one school, and that is said.
    expect((await read({ oneroster: { dir } })).warnings).toEqual(['orgs.csv lists 2 schools; rollcall reads the people of all of them as one school']);
  });

  it('an unknown school lists the orgs; a name two orgs share asks for the id', async () => {
    const dir = await folder(files(USERS));
    expect((await refusal(read({ oneroster: { dir, schools: ['West'] } }))).message)
      .toBe('source.oneroster.schools: "West" is no org id or name in orgs.csv; the export has: tr (Trust, district), n1 (North, school), s1 (South, school)');
    const twins = await folder({ ...files(USERS), 'orgs.csv': ORGS + 's2,South,school,tr\n' });
    expect((await refusal(read({ oneroster: { dir: twins, schools: ['South'] } }))).message).toBe('source.oneroster.schools: "South" names 2 orgs in orgs.csv (s1, s2); use the org id');
  });

  it('whose school a person is cannot be guessed: no orgSourcedIds column, or an empty one, is an error', async () => {
    const noColumn = await folder(files('sourcedId,role,givenName,familyName\nu1,student,A,B\n'));
    expect((await refusal(read({ oneroster: { dir: noColumn, schools: ['n1'] } }))).message).toBe('users.csv:1 has no orgSourcedIds column; source.oneroster.schools needs it to tell whose school a person is');
    const empty = await folder(files('sourcedId,orgSourcedIds,role,givenName,familyName\nu1,n1,student,A,B\nu2,,student,C,D\n'));
    expect((await refusal(read({ oneroster: { dir: empty, schools: ['n1'] } }))).message).toBe('users.csv:3: orgSourcedIds of user u2 is empty; source.oneroster.schools needs it to tell whose school a person is');
    const noOrgs = await folder({ ...files(USERS), 'manifest.csv': manifest('1.1', ['users', 'classes', 'enrollments']) });
    expect((await refusal(read({ oneroster: { dir: noOrgs, schools: ['n1'] } }))).message).toBe('source.oneroster.schools names schools, but the export has no orgs file to find them in');
  });
});

describe('OneRoster 1.2: the orgs of a person\'s roles', () => {
  it('a role at another school is that school\'s; the primary role among this school\'s decides the kind', async () => {
    const dir = await folder({
      'manifest.csv': manifest('1.2', ['orgs', 'users', 'roles']), 'orgs.csv': ORGS,
      'users.csv': 'sourcedId,givenName,familyName\nu1,A,B\nu2,C,D\nt9,E,F\n',
      'roles.csv': 'userSourcedId,roleType,role,orgSourcedId\nu1,primary,student,n1\nu2,primary,student,s1\nt9,primary,teacher,s1\nt9,secondary,administrator,n1\n',
    });
    const north = await read({ oneroster: { dir, schools: ['n1'] } });
    expect(north.people.map((p) => [p.id, p.kind])).toEqual([['staff:t9', 'staff'], ['student:u1', 'student']]);
  });
});

describe('SDS v2.1: the orgs of roles and classes', () => {
  it('selects the people whose roles are at the school, and its classes', async () => {
    const dir = await folder({
      'orgs.csv': ORGS,
      'users.csv': 'sourcedId,givenName,familyName\nu1,A,B\nu2,C,D\nt9,E,F\n',
      'roles.csv': 'userSourcedId,orgSourcedId,role,isPrimary\nu1,n1,student,true\nu2,s1,student,true\nt9,n1,teacher,true\nt9,s1,teacher,false\n',
      'classes.csv': 'sourcedId,orgSourcedId,title\nc1,n1,N Maths\nc2,s1,S Maths\n',
      'enrollments.csv': 'classSourcedId,userSourcedId,role\nc1,u1,student\nc2,u2,student\nc1,t9,teacher\nc2,t9,teacher\n',
    });
    const south = await read({ sds: { dir, schools: ['s1'] } });
    expect(south.people.map((p) => p.id)).toEqual(['staff:t9', 'student:u2']);
    expect(south.groups.filter((g) => g.kind === 'teaching').map((g) => g.misId)).toEqual(['c2']);
    expect(south.memberships.filter((m) => m.group === 'group:c2').map((m) => m.person).sort()).toEqual(['staff:t9', 'student:u2']);
  });
});

describeShared("Microsoft's SDS UK sample, one school at a time", 'conformance/sds-samples', () => {
  it('Contoso and Fabrikam read apart add up to the whole export', async () => {
    const opts = { baseDir: sharedPath('conformance/sds-samples'), asOf: '2026-01-12', log: memoryLogger() };
    const whole = countRoster(await readRoster({ sds: { dir: 'uk-format_100-users', format: 'uk' } }, opts));
    const contoso = await readRoster({ sds: { dir: 'uk-format_100-users', format: 'uk', schools: ['Contoso High School'] } }, opts);
    const fabrikam = await readRoster({ sds: { dir: 'uk-format_100-users', format: 'uk', schools: ['10002'] } }, opts);
    const [c, f] = [countRoster(contoso), countRoster(fabrikam)];
    expect([c.students, f.students]).toEqual([60, 26]);
    expect([c.staff, f.staff]).toEqual([7, 5]);
    expect(c.students + f.students).toBe(whole.students);
    expect(contoso.groups.filter((g) => g.kind === 'teaching')).toHaveLength(14);
    expect(contoso.warnings).toEqual([]);
  });
});
