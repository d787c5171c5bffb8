// The plan a person reviews, through the built CLI on the quickstart (README's first command, the built-in local
// tenant): a first sync of ~16,000 changes fits on a screen before the detail and names what needs a reviewer.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const AS_OF = '2026-11-23';
const SCREEN = 50;

/** Only what a shell passes; `CI` only when a test says so (the project's own CI sets it for the test runner). */
function rollcall(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args, '--as-of', AS_OF], { cwd, encoding: 'utf8', env: { ...base, ...env }, maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function quickstart(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rollcall-review-'));
  cpSync(path.join(root, 'examples/quickstart'), dir, { recursive: true });
  rmSync(path.join(dir, '.rollcall'), { recursive: true, force: true });
  return dir;
}

/** The quickstart's pupils by MIS id, read as the MIS export has them. */
function pupils(dir: string): Map<string, Record<string, string>> {
  const rows = parse(readFileSync(path.join(dir, 'mis/students.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.id, r]));
}

describe('rollcall plan on the quickstart: a first sync a person can review', () => {
  let dir: string;
  let local: ReturnType<typeof rollcall>;
  beforeAll(() => {
    dir = quickstart();
    local = rollcall(dir, ['plan', '--out', 'full-plan.txt']);
  }, 300_000);

  it('fits on one screen before the detail, summary first, and names the exceptions', () => {
    expect(local.status, local.stderr).toBe(0);
    const lines = local.stdout.split('\n');
    const detailAt = lines.findIndex((l) => l.startsWith('Detail, folded'));
    expect(detailAt).toBeGreaterThan(5);
    expect(detailAt).toBeLessThanOrEqual(SCREEN);
    expect(lines[2]).toMatch(/^Summary: [\d,]+ changes$/);
    const total = Number(lines[2].replace(/\D/g, ''));
    expect(total).toBeGreaterThan(10_000);
    const screen = lines.slice(0, detailAt).join('\n');
    // The exceptions a reviewer checks, by name on a local terminal (no CI), the school's class names in the clear.
    expect(screen).toMatch(/Addresses with a number: \d+/);
    expect(screen).toMatch(/Likely duplicates: \d+/);
    expect(screen).toMatch(/Warnings: \d+\n {2}⚠ class "2026-27-\d+[A-Z]\/[A-Za-z]+\d" has no teacher/);
    expect(screen).toContain('Notes: 1');
    const named = /^ {2}(.+) \((student|staff):(\d+)[,)]/m.exec(screen.slice(screen.indexOf('Addresses with a number')).split('\n').slice(1).join('\n'));
    expect(named).not.toBeNull();
    if (named![2] === 'student') {
      const p = pupils(dir).get(named![3])!;
      expect(named![1]).toBe(`${p.preferredFirst || p.first} ${p.preferredLast || p.last}`);
    }
    expect(screen).not.toContain('•••');
    // Memberships folded per group: one line each, not one per pupil.
    expect(local.stdout).toMatch(/^ {4}2026-27-7A\/En1\s+\+\d+$/m);
    expect(lines.length).toBeLessThan(total / 10);
  });

  it('--out writes the whole plan whatever is printed, following report.personalData (masked here)', () => {
    const full = readFileSync(path.join(dir, 'full-plan.txt'), 'utf8');
    expect(full.split('\n').length).toBeGreaterThan(15_000);
    expect(full).toMatch(/^ {2}\+ add-member membership student:\d+ → 2026-27-7A\/En1/m);
    expect(full).toContain('•••@students.quickstart.example');
    expect(local.stderr).toMatch(/plan written to full-plan\.txt \(checksum [0-9a-f]{64}\)/);
  });

  it('in CI the terminal plan follows report.personalData: no names, the same shape', () => {
    const ci = rollcall(dir, ['plan'], { CI: 'true' });
    expect(ci.status).toBe(0);
    const screen = ci.stdout.slice(0, ci.stdout.indexOf('Detail, folded'));
    expect(screen.split('\n').length).toBeLessThanOrEqual(SCREEN);
    const names = [...pupils(dir).values()].slice(0, 200).map((p) => `${p.first} ${p.last}`);
    expect(names.filter((n) => ci.stdout.includes(n))).toEqual([]);
    expect(screen).toMatch(/ {2}(student|staff):\d+ \([^)]*\): \S•••@/);
    expect(screen).toContain('2026-27-');
  }, 300_000);
});

describe('rollcall plan: filters, csv and markdown from the CLI', () => {
  let dir: string;
  beforeAll(() => { dir = quickstart(); });

  it('--person and --kind list one pupil\'s changes in full', () => {
    const [id, p] = [...pupils(dir).entries()][0];
    const r = rollcall(dir, ['plan', '--person', `student:${id}`, '--kind', 'membership']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^rollcall plan for Quickstart Academy, only --kind membership --person student:${id} \\(qa\\) · checksum `));
    const rows = r.stdout.split('\n').filter((l) => /^ {2}\+ add-member membership /.test(l));
    expect(rows.length).toBeGreaterThan(3);
    for (const l of rows) expect(l).toContain(`membership student:${id} → `);
    expect(r.stdout).not.toMatch(/ create user /);
    const byName = rollcall(dir, ['plan', '--person', `${p.preferredFirst || p.first} ${p.preferredLast || p.last}`]);
    expect(byName.stdout).toMatch(new RegExp(`\\+ create user .*student:${id}\\b`));
  }, 300_000);

  it('--format csv lists every new account with its registration group, for a school office', () => {
    const r = rollcall(dir, ['plan', '--format', 'csv']);
    expect(r.status, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true, comment: '#' }) as Record<string, string>[];
    expect(rows.length).toBe(1_280);
    const pupil = rows.find((x) => x.role === 'student')!;
    const mis = pupils(dir).get(pupil['MIS id'])!;
    expect(pupil).toMatchObject({ year: mis.yearGroup, 'registration group': mis.registrationGroup, name: `${mis.preferredFirst || mis.first} ${mis.preferredLast || mis.last}` });
    expect(pupil.address).toMatch(/@students\.quickstart\.example$/);
    expect(rows.filter((x) => x.note.startsWith('numbered:')).length).toBeGreaterThan(0);
  }, 300_000);

  it('--format markdown is cut to a comment and points to --out, not to a job summary that does not exist', () => {
    const r = rollcall(dir, ['plan', '--format', 'markdown']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(60_001);
    const cut = /^\*\*… truncated: .+\*\*$/m.exec(r.stdout)?.[0];
    expect(cut).toContain('the whole plan: rollcall plan --format markdown --out FILE');
    expect(cut).not.toContain('job summary');
    expect(r.stdout).toContain('#### Warnings (6)');
  }, 300_000);

  it('a kind that does not exist is a usage mistake, named', () => {
    const r = rollcall(dir, ['plan', '--kind', 'pupils']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('rollcall plan: --kind must be one of user, educationUser, licence, group, class, team, event, membership, guardian, not "pupils" (see rollcall plan --help)');
  });
});
