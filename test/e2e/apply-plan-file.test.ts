// `rollcall apply --plan FILE` applies only what the file holds: a file whose changes were cut but whose checksum was
// kept is refused (through the built CLI, on the local tenant), and so is a plan over a configuration problem even
// with its checksum approved. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = (personalData: string, extra = '') => `version: 1
school: { name: Plan File School, key: pf, timeZone: Europe/London }
source: { csv: { dir: ./mis } }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [pf.example, students.pf.example]
users:
  students:
    userPrincipalName: "{first}{last:1}@students.pf.example"
    securityGroups: ["All Students"]
  staff:
    userPrincipalName: "{first:1}{last}@pf.example"
${extra}report: { personalData: ${personalData} }
`;

async function school(personalData: string, extra = ''): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-planfile-'));
  await writeSchool(generateSchool({ seed: 5, students: 12, asOf: AS_OF }), 'csv', path.join(dir, 'mis'));
  await writeFile(path.join(dir, 'rollcall.yaml'), config(personalData, extra));
  return dir;
}

interface PlanJson { checksum: string; changes: unknown[]; redacted?: unknown }

/** The users the local tenant holds (none before the first apply writes the state file). */
async function tenantUsers(dir: string): Promise<number> {
  const file = path.join(dir, '.rollcall/tenant.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as { users: unknown[] }).users.length : 0;
}

describe('apply --plan checks the file against its checksum', () => {
  it.each(['full', 'masked'])('refuses a %s plan file cut to 5 changes with its checksum kept; applies the untouched file', async (personalData) => {
    const dir = await school(personalData);
    const made = rollcall(dir, 'plan', '--format', 'json', '--out', 'plan.json');
    expect(made.status).toBe(0);
    const plan = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8')) as PlanJson;
    expect(plan.changes.length).toBeGreaterThan(20);
    expect(plan.redacted !== undefined).toBe(personalData === 'masked');

    await writeFile(path.join(dir, 'cut.json'), JSON.stringify({ ...plan, changes: plan.changes.slice(0, 5) }, null, 2));
    const cut = rollcall(dir, 'apply', '--plan', 'cut.json');
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(/cut\.json does not match (its own checksum|its checksum)/);
    expect(cut.stderr).toContain('nothing was applied');
    expect(cut.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(await tenantUsers(dir)).toBe(0);

    const ok = rollcall(dir, 'apply', '--plan', 'plan.json');
    expect(ok.stderr).toContain(' 0 failed');
    expect(ok.status).toBe(0);
    expect(await tenantUsers(dir)).toBeGreaterThan(12);
  }, 120_000);

  it('refuses a counts plan file, which lists no changes to check', async () => {
    const dir = await school('counts');
    expect(rollcall(dir, 'plan', '--format', 'json', '--out', 'plan.json').status).toBe(0);
    const r = rollcall(dir, 'apply', '--plan', 'plan.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lists no changes and cannot be checked against its checksum');
    expect(await tenantUsers(dir)).toBe(0);
  }, 60_000);
});

describe('a configuration problem is not approvable', () => {
  it('a missing licence group blocks apply even with --approve of the exact checksum', async () => {
    const dir = await school('masked');
    await writeFile(path.join(dir, 'rollcall.yaml'), config('masked').replace('    userPrincipalName: "{first:1}{last}@pf.example"\n', '    userPrincipalName: "{first:1}{last}@pf.example"\n    licenseGroups: ["Licence - A3 Staff"]\n'));
    const plan = JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as PlanJson & { blocked: { rule: string }[] };
    expect(plan.blocked.map((b) => b.rule)).toEqual(['users.licenseGroups']);
    const r = rollcall(dir, 'apply', '--approve', plan.checksum);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('a configuration problem that no approval lets through');
    expect(r.stderr).toContain('--approve cannot let this through');
    expect(await tenantUsers(dir)).toBe(0);
  }, 60_000);
});
