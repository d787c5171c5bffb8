// Licences assigned directly, end to end through the built CLI on the local tenant (tenant.local.licences): the
// first apply creates every account with its role's licence (assignLicense after the account and its usage location),
// the next plan is empty; a starter when no unit is free blocks the plan with the counts (exit 3, nothing written);
// once units are there, a leaver past the grace period is suspended and loses the licence rollcall gave, while a
// leaver in the grace period, another school's account and an account rollcall does not manage keep theirs.
// `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const asOf = '2026-03-02';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, ...(args[0] === 'history' ? [] : ['--as-of', asOf])], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface StateUser { id: string; props: { employeeId?: string; userPrincipalName: string; accountEnabled?: boolean; assignedLicenses?: { skuId: string; disabledPlans: string[] }[] }; deletedAt?: number }
interface State { users: StateUser[]; skus: { skuId: string; skuPartNumber: string; servicePlans: { servicePlanId: string; servicePlanName: string }[] }[] }
const stateOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as State;

const config = (studentUnits: number) => `version: 1
school: { name: Licence Academy, key: la, timeZone: Europe/London }
source:
  csv: { dir: ./mis }
tenant:
  local:
    state: .rollcall/tenant.json
    licences: { STANDARDWOFFPACK_STUDENT: ${studentUnits}, STANDARDWOFFPACK_FACULTY: 50, OTHER_SKU: 5 }
  domains: [la.example, students.la.example]
users:
  students:
    userPrincipalName: "{first}{last:1}{misId}@students.la.example"
    usageLocation: GB
    licences: [STANDARDWOFFPACK_STUDENT]
  staff:
    userPrincipalName: "{first:1}{last}{misId}@la.example"
    usageLocation: GB
    licences: [{ sku: STANDARDWOFFPACK_FACULTY, disabledPlans: [YAMMER_EDU] }]
  leavers: { action: suspend, graceDays: 7 }
safety:
  maxSuspensions: { percent: 50 }
`;

describe('licences assigned directly', () => {
  it('assigned on create, re-plan empty, blocked with the counts when units run out, removed only from rollcall\'s suspended leavers', async () => {
    const synth = generateSchool({ seed: 16, students: 24, asOf });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-licences-'));
    try {
      await writeSchool(synth, 'csv', path.join(dir, 'mis'));
      await writeFile(path.join(dir, 'rollcall.yaml'), config(100));

      const apply = rollcall(dir, 'apply');
      expect(apply.stderr).toContain(' 0 failed');
      expect(apply.status).toBe(0);
      let state = await stateOf(dir);
      const sku = (part: string) => state.skus.find((s) => s.skuPartNumber === part)!;
      const student = sku('STANDARDWOFFPACK_STUDENT');
      const faculty = sku('STANDARDWOFFPACK_FACULTY');
      const yammer = faculty.servicePlans.find((p) => p.servicePlanName === 'YAMMER_EDU')!.servicePlanId;
      const managed = state.users.filter((u) => u.props.employeeId?.startsWith('la:'));
      const current = synth.people.filter((p) => !p.endDate || p.endDate >= asOf);
      expect(managed).toHaveLength(current.length);
      for (const u of managed) {
        expect(u.props.assignedLicenses, u.props.userPrincipalName).toEqual(u.props.employeeId!.startsWith('la:s')
          ? [{ skuId: student.skuId, disabledPlans: [] }]
          : [{ skuId: faculty.skuId, disabledPlans: [yammer] }]);
      }

      const again = rollcall(dir, 'plan', '--detailed-exitcode');
      expect(again.stdout).not.toContain('licence');
      expect(again.status).toBe(0);

      // Accounts that are not this config's own hold the same SKU: another school's, and one rollcall does not manage.
      const raw = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as State & Record<string, unknown>;
      const seeded = (id: string, upn: string, employeeId?: string): StateUser => ({
        id, props: { userPrincipalName: upn, displayName: 'Seeded', accountEnabled: false, usageLocation: 'GB', ...(employeeId ? { employeeId } : {}), assignedLicenses: [{ skuId: student.skuId, disabledPlans: [] }] } as StateUser['props'],
        ...{ createdAt: 0, v: 0 },
      });
      raw.users.push(seeded('00000000-0000-4000-8000-0000000000a1', 'other@students.la.example', 'zz:s5'), seeded('00000000-0000-4000-8000-0000000000a2', 'byhand@students.la.example'));
      await writeFile(path.join(dir, '.rollcall/tenant.json'), JSON.stringify(raw));

      // A starter, and not one unit free: blocked with the figures, and apply writes nothing.
      const pupils = current.filter((p) => p.kind === 'student').length;
      const template = synth.people.find((p) => p.kind === 'student' && !p.endDate)!;
      synth.people.push({ ...template, id: 'student:99001', misId: '99001', legal: { first: 'Nova', last: 'Starter' }, preferred: {}, admissionNumber: 'A99001', upn: undefined, workEmail: undefined });
      await writeSchool(synth, 'csv', path.join(dir, 'mis'));
      await writeFile(path.join(dir, 'rollcall.yaml'), config(pupils + 2));
      const blocked = rollcall(dir, 'plan', '--detailed-exitcode');
      expect(blocked.status).toBe(3);
      expect(blocked.stdout).toContain(`STANDARDWOFFPACK_STUDENT: needs 1, available 0 (${pupils + 2} enabled, ${pupils + 2} consumed)`);
      const refused = rollcall(dir, 'apply');
      expect(refused.status).toBe(3);
      expect((await stateOf(dir)).users.some((u) => u.props.employeeId === 'la:s99001')).toBe(false);

      // Two leavers: one past the grace period, whose suspension frees the unit the starter needs; one still in it.
      const [gone, grace] = current.filter((p) => p.kind === 'student' && p !== template).slice(0, 2);
      gone.endDate = '2026-02-01';
      grace.endDate = '2026-02-27';
      await writeSchool(synth, 'csv', path.join(dir, 'mis'));
      const json = JSON.parse(rollcall(dir, 'plan', '--format', 'json').stdout) as { changes: { kind: string; action: string; key: string; destructive: boolean }[]; blocked: unknown[] };
      expect(json.blocked).toEqual([]);
      expect(json.changes.filter((c) => c.kind === 'licence').map((c) => [c.action, c.key, c.destructive]).sort()).toEqual([
        ['assign', 'licence:student:99001:STANDARDWOFFPACK_STUDENT', false],
        ['unassign', `licence:student:${gone.misId}:STANDARDWOFFPACK_STUDENT`, true],
      ]);
      const second = rollcall(dir, 'apply');
      expect(second.stderr).toContain(' 0 failed');
      expect(second.status).toBe(0);
      state = await stateOf(dir);
      const byAnchor = (a: string) => state.users.find((u) => u.props.employeeId === a)!.props;
      expect(byAnchor(`la:s${gone.misId}`)).toMatchObject({ accountEnabled: false, assignedLicenses: [] });
      expect(byAnchor(`la:s${grace.misId}`)).toMatchObject({ accountEnabled: true, assignedLicenses: [{ skuId: student.skuId, disabledPlans: [] }] });
      expect(byAnchor('la:s99001').assignedLicenses).toEqual([{ skuId: student.skuId, disabledPlans: [] }]);
      expect(byAnchor('zz:s5').assignedLicenses).toEqual([{ skuId: student.skuId, disabledPlans: [] }]);
      expect(state.users.find((u) => u.props.userPrincipalName === 'byhand@students.la.example')!.props.assignedLicenses).toHaveLength(1);
      expect(rollcall(dir, 'plan', '--detailed-exitcode').status).toBe(0);
      // The journal keeps each licence change; history reads them back by kind.
      const history = rollcall(dir, 'history', '--kind', 'licence', '--format', 'json');
      expect(history.status).toBe(0);
      const lines = history.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string; action: string; status: string });
      expect(lines.filter((l) => l.action === 'unassign').map((l) => [l.key, l.status])).toEqual([[`licence:student:${gone.misId}:STANDARDWOFFPACK_STUDENT`, 'done']]);
      expect(lines.filter((l) => l.action === 'assign')).toHaveLength(current.length + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
