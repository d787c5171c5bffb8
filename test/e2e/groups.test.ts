// Groups end to end, through the built CLI, on the local tenant: rollcall's own groups are recognised by their mark
// whatever the nickname template (issue 12.6), and a rollover rehearsal (--as-of with next year's export) deletes
// nothing (12.4). `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool, type SynthSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');

function rollcall(cwd: string, asOf: string | undefined, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, ...(asOf ? ['--as-of', asOf] : [])], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StateGroup { id: string; props: { displayName: string; mailNickname: string; description?: string | null; hideFromAddressLists?: boolean }; members: string[]; owners: string[]; deletedAt?: string }
async function tenantGroups(dir: string): Promise<StateGroup[]> {
  const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { groups: StateGroup[] };
  return state.groups.filter((g) => !g.deletedAt);
}

const config = (extra: string) => `version: 1
school: { name: Rehearsal Academy, key: ra, timeZone: Europe/London }
source:
  csv: { dir: ./mis }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [ra.example, students.ra.example]
  education: true
users:
  students:
    userPrincipalName: "{entryYear:-2}{first:1}{last}@students.ra.example"
    securityGroups: ["All Students", "Students Year {yearGroup}"]
  staff:
    userPrincipalName: "{first:1}{last}@ra.example"
    securityGroups: ["All Staff"]
safety:
  maxSuspensions: { percent: 20 }
${extra}`;

async function school(cfg: string, synth: SynthSchool): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-groups-'));
  await writeSchool(synth, 'csv', path.join(dir, 'mis'));
  await writeFile(path.join(dir, 'rollcall.yaml'), cfg);
  return dir;
}

describe('a groups.mailNickname template whose prefix is shared by every rollcall group', () => {
  it('{schoolKey}-{academicYear}-{misId}: after apply, the next plan deletes no class or security group (it is empty)', async () => {
    const asOf = '2026-11-23';
    const dir = await school(config(`groups:
  from: [yearGroups, registrationGroups, houses]
  displayName: "{academicYear} {name}"
  mailNickname: "{schoolKey}-{academicYear}-{misId}"
classes:
  from: [teachingGroups]
`), generateSchool({ seed: 12, students: 120, asOf }));
    try {
      const apply = rollcall(dir, asOf, 'apply');
      expect(apply.stderr).toContain(' 0 failed');
      expect(apply.status).toBe(0);
      const groups = await tenantGroups(dir);
      expect(groups.filter((g) => g.props.mailNickname.startsWith('ra-class-')).length).toBeGreaterThan(50);
      expect(groups.filter((g) => g.props.mailNickname.startsWith('ra-sg-')).length).toBe(9);
      const again = rollcall(dir, asOf, 'plan', '--detailed-exitcode');
      expect(again.stdout).not.toMatch(/\bdelete\b/);
      expect(again.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('validate refuses templates that cannot keep groups apart, naming the file and line', async () => {
    for (const [template, why] of [
      ['{name}-{schoolKey}', /must start with \{schoolKey\}-/],
      ['{schoolKey}-{name}', /after \{schoolKey\}- comes \{name\}.*must contain \{misId\}|after \{schoolKey\}- comes \{name\}/s],
      ['{schoolKey}-sg-{misId}', /how rollcall's security groups are named/],
    ] as const) {
      const dir = await school(config(`groups:\n  from: [registrationGroups]\n  mailNickname: "${template}"\n`), generateSchool({ seed: 1, students: 10 }));
      try {
        const r = rollcall(dir, undefined, 'validate');
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/rollcall\.yaml:2\d:\d+ {2}groups\.mailNickname {2}/);
        expect(r.stderr).toMatch(why);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }, 60_000);
});

/** Next year's export: the same people, tutor groups made afresh in the MIS with new ids (as at every rollover). */
function nextYear(s: SynthSchool): SynthSchool {
  const renumber = new Map(s.groups.filter((g) => g.kind === 'registration').map((g) => [g.id, `group:${Number(g.misId) + 5000}` as const]));
  return {
    ...s,
    groups: s.groups.map((g) => (renumber.has(g.id) ? { ...g, id: renumber.get(g.id)!, misId: String(Number(g.misId) + 5000) } : g)),
    memberships: s.memberships.map((m) => (renumber.has(m.group) ? { ...m, group: renumber.get(m.group)! } : m)),
    lessons: [],
  };
}

describe('a rollover rehearsal: next year\'s export planned --as-of the first day of the new year', () => {
  const lastYear = '2026-06-15';
  const firstDay = '2026-09-01';
  const thisYear = generateSchool({ seed: 5, students: 120, asOf: lastYear });
  const groupsConfig = (onEnd?: string) => config(`groups:
  from: [registrationGroups]
  displayName: "{academicYear} {name}"
${onEnd ? `  onEnd: ${onEnd}\n` : ''}`);

  async function rehearse(onEnd?: string) {
    const dir = await school(groupsConfig(onEnd), thisYear);
    const first = rollcall(dir, lastYear, 'apply');
    expect(first.stderr).toContain(' 0 failed');
    const tutorGroups = (await tenantGroups(dir)).filter((g) => g.props.mailNickname.startsWith('ra-registration-'));
    expect(tutorGroups.length).toBeGreaterThan(3);
    expect(tutorGroups.every((g) => g.members.length > 0)).toBe(true);
    await rm(path.join(dir, 'mis'), { recursive: true });
    await writeSchool(nextYear(thisYear), 'csv', path.join(dir, 'mis'));
    return { dir, tutorGroups, plan: rollcall(dir, firstDay, 'plan') };
  }

  it('keep (the default): no group is deleted; applied, the old tutor groups keep their members and are not touched again', async () => {
    const { dir, tutorGroups, plan } = await rehearse();
    try {
      expect(plan.status).toBe(0);
      expect(plan.stdout).not.toMatch(/\bdelete\b.*group|group\s+.*delete/);
      expect(plan.stdout).toMatch(/group\s+create (\d+)/);
      const apply = rollcall(dir, firstDay, 'apply');
      expect(apply.stderr).toContain(' 0 failed');
      const after = await tenantGroups(dir);
      for (const g of tutorGroups) {
        const now = after.find((x) => x.id === g.id)!;
        expect(now.props.displayName).toBe(g.props.displayName);
        expect(now.members.sort()).toEqual([...g.members].sort());
        expect(now.props.description).toMatch(/\[rollcall:ra:released 2025-26\]$/);
      }
      // Later nights: nothing more about them, even with onEnd: delete.
      await writeFile(path.join(dir, 'rollcall.yaml'), groupsConfig('delete'));
      const later = rollcall(dir, '2026-09-02', 'plan', '--detailed-exitcode');
      expect(later.stdout).not.toMatch(/delete/);
      expect(later.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('archive: each old tutor group is renamed with its year, emptied of rollcall\'s pupils and hidden from the address list; nothing deleted', async () => {
    const { dir, tutorGroups, plan } = await rehearse('archive');
    try {
      expect(plan.stdout).toMatch(/group\s+.*archive (\d+)/);
      expect(plan.stdout).not.toMatch(/\bdelete\b/);
      // Emptying every tutor group is past safety.maxMembershipRemovals: a rollover is reviewed and approved.
      expect(plan.status).toBe(3);
      expect(plan.stdout).toMatch(/safety\.maxMembershipRemovals/);
      const { checksum } = JSON.parse(rollcall(dir, firstDay, 'plan', '--format', 'json').stdout) as { checksum: string };
      const apply = rollcall(dir, firstDay, 'apply', '--approve', checksum);
      expect(apply.stderr).toContain(' 0 failed');
      const after = await tenantGroups(dir);
      for (const g of tutorGroups) {
        const now = after.find((x) => x.id === g.id)!;
        expect(now.props.displayName).toMatch(/^2025-26 /);
        expect(now.props.hideFromAddressLists).toBe(true);
        expect(now.members).toEqual([]);
        expect(now.owners).toEqual(g.owners);
      }
      const later = rollcall(dir, '2026-09-02', 'plan', '--detailed-exitcode');
      expect(later.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
