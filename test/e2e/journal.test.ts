// The journal and `rollcall history`, end to end through the built CLI on the local tenant: a school is synced, a
// pupil joins, apply creates the account; the journal beside the config records every change as it finished, and
// `history --person` answers "what was done for this pupil"; the summary mail is in the local tenant's outbox.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';

function rollcall(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONFIG = (extra = '') => `version: 1
school: { name: Journal Academy, key: ja, timeZone: Europe/London }
source: { csv: { dir: ./mis } }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [journal.example, students.journal.example]
users:
  mode: create
  students:
    userPrincipalName: "{first}.{last}@students.journal.example"
    securityGroups: ["All Students", "Students Year {yearGroup}"]
  staff:
    userPrincipalName: "{first:1}{last}@journal.example"
    securityGroups: ["All Staff"]
safety:
  maxSourceDrop: { percent: 50 }
report:
  personalData: full
${extra}`;

describe('the journal of every apply, and rollcall history', () => {
  it('records a starter\'s creation, which history --person shows; failures, dates, kinds and formats filter; the summary mail is in the outbox', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-journal-'));
    const school = generateSchool({ seed: 5, students: 24, staff: 6, asOf: AS_OF });
    const starter = school.people.find((p) => p.kind === 'student' && p.legal.last.length > 3)!;
    // The school as it was before the starter joined.
    const before = { ...school, people: school.people.filter((p) => p.id !== starter.id), memberships: school.memberships.filter((m) => m.person !== starter.id) };
    await writeSchool(before, 'csv', path.join(dir, 'mis'));
    await writeFile(path.join(dir, 'rollcall.yaml'), CONFIG());
    const first = rollcall(dir, 'apply', '--as-of', AS_OF);
    expect(first.status, first.stderr).toBe(0);
    const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: { props: { userPrincipalName: string; employeeId?: string } }[] };
    const sender = state.users.find((u) => u.props.employeeId?.startsWith('ja:t'))!.props.userPrincipalName;

    // The starter joins; the IT lead wants the summary mail from now on.
    await writeSchool(school, 'csv', path.join(dir, 'mis'));
    await writeFile(path.join(dir, 'rollcall.yaml'), CONFIG(`  summaryTo: it.lead@journal.example\n  summaryFrom: ${sender}\n`));
    const second = rollcall(dir, 'apply', '--as-of', AS_OF);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/journal: \d+ line\(s\) appended to .*\.rollcall\/journal\/\d{4}-\d{2}\.jsonl/);

    // One file a month beside the config; one line per change of both runs.
    const files = await readdir(path.join(dir, '.rollcall/journal'));
    expect(files).toEqual([`${new Date().toISOString().slice(0, 7)}.jsonl`]);
    const lines = (await readFile(path.join(dir, '.rollcall/journal', files[0]), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const runs = [...new Set(lines.map((l) => l.run))];
    expect(runs).toHaveLength(2);
    expect(lines.every((l) => l.config === 'rollcall.yaml' && /^[0-9a-f]{64}$/.test(l.checksum) && l.status === 'done')).toBe(true);
    const creates = lines.filter((l) => l.kind === 'user' && l.action === 'create');
    const managed = (JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as typeof state).users.filter((u) => u.props.employeeId?.startsWith('ja:'));
    expect(creates.map((l) => l.subject.name).sort()).toEqual(managed.map((u) => u.props.userPrincipalName).sort());

    // history --person: the starter's account and memberships, from the second run only, and no one else.
    const mine = rollcall(dir, 'history', '--person', starter.id);
    expect(mine.status, mine.stderr).toBe(0);
    const shown = mine.stdout.trimEnd().split('\n');
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(shown[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z  done    create user\\s+${esc(`${starter.legal.first} ${starter.legal.last}`)} <[^@> ]+@students\\.journal\\.example> \\(${starter.id}, Y${starter.yearGroup}\\)$`));
    expect(shown.slice(1).length).toBeGreaterThanOrEqual(2);
    expect(shown.slice(1).every((l) => /  done    add-member membership\s+.*→ /.test(l) && l.includes(starter.id))).toBe(true);
    expect(shown.some((l) => l.includes('All Students'))).toBe(true);
    // By name, and by the MIS's own id, the same answer.
    expect(rollcall(dir, 'history', '--person', starter.legal.last.toUpperCase()).stdout).toBe(mine.stdout);
    expect(rollcall(dir, 'history', 'rollcall.yaml', '--person', starter.misId).stdout).toBe(mine.stdout);

    // What failed last night: nothing, said on stderr; a window before any run is empty; kinds filter.
    const failed = rollcall(dir, 'history', '--status', 'failed', '--since', AS_OF);
    expect(failed).toMatchObject({ status: 0, stdout: '' });
    expect(failed.stderr).toContain('no journal entries match');
    expect(rollcall(dir, 'history', '--until', '2020-01-01').stdout).toBe('');
    const users = rollcall(dir, 'history', '--kind', 'user', '--format', 'json').stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(users).toHaveLength(managed.length);
    expect(users.every((u) => u.kind === 'user')).toBe(true);
    const csv = parse(rollcall(dir, 'history', '--person', starter.id, '--format', 'csv').stdout, { columns: true }) as Record<string, string>[];
    expect(csv[0]).toMatchObject({ kind: 'user', action: 'create', person: starter.id, status: 'done', config: 'rollcall.yaml' });
    expect(csv).toHaveLength(shown.length);

    // Mistakes are named, not stack traces.
    for (const [args, message] of [[['--since', '23/11/2026'], '--since must be a date YYYY-MM-DD'], [['--kind', 'users'], '--kind must be one of user, group'], [['--status', 'broken'], '--status must be one of done, skipped, failed']] as const) {
      const r = rollcall(dir, 'history', ...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
    }

    // The summary mail of the second apply, read back from the local tenant.
    const outbox = rollcall(dir, 'outbox');
    expect(outbox.status, outbox.stderr).toBe(0);
    expect(outbox.stdout).toContain(`From:    ${sender}`);
    expect(outbox.stdout).toContain('To:      it.lead@journal.example');
    expect(outbox.stdout).toMatch(/Subject: rollcall applied for Journal Academy: \d+ done, 0 failed, 0 skipped/);
    expect(outbox.stdout).toContain('kind\tdone\tskipped\tfailed\tnot run');
  }, 180_000);

  it('a line cut short by a crash is reported by file and line and skipped, the rest still shown', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-journal-'));
    await writeFile(path.join(dir, 'rollcall.yaml'), CONFIG());
    const journal = path.join(dir, '.rollcall/journal');
    await import('node:fs/promises').then((fs) => fs.mkdir(journal, { recursive: true }));
    const entry = { time: '2026-11-20T02:00:00.000Z', run: 'r1', config: 'rollcall.yaml', checksum: 'c', key: 'user:student:9', kind: 'user', action: 'suspend', subject: { person: 'student:9' }, status: 'failed', error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }, requestId: 'r-9' };
    await writeFile(path.join(journal, '2026-11.jsonl'), `${JSON.stringify(entry)}\n{"time":"2026-11-20T02:00:01`);
    const r = rollcall(dir, 'history', '--status', 'failed');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${path.join(journal, '2026-11.jsonl')}:2: not a journal line; skipped`);
    expect(r.stdout).toBe('2026-11-20 02:00:00Z  failed  suspend user             student:9\n    403 Authorization_RequestDenied: Insufficient privileges to complete the operation.; request-id r-9\n');
    // A journal of another config in the same folder is not this one's.
    expect(rollcall(dir, 'history', 'other.yaml').stdout).toBe('');
  });
});
