// The engine asks every source for contacts exactly when the config has a `guardians:` section (read through the
// one helper, wantsContacts, until the schema types it), and not otherwise: not read stays undefined.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { readRosterFor } from '../../src/engine/run.js';
import { memoryLogger } from '../../src/log.js';
import { wantsContactPhones, wantsContacts } from '../../src/sources/contacts.js';
import { REPO_ROOT } from '../support/shared.js';

let tmp: string;
let loaded: LoadedConfig;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-contacts-engine-'));
  await cp(path.join(REPO_ROOT, 'test/fixtures/contacts/sds-v2.1'), path.join(tmp, 'sds'), { recursive: true });
  await writeFile(path.join(tmp, 'rollcall.yaml'), 'version: 1\nschool: { name: Test, key: tst }\nsource: { sds: { dir: sds } }\ntenant: { local: { state: t.json }, domains: [school.example] }\n');
  loaded = await loadConfig(path.join(tmp, 'rollcall.yaml'));
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('contacts are read when the config has guardians', () => {
  it('wantsContacts: a guardians section, even empty, is on; absent is off; phones only when true', () => {
    expect(wantsContacts({})).toBe(false);
    expect(wantsContacts({ guardians: {} })).toBe(true);
    expect(wantsContactPhones({ guardians: {} })).toBe(false);
    expect(wantsContactPhones({ guardians: { phones: true } })).toBe(true);
  });

  it('readRosterFor: without guardians no contacts (undefined); with guardians the source reads them', async () => {
    expect((await readRosterFor(loaded, '2026-01-12', memoryLogger())).contacts).toBeUndefined();
    const on = { ...loaded, config: { ...loaded.config, guardians: { relationships: ['parent', 'guardian'], phones: false, consent: 'whenMisSays' } } } as LoadedConfig;
    const r = await readRosterFor(on, '2026-01-12', memoryLogger());
    expect(r.contacts!.map((c) => `${c.student} ${c.misId}`)).toEqual(['student:s1 c1', 'student:s1 c2', 'student:s2 c2', 'student:s2 c4']);
  });
});
