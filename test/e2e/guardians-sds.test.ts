// Issue 16's done-when, through the built CLI: Microsoft's SDS v2.1 sample (relationships.csv links guardians in
// users.csv to students) with guardians on plans each linked student's guardians, apply writes them to the local
// Education tenant, and the re-plan is empty. Needs the SDS reader of contacts (h/gsources) and `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeShared, sharedPath } from '../support/shared.js';

const root = path.resolve(import.meta.dirname, '../..');
// The sample's school year is 2021-22: its students are on roll in January 2022.
const asOf = '2022-01-10';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', asOf], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = (sample: string) => `version: 1
school: { name: Contoso Sample, key: cs, timeZone: Europe/London }
source:
  sds: { dir: ${JSON.stringify(sample)} }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [cs.example]
  education: true
users:
  students:
    userPrincipalName: "{first}.{last}@cs.example"
  staff:
    userPrincipalName: "{first:1}{last}@cs.example"
guardians:
  relationships: [parent, guardian, relative]
`;

interface JsonPlan { changes: { kind: string; action: string; key: string; after?: { relatedContacts?: Record<string, unknown>[] } }[] }

describeShared('guardians from Microsoft\'s SDS v2.1 sample', 'conformance/sds-samples/sds-v2.1', () => {
  it('plans the linked students\' guardians, applies them, and re-plans nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-guardians-sds-'));
    try {
      await writeFile(path.join(dir, 'rollcall.yaml'), config(sharedPath('conformance/sds-samples/sds-v2.1')));
      const planned = rollcall(dir, 'plan', '--format', 'json');
      expect(planned.stderr).not.toMatch(/error/i);
      const guardians = (JSON.parse(planned.stdout) as JsonPlan).changes.filter((c) => c.kind === 'guardian');
      // relationships.csv: Jean Craig is 114001's guardian and 114003's relative; Bob Smithee is 114004's guardian.
      expect(guardians.map((c) => [c.action, c.key, c.after?.relatedContacts?.map((x) => [x.relationship, x.displayName, x.emailAddress, x.mobilePhone])])).toEqual([
        ['set', 'guardian:student:114001', [['guardian', 'Jean Craig', 'jean.craig@outlook.com', undefined]]],
        ['set', 'guardian:student:114003', [['relative', 'Jean Craig', 'jean.craig@outlook.com', undefined]]],
        ['set', 'guardian:student:114004', [['guardian', 'Bob Smithee', 'bobsmithee@outlook.com', undefined]]],
      ]);

      const applied = rollcall(dir, 'apply');
      expect(applied.stderr).toContain(' 0 failed');
      expect(applied.status).toBe(0);
      const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: { props: { employeeId?: string }; education?: { relatedContacts?: { displayName: string }[] } }[] };
      expect(state.users.find((u) => u.props.employeeId === 'cs:s114004')?.education?.relatedContacts?.map((c) => c.displayName)).toEqual(['Bob Smithee']);

      const again = rollcall(dir, 'plan', '--detailed-exitcode');
      expect(again.stdout).not.toContain('guardian');
      expect(again.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
