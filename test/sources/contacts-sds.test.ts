// Students' contacts from School Data Sync: v2.1 relationships.csv with the contacts' rows in users.csv, and v1's
// Parent and Guardian sync files (User.csv, Guardianrelationship.csv); Microsoft's own v2.1 sample too.
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import type { Roster } from '../../src/roster/types.js';
import { readRoster } from '../../src/sources/index.js';
import { parseTable } from '../../src/sources/table.js';
import { describeShared, REPO_ROOT, sharedPath } from '../support/shared.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/contacts');
const read = (dir: string, opts: { format?: 'v2.1' | 'v1' | 'uk'; contacts?: boolean; baseDir?: string; schools?: string[] } = {}) =>
  readRoster({ sds: { dir, ...(opts.format ? { format: opts.format } : {}), ...(opts.schools ? { schools: opts.schools } : {}) } }, { baseDir: opts.baseDir ?? FIXTURES, asOf: '2026-01-12', log: memoryLogger(), contacts: opts.contacts ?? true });
const pairs = (r: Roster) => r.contacts!.map((c) => `${c.student} ${c.misId} ${c.relationship}`);

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-contacts-sds-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });
/** A copy of a fixture export with one file changed (undefined: removed). */
async function variant(from: string, name: string, file: string, body: string | undefined): Promise<string> {
  await cp(path.join(FIXTURES, from), path.join(tmp, name), { recursive: true });
  if (body === undefined) await unlink(path.join(tmp, name, file));
  else await writeFile(path.join(tmp, name, file), body);
  return name;
}
async function error(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('SDS v2.1 contacts', () => {
  it('relationships.csv links student → contact; roles mapped (any capitals), unknown words are other with one counted warning', async () => {
    const r = await read('sds-v2.1');
    expect(pairs(r)).toEqual(['student:s1 c1 parent', 'student:s1 c2 guardian', 'student:s2 c2 guardian', 'student:s2 c4 other']);
    expect(r.contacts![0]).toEqual({ student: 'student:s1', misId: 'c1', displayName: 'Esme Quill', email: 'esme.quill@home.example', mobilePhone: '+44 7700 900001', relationship: 'parent' });
    expect(r.contacts![1].mobilePhone).toBe('+44 20 7946 0002');
    // Contacts are users without a role: never people to provision.
    expect(r.people.map((p) => p.id)).toEqual(['staff:t1', 'student:s1', 'student:s2']);
  });

  it('bad rows are counted warnings naming file:line: no name, a malformed e-mail, a contact users.csv lacks, an unknown student', async () => {
    const r = await read('sds-v2.1');
    expect(r.contacts!.find((c) => c.misId === 'c4')!.email).toBeUndefined();
    expect(r.warnings).toEqual(expect.arrayContaining([
      'SDS: 1 contact(s) with no name skipped (relationships.csv:5)',
      'SDS: 1 contact e-mail(s) that are not e-mail addresses left out (relationships.csv:6)',
      'SDS: 1 relationship(s) to a contact users.csv does not have left out (relationships.csv:7)',
      'SDS: 1 contact relationship(s) rollcall does not know read as "other": "stepfather" (1)',
      'skipped 1 contact(s) of a student the export does not have',
    ]));
    expect(r.warnings.join('\n')).not.toMatch(/gus at home|anon@/);
  });

  it('guardians off: relationships.csv is not read (contacts undefined), even when it is absent', async () => {
    expect((await read('sds-v2.1', { contacts: false })).contacts).toBeUndefined();
    const dir = await variant('sds-v2.1', 'no-rel-off', 'relationships.csv', undefined);
    expect((await read(dir, { baseDir: tmp, contacts: false })).contacts).toBeUndefined();
  });

  it('guardians on without relationships.csv, with an empty one, or users.csv without email: errors naming the file', async () => {
    const none = await variant('sds-v2.1', 'no-rel', 'relationships.csv', undefined);
    expect((await error(read(none, { baseDir: tmp }))).message).toMatch(/^the SDS export has no relationships\.csv; guardians: reads/);
    const empty = await variant('sds-v2.1', 'empty-rel', 'relationships.csv', 'userSourcedId,relationshipUserSourcedId,relationshipRole\n');
    expect((await error(read(empty, { baseDir: tmp }))).message).toMatch(/relationships\.csv has no rows; guardians: needs/);
    const users = 'sourcedId,givenName,familyName\ns1,A,Q\ns2,B,Q\nt1,D,H\nc1,E,Q\n';
    const noEmail = await variant('sds-v2.1', 'no-email', 'users.csv', users);
    expect((await error(read(noEmail, { baseDir: tmp }))).message).toMatch(/^users\.csv:1 has no "email" column; guardians: needs it/);
  });

  it("a trust's export: contacts of another school's pupils are that school's (no warning here)", async () => {
    const orgs = 'sourcedId,name,type\norg1,Synthetic High,school\norg2,Other School,school\n';
    const dir = await variant('sds-v2.1', 'trust', 'orgs.csv', orgs);
    await writeFile(path.join(tmp, dir, 'roles.csv'), 'userSourcedId,orgSourcedId,role,isPrimary\ns1,org1,student,true\ns2,org2,student,true\nt1,org1,teacher,true\n');
    await writeFile(path.join(tmp, dir, 'classes.csv'), 'sourcedId,orgSourcedId,title\nk1,org1,Maths 7\n');
    const r = await read(dir, { baseDir: tmp, schools: ['org1'] });
    expect(pairs(r)).toEqual(['student:s1 c1 parent', 'student:s1 c2 guardian']);
    expect(r.warnings.join('\n')).not.toMatch(/of a student the export does not have/);
  });
});

describe('SDS v1 contacts (Parent and Guardian sync files)', () => {
  it('Guardianrelationship.csv links a student SIS ID to a User.csv row by e-mail (any capitals); blank and Administrator roles are other', async () => {
    const r = await read('sds-v1', { format: 'v1' });
    expect(pairs(r)).toEqual(['student:s1 c1 parent', 'student:s1 fenn.arlo@home.example other', 'student:s2 fenn.arlo@home.example other']);
    expect(r.contacts![0]).toMatchObject({ displayName: 'Esme Quill', email: 'esme.quill@home.example', mobilePhone: '+44 7700 900001' });
    expect(r.warnings).toEqual(['SDS: 1 relationship(s) to an e-mail User.csv does not have left out (Guardianrelationship.csv:5)']);
  });

  it('guardians on and the v1 export lacks the guardian files: an error naming them', async () => {
    const dir = await variant('sds-v1', 'v1-no-user', 'User.csv', undefined);
    expect((await error(read(dir, { baseDir: tmp, format: 'v1' }))).message).toMatch(/^the SDS v1 export has no User\.csv; guardians: reads .* User\.csv and Guardianrelationship\.csv/);
    expect((await read(dir, { baseDir: tmp, format: 'v1', contacts: false })).contacts).toBeUndefined();
  });
});

describeShared("Microsoft's SDS v2.1 sample: contacts", 'conformance/sds-samples/sds-v2.1', () => {
  it("every student's contacts are its relationships.csv rows (parent, guardian, relative, …); the contact is the role-less user", async () => {
    const r = await readRoster({ sds: { dir: 'sds-v2.1' } }, { baseDir: sharedPath('conformance/sds-samples'), asOf: '2026-01-12', log: memoryLogger(), contacts: true });
    const rel = parseTable(await readFile(sharedPath('conformance/sds-samples/sds-v2.1/relationships.csv')), 'relationships.csv', []);
    const expected = new Map<string, number>();
    for (const row of rel.rows) {
      if (!['parent', 'guardian', 'relative', 'aide', 'doctor', 'child', 'other'].includes(row.get('relationshipRole')!.toLowerCase())) continue;
      const s = `student:${row.get('userSourcedId')}`;
      expected.set(s, (expected.get(s) ?? 0) + 1);
    }
    const got = new Map<string, number>();
    for (const c of r.contacts!) got.set(c.student, (got.get(c.student) ?? 0) + 1);
    expect(got).toEqual(expected);
    expect(expected.size).toBeGreaterThan(0);
    expect(r.contacts!.find((c) => c.student === 'student:114001')).toMatchObject({ misId: '114002', displayName: 'Jean Craig', relationship: 'guardian', email: 'jean.craig@outlook.com' });
    // The students and staff are read as before; contacts are no people.
    expect(countRoster(r)).toMatchObject({ students: 4, staff: 2 });
    expect(r.warnings).toEqual([]);
  });
});
