// Students' contacts from a OneRoster export: users with role parent, guardian or relative, linked to students by
// agentSourcedIds on either side; read only when the config asks for guardians.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { readRoster } from '../../src/sources/index.js';
import { REPO_ROOT } from '../support/shared.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/contacts');
const read = (dir: string, contacts = true, baseDir = FIXTURES) => readRoster({ oneroster: { dir } }, { baseDir, asOf: '2026-01-12', log: memoryLogger(), contacts });
const pairs = (r: Awaited<ReturnType<typeof read>>) => r.contacts!.map((c) => `${c.student} ${c.misId} ${c.relationship}`);

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-contacts-or-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });
async function variant(name: string, users: string): Promise<string> {
  await mkdir(path.join(tmp, name));
  await writeFile(path.join(tmp, name, 'manifest.csv'), 'propertyName,value\noneroster.version,1.1\nfile.users,bulk\n');
  await writeFile(path.join(tmp, name, 'users.csv'), users);
  return name;
}

describe('OneRoster contacts', () => {
  it('1.1: links from the student, from the contact, or both; roles mapped to Graph; e-mail and the sms (else phone) column', async () => {
    const r = await read('oneroster-1.1');
    expect(pairs(r)).toEqual([
      'student:s1 p1 parent', 'student:s1 p2 guardian',
      'student:s2 p2 guardian',
      'student:s3 p3 relative', 'student:s3 p5 parent',
    ]);
    const p1 = r.contacts!.find((c) => c.misId === 'p1')!;
    expect(p1).toEqual({ student: 'student:s1', misId: 'p1', displayName: 'Esme Quill', email: 'esme.quill@home.example', mobilePhone: '+44 7700 900001', relationship: 'parent' });
    expect(r.contacts!.find((c) => c.misId === 'p2')!.mobilePhone).toBe('+44 20 7946 0002');
    // Parents are contacts, never people to provision.
    expect(r.people.map((p) => p.id)).toEqual(['staff:t1', 'student:s1', 'student:s2', 'student:s3']);
  });

  it('bad rows are warnings naming file:line, never values: no name skipped, a malformed e-mail left out, an unknown student counted', async () => {
    const r = await read('oneroster-1.1');
    const p5 = r.contacts!.find((c) => c.misId === 'p5')!;
    expect(p5.email).toBeUndefined();
    expect(p5.mobilePhone).toBe('+44 7700 900005');
    expect(r.warnings).toContain('OneRoster: 1 contact(s) with no name skipped (users.csv:9)');
    expect(r.warnings).toContain('OneRoster: 1 contact e-mail(s) that are not e-mail addresses left out (users.csv:10)');
    expect(r.warnings).toContain('skipped 1 contact(s) of a student the export does not have');
    expect(r.warnings.join('\n')).not.toMatch(/not-an-address|nobody@/);
    // The deleted parent (tobedeleted) is no contact.
    expect(r.contacts!.some((c) => c.misId === 'p7')).toBe(false);
  });

  it('1.2: the contact role comes from roles.csv; preferred names are the display name', async () => {
    const r = await read('oneroster-1.2');
    expect(pairs(r)).toEqual(['student:s1 p1 parent', 'student:s2 p2 guardian']);
    expect(r.contacts![0].displayName).toBe('Esme Quill');
  });

  it('without guardians: contacts stay unread (undefined), and an export without agentSourcedIds still reads', async () => {
    expect((await read('oneroster-1.1', false)).contacts).toBeUndefined();
    const dir = await variant('no-agents', 'sourcedId,role,givenName,familyName,email\ns1,student,A,B,\np1,parent,C,D,c@home.example\n');
    const r = await read(dir, false, tmp);
    expect(r.contacts).toBeUndefined();
    expect(r.people).toHaveLength(1);
  });

  it('guardians on and users.csv lacks agentSourcedIds or email: an error naming the file and the column', async () => {
    const dir = await variant('no-agents-on', 'sourcedId,role,givenName,familyName,email\ns1,student,A,B,\np1,parent,C,D,c@home.example\n');
    const e = await read(dir, true, tmp).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as Error).message).toMatch(/^users\.csv:1 has no "agentSourcedIds" column; guardians: needs it/);
    const dir2 = await variant('no-email-on', 'sourcedId,role,givenName,familyName,agentSourcedIds\ns1,student,A,B,p1\np1,parent,C,D,\n');
    await expect(read(dir2, true, tmp)).rejects.toThrow(/users\.csv:1 has no "email" column/);
  });

  it('guardians on and the export has no parents at all: an error, never "no guardians" (which would remove them all)', async () => {
    const dir = await variant('no-parents', 'sourcedId,role,givenName,familyName,email,agentSourcedIds\ns1,student,A,B,,\n');
    await expect(read(dir, true, tmp)).rejects.toThrow(/users\.csv has no users with role parent, guardian or relative; guardians: needs/);
  });

  it('a student pointing at someone who is no contact: counted, the rest still read', async () => {
    const dir = await variant('dangling', 'sourcedId,role,givenName,familyName,email,agentSourcedIds\ns1,student,A,B,,"p1,t1"\nt1,teacher,T,U,,\np1,parent,C,D,c@home.example,\n');
    const r = await read(dir, true, tmp);
    expect(pairs(r)).toEqual(['student:s1 p1 parent']);
    expect(r.warnings).toEqual(['OneRoster: 1 link(s) from a student to a contact users.csv does not have (or not a parent, guardian or relative) left out (users.csv:2)']);
  });
});
