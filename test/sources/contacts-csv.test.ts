// Students' contacts from plain CSV files: a contacts file read through source.csv.columns.contacts, only when the
// config asks for guardians; what guardians cannot do without is a config problem naming the key to set.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import type { Roster } from '../../src/roster/types.js';
import type { CsvSourceConfig } from '../../src/sources/config.js';
import { readRoster } from '../../src/sources/index.js';
import { REPO_ROOT } from '../support/shared.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/contacts');
const MAPPED: CsvSourceConfig = {
  dir: 'csv',
  files: { contacts: 'family.csv' },
  columns: { contacts: { student: 'Pupil', id: 'Contact ID', first: 'Forename', last: 'Surname', email: 'Email', phone: 'Mobile', relationship: 'Relationship', consent: 'Parental Responsibility', priority: 'Priority' } },
};
const read = (cfg: CsvSourceConfig, contacts = true, baseDir = FIXTURES) => readRoster({ csv: cfg }, { baseDir, asOf: '2026-01-12', log: memoryLogger(), contacts });
const rows = (r: Roster) => r.contacts!.map((c) => `${c.student} ${c.misId} ${c.relationship} ${c.consent ?? '-'} ${c.priority ?? '-'}`);

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-contacts-csv-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });
async function error(p: Promise<unknown>): Promise<ConfigError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('CSV contacts', () => {
  it('the mapped columns: words mapped to Graph, consent yes/no, priority; one contact of two students is two contacts', async () => {
    const r = await read(MAPPED);
    expect(rows(r)).toEqual([
      'student:1001 c1 parent true 1', 'student:1001 c2 parent false 2',
      'student:1002 c2 guardian true 1', 'student:1002 c4 relative - -', 'student:1002 c5 other - -',
    ]);
    expect(r.contacts![0]).toEqual({ student: 'student:1001', misId: 'c1', displayName: 'Esme Quill', email: 'esme.quill@home.example', mobilePhone: '+44 7700 900001', relationship: 'parent', consent: true, priority: 1 });
  });

  it('bad rows are counted warnings naming file:line, never stopping the read or showing values', async () => {
    const r = await read(MAPPED);
    expect(r.people).toHaveLength(3);
    expect(r.contacts!.find((c) => c.misId === 'c4')!.email).toBeUndefined();
    expect(r.warnings).toEqual(expect.arrayContaining([
      'family.csv: 1 contact(s) with no name skipped (family.csv:5)',
      'family.csv: 1 contact e-mail(s) that are not e-mail addresses left out (family.csv:6)',
      'family.csv: 1 Parental Responsibility value(s) that are not yes or no read as not given (family.csv:6)',
      'family.csv: 1 Priority value(s) that are not a whole number from 1 read as not given (family.csv:6)',
      'family.csv: 1 contact relationship(s) rollcall does not know read as "other": "Neighbour" (1)',
      'skipped 1 contact(s) of a student the export does not have',
    ]));
    expect(r.warnings.join('\n')).not.toMatch(/gus\(at\)|anon@|maybe/);
  });

  it('default names: contacts.csv with headers named as the keys', async () => {
    await cp(path.join(FIXTURES, 'csv'), path.join(tmp, 'plain'), { recursive: true });
    await writeFile(path.join(tmp, 'plain', 'contacts.csv'), 'student,id,name,email,relationship\n1001,c1,Esme Quill,esme.quill@home.example,guardian\n');
    const r = await read({ dir: 'plain' }, true, tmp);
    expect(r.contacts).toEqual([{ student: 'student:1001', misId: 'c1', displayName: 'Esme Quill', email: 'esme.quill@home.example', relationship: 'guardian' }]);
  });

  it('guardians off: no contacts file needed, contacts undefined', async () => {
    expect((await read({ dir: 'csv' }, false)).contacts).toBeUndefined();
  });

  it('guardians on: a missing file or column is a config problem naming the key to set', async () => {
    expect((await error(read({ dir: 'csv' }))).message).toBe("guardians: needs the students' contacts: source.csv.files.contacts names the file (default contacts.csv), and contacts.csv is not in csv");
    const e = await error(read({ ...MAPPED, columns: { contacts: { ...MAPPED.columns!.contacts, student: undefined, first: undefined } } }));
    expect(e.message).toMatch(/^family\.csv:1 has no column for student \("student"; set source\.csv\.columns\.contacts\.student\), name \("name"; set source\.csv\.columns\.contacts\.name, or first and last\); guardians: needs it/);
    // A mapped optional column that is not in the file is a typo, not "the MIS does not say".
    const typo = await error(read({ ...MAPPED, columns: { contacts: { ...MAPPED.columns!.contacts, consent: 'Parental Responsibilty' } } }));
    expect(typo.message).toMatch(/no column for consent \("Parental Responsibilty"; set source\.csv\.columns\.contacts\.consent\)/);
  });

  it('the schema takes files.contacts and columns.contacts, and refuses an unknown contacts key', async () => {
    const base = `version: 1\nschool: { name: Test, key: tst }\ntenant: { local: { state: t.json }, domains: [school.example] }\n`;
    await writeFile(path.join(tmp, 'ok.yaml'), `${base}source: { csv: { dir: csv, files: { contacts: family.csv }, columns: { contacts: { student: Pupil, consent: PR } } } }\n`);
    const loaded = await loadConfig(path.join(tmp, 'ok.yaml'));
    expect(loaded.config.source.csv?.columns?.contacts).toEqual({ student: 'Pupil', consent: 'PR' });
    await writeFile(path.join(tmp, 'bad.yaml'), `${base}source: { csv: { dir: csv, columns: { contacts: { pupil: Pupil } } } }\n`);
    const e = await loadConfig(path.join(tmp, 'bad.yaml')).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems.map((p) => p.path).join(' ')).toMatch(/source\.csv\.columns\.contacts/);
  });
});
