// Hostile and huge input through the built CLI (issue 12.11): each ends in a sentence naming the file and line,
// never a stack trace, in bounded time. Inputs sit just over the caps, not at fuzzing sizes.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/yaml-file.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/rollcall.js');
const rollcall = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
// Every C0 control but tab and newline, DEL, C1 controls, and a lone surrogate (encoded as U+FFFD by the pipe).
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function config(name: string, text: string): Promise<string> {
  await writeFile(path.join(dir, name), text);
  return name;
}

describe('YAML the parser must not be trusted with', () => {
  it('an alias used before its anchor: file:line, no stack', async () => {
    const f = await config('alias-first.yaml', 'version: 1\nschool: *s\nother: &s { name: X, key: x }\n');
    const r = rollcall(dir, 'validate', f);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^alias-first\.yaml:2:9 {2}school {2}YAML: the alias \*s comes before its anchor &s \(an anchor must be defined first\)$/m);
    expect(r.stderr).not.toMatch(/unexpected error|ReferenceError/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('an alias used more than 100 times: file:line of the alias that crosses the limit, no stack', async () => {
    const lines = ['version: 1', 'x: &a [1, 2]', ...Array.from({ length: 120 }, (_, i) => `k${i}: *a`)];
    const f = await config('aliases.yaml', `${lines.join('\n')}\n`);
    const r = rollcall(dir, 'validate', f);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aliases\.yaml:\d+:\d+ {2}\S+ {2}YAML: aliases expand to too much \(more than 100 aliases or 1000 nodes through aliases\); write the values out or use fewer aliases$/m);
    expect(r.stderr).not.toMatch(/unexpected error|ReferenceError/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('a billion-laughs expansion is refused the same way', async () => {
    const f = await config('laughs.yaml', 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n');
    const r = rollcall(dir, 'validate', f);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^laughs\.yaml:\d+:\d+ .*aliases expand to too much/m);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('a file over the size cap is refused before it is parsed', async () => {
    // A mapping of many keys: the shape that kept the YAML parser busy for minutes.
    const keys: string[] = [];
    let size = 0;
    for (let i = 0; size <= MAX_CONFIG_BYTES; i++) {
      keys.push(`k${i}: ${i}`);
      size += keys[keys.length - 1].length + 1;
    }
    const f = await config('huge.yaml', `${keys.join('\n')}\n`);
    const started = Date.now();
    const r = rollcall(dir, 'validate', f);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`huge.yaml:1:1  (file)  is ${size} bytes; a rollcall configuration may be at most ${MAX_CONFIG_BYTES} bytes\n`);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('MIS data with control characters', () => {
  it('NUL, ANSI escapes and C1 controls never reach the terminal, the plan or the addresses', async () => {
    const school = path.join(dir, 'ctl');
    await mkdir(path.join(school, 'mis'), { recursive: true });
    await writeFile(path.join(school, 'mis', 'students.csv'), [
      'id,first,last,yearGroup',
      '1001,Zo\u0000e,Kel\u001b[2J\u001b[31mly,7',
      '1002,Ada\u009b,Okafor\u0007,7',
      '1003,Ben,Li,7\u001b]0;pwned\u0007',
    ].join('\n') + '\n');
    await writeFile(path.join(school, 'mis', 'staff.csv'), 'id,first,last\n501,Priya,Smith\n');
    await writeFile(path.join(school, 'rollcall.yaml'), [
      'version: 1',
      'school: { name: Control School, key: cs, timeZone: Europe/London }',
      'source: { csv: { dir: ./mis } }',
      'tenant: { local: { state: .rollcall/tenant.json }, domains: [school.example], education: true }',
      'users:',
      '  mode: create',
      '  students: { userPrincipalName: "{first}.{last}@school.example" }',
      '  staff: { userPrincipalName: "{first}.{last}@school.example" }',
      'report: { personalData: full }',
      '',
    ].join('\n'));
    const r = rollcall(school, 'plan', '--format', 'json', '--as-of', '2026-01-12');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stderr).not.toMatch(RAW);
    const upns = [...r.stdout.matchAll(/"userPrincipalName":\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(upns).toEqual(expect.arrayContaining(['zoe.kelly@school.example', 'ada.okafor@school.example']));
    expect(upns.every((u) => /^[a-z0-9.]+@school\.example$/.test(u))).toBe(true);
    // Said once per record, with where it was, and without the characters themselves.
    expect(r.stderr).toMatch(/students\.csv:2: control characters .* removed/);
    expect(r.stderr).toMatch(/students\.csv:3: control characters .* removed/);
    expect(r.stderr).toMatch(/students\.csv:4: control characters .* removed/);

    const roster = rollcall(school, 'roster', '--format', 'json', '--as-of', '2026-01-12');
    expect(roster.status).toBe(0);
    expect(roster.stdout).not.toMatch(RAW);
    expect(roster.stdout).not.toMatch(/\\u00(?:0|1|7f|8|9)/i);
    const people = (JSON.parse(roster.stdout) as { people: { misId: string; legal: { first: string; last: string }; yearGroup?: string }[] }).people;
    expect(people.find((p) => p.misId === '1001')?.legal).toEqual({ first: 'Zoe', last: 'Kelly' });
    expect(people.find((p) => p.misId === '1002')?.legal).toEqual({ first: 'Ada', last: 'Okafor' });
    expect(people.find((p) => p.misId === '1003')?.yearGroup).toBe('7');
  });
});

describe('MIS text quoted in an error', () => {
  it('is shown with its control characters escaped, not sent to the terminal raw', async () => {
    const school = path.join(dir, 'ctl-error');
    await mkdir(path.join(school, 'mis'), { recursive: true });
    await writeFile(path.join(school, 'mis', 'students.csv'), 'id,first,last,startDate\n1001,Zoe,Kelly,\u001b]0;pwned\u0007soon\n');
    await writeFile(path.join(school, 'mis', 'staff.csv'), 'id,first,last\n501,Priya,Smith\n');
    await writeFile(path.join(school, 'rollcall.yaml'), 'version: 1\nschool: { name: S, key: sc }\nsource: { csv: { dir: ./mis } }\ntenant: { local: { state: t.json }, domains: [s.example] }\n');
    const r = rollcall(school, 'roster', '--as-of', '2026-01-12');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('rollcall: students.csv:2: startDate "\\u001b]0;pwned\\u0007soon" is not a date');
    expect(r.stderr).not.toMatch(RAW);
  });
});

describe('output to a reader that stops early', () => {
  it('rollcall roster … | head ends quietly, with the command\'s own exit code', async () => {
    const errFile = path.join(dir, 'epipe.err');
    const cfg = path.join(root, 'examples/quickstart/rollcall.yaml');
    // The quickstart's roster as JSON is megabytes; head takes 100 bytes and closes the pipe.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" roster "${cfg}" --format json --as-of 2026-01-12 2>"${errFile}" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    const stderr = await readFile(errFile, 'utf8');
    expect(stderr).not.toMatch(/EPIPE|unexpected error/);
    expect(stderr).not.toMatch(STACK);
    expect(r.stdout.trim()).toBe('0');
  });
});
