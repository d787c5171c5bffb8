import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDefaults, resolvedSchema } from './defaults.js';
import { explainConfig } from './explain.js';
import { loadConfig, resolveConfig, type RawConfig } from './load.js';
import { loadSchema } from './schema.js';

const minimal: RawConfig = {
  version: 1,
  school: { name: 'S', key: 'ts' },
  source: { csv: { dir: '/tmp/mis' } },
  tenant: { local: { state: '/tmp/t.json' }, domains: ['t.example'] },
  users: { students: { userPrincipalName: '{first}@t.example' } },
};

describe('resolveConfig: every schema default, in one place', () => {
  it('fills values and sections the school left out from the schema', () => {
    const c = resolveConfig(minimal);
    expect(c.school.timeZone).toBe('Europe/London');
    expect(c.users.anchor).toBe('employeeId');
    expect(c.users.match).toEqual(['anchor', 'workEmail', 'manual']);
    expect(c.users.students?.scope.includeFutureStarters).toBe(false);
    expect(c.users.leavers).toEqual({ action: 'suspend', graceDays: 7, licences: 'remove' });
    expect(c.safety.maxEventDeletions).toEqual({ percent: 50 });
    expect(c.calendar).toMatchObject({ enabled: false, windowDays: 30, users: 'all' });
    expect(c.source.csv?.files.students).toBe('students.csv');
    expect(c.tenant.local?.port).toBe(0);
    expect(minimal.school).toEqual({ name: 'S', key: 'ts' }); // the argument is left as it was
  });

  it('creates no choice the school did not make, and no section whose presence turns a feature on', () => {
    const c = resolveConfig(minimal);
    expect(Object.keys(c.source)).toEqual(['csv']);
    expect(c.tenant.graph).toBeUndefined();
    expect(c.users.staff).toBeUndefined(); // needs an address template only the school can give
    expect(c.classes).toBeUndefined(); // `classes:` turns classes on
    expect(resolveConfig({ ...minimal, classes: {} }).classes).toMatchObject({ from: ['teachingGroups'], team: true, onEnd: 'archive' });
    expect(c.guardians).toBeUndefined(); // `guardians:` turns guardians on
    expect(resolveConfig({ ...minimal, guardians: {} }).guardians).toEqual({ relationships: ['parent', 'guardian'], phones: false, consent: 'whenMisSays' });
    expect(c.safety.maxGuardianRemovals).toEqual({ percent: 10, count: 200 });
  });

  it('keeps what the school wrote, and fills the values of maps', () => {
    const c = resolveConfig({ ...minimal, groups: { extraMembers: { 'Year 8': { include: ['a@t.example'] } } }, safety: { maxSuspensions: { count: 3 } } });
    expect(c.groups.extraMembers['Year 8']).toEqual({ include: ['a@t.example'], exclude: [] });
    expect(c.safety.maxSuspensions).toEqual({ count: 3 });
    expect(c.safety.maxDeletions).toEqual({ percent: 1 });
  });

  it('fills the values of a map whose keys are also the names of Object properties', () => {
    // An MIS group may be called "constructor" or "toString": its entry gets its defaults like any other.
    const c = resolveConfig({ ...minimal, groups: { extraMembers: { toString: { include: ['a@t.example'] }, constructor: { exclude: ['b@t.example'] } } } });
    expect(c.groups.extraMembers.toString).toEqual({ include: ['a@t.example'], exclude: [] });
    expect(c.groups.extraMembers.constructor).toEqual({ include: [], exclude: ['b@t.example'] });
  });

  it('names no optional CSV file the school did not name, so a missing one is not an error', () => {
    const c = resolveConfig({ ...minimal, source: { csv: { dir: '/tmp/mis', files: { students: 'pupils.csv' } } } });
    expect(c.source.csv?.files).toEqual({ students: 'pupils.csv', staff: 'staff.csv' });
  });

  it('leaves a wrong shape for the validator to name', () => {
    const data: Record<string, unknown> = { users: 'everyone', safety: [] };
    applyDefaults(data, loadSchema());
    expect(data.users).toBe('everyone');
    expect(data.safety).toEqual([]);
  });

  it('types as required exactly what it always fills in', () => {
    const s = resolvedSchema(loadSchema()) as { required: string[]; properties: Record<string, { required?: string[] }> };
    expect(s.properties.users.required).toEqual(expect.arrayContaining(['mode', 'anchor', 'match', 'exclusions', 'leavers', 'passwords']));
    expect(s.properties.users.required).not.toContain('students');
    expect(s.required).not.toContain('classes');
  });
});

describe('loadConfig returns the resolved configuration', () => {
  it('with defaults that explain still reports as defaults', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-defaults-'));
    const file = path.join(dir, 'rollcall.yaml');
    await writeFile(file, 'version: 1\nschool: { name: S, key: ts }\nsource: { csv: { dir: mis } }\ntenant: { local: { state: t.json }, domains: [t.example] }\nusers:\n  students: { userPrincipalName: "{first}@t.example" }\n');
    const loaded = await loadConfig(file);
    expect(loaded.config.safety.maxSuspensions).toEqual({ percent: 5 });
    // A default that names a file is relative to the file asked for.
    expect(loaded.config.users.passwords.out).toBe(path.join(dir, '.rollcall/passwords.age'));
    const text = explainConfig(loaded.config, loaded.origins, dir);
    expect(text).toMatch(/^safety\.maxSuspensions\.percent\s+5\s+# default$/m);
    expect(text).toMatch(/^users\.students\.userPrincipalName\s+"\{first\}@t\.example"\s+# rollcall\.yaml:6$/m);
  });
});
