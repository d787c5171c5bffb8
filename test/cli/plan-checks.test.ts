// Mistakes a school makes in its configuration, caught before (or while) a plan is made, as the built CLI
// reports them.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function rollcall(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  // Only what a shell would pass: no secrets of the test runner.
  const base = { PATH: process.env.PATH ?? '', HOME: os.tmpdir() };
  return spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd, encoding: 'utf8', env: { ...base, ...env } });
}

function school(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rollcall-plan-checks-'));
  writeFileSync(path.join(dir, 'rollcall.yaml'), yaml);
  return dir;
}

describe('rollcall plan: an unknown time zone', () => {
  it('is a configuration error at its line, not a stack trace', () => {
    const r = rollcall(root, ['plan', 'test/fixtures/config/bad-time-zone.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('test/fixtures/config/bad-time-zone.yaml:5:13  school.timeZone  "Europe/Londn" is not a time zone: use an IANA name such as Europe/London; did you mean "Europe/London"?');
  });
});

describe('rollcall plan: secrets', () => {
  const config = `version: 1
school: { name: Fixture School, key: fx }
source:
  bromcom:
    url: https://127.0.0.1:9/TPReadOnlyDataService.asmx
    schoolId: 12
    username: { env: MIS_USER }
    password: { env: MIS_PASSWORD }
tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-000000000000
    clientId: 00000000-0000-0000-0000-000000000000
    auth: client-secret
    clientSecret: { env: ENTRA_SECRET }
  domains: [fixture.example]
`;
  it('names every missing environment variable at once, before connecting to anything', () => {
    const r = rollcall(school(config), ['plan']);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/unexpected error|\bat \w+ \(/);
    expect(r.stderr).toContain('source.bromcom.username refers to environment variable MIS_USER, which is not set');
    expect(r.stderr).toContain('source.bromcom.password refers to environment variable MIS_PASSWORD, which is not set');
    expect(r.stderr).toContain('tenant.graph.clientSecret refers to environment variable ENTRA_SECRET, which is not set');
  });

  it('names only those still missing once some are set', () => {
    const r = rollcall(school(config), ['plan'], { MIS_USER: 'u', ENTRA_SECRET: 's' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('source.bromcom.password refers to environment variable MIS_PASSWORD, which is not set');
  });
});

describe('rollcall plan: configuration the MIS makes meaningless', () => {
  /** The quickstart school, its export without start dates, scoped to "Year 7" although the MIS writes "7". */
  function quickstart(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rollcall-plan-checks-'));
    cpSync(path.join(root, 'examples/quickstart/mis'), path.join(dir, 'mis'), { recursive: true });
    const csv = readFileSync(path.join(dir, 'mis/students.csv'), 'utf8').split('\n');
    const drop = csv[0].split(',').indexOf('startDate');
    writeFileSync(path.join(dir, 'mis/students.csv'), csv.map((l) => (l ? l.split(',').filter((_, i) => i !== drop).join(',') : l)).join('\n'));
    const yaml = readFileSync(path.join(root, 'examples/quickstart/rollcall.yaml'), 'utf8')
      .replace('  students:\n    userPrincipalName', '  students:\n    scope: { yearGroups: ["Year 7", "8"] }\n    userPrincipalName')
      .replace(/calendar:\n  enabled: true/, 'calendar:\n  enabled: false');
    writeFileSync(path.join(dir, 'rollcall.yaml'), yaml);
    return dir;
  }

  it('warns about a scope value no one has, naming the values the MIS has, and a token empty for everyone', () => {
    const dir = quickstart();
    const r = rollcall(dir, ['plan', '--format', 'json', '--out', 'plan.json']);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.status).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as { warnings: string[] };
    expect(plan.warnings).toContain('users.students.scope.yearGroups: "Year 7" matches no one in the MIS (the MIS has "7", "8", "9", "10", "11", "12", "13")');
    expect(plan.warnings).toContain('users.students.userPrincipalName uses {entryYear}, which is empty for every student from this source (csv): it adds nothing');
    // "8" matches; {first} and {last} have values: no warning for them.
    expect(plan.warnings.filter((w) => w.startsWith('users.'))).toHaveLength(2);
  });
});
