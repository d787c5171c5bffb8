// `rollcall apply` asks on a terminal: the command run in-process on a small synthetic school and the local
// tenant, with a terminal injected (isTTY stdin and stdout) and answered y, n or not at all (end of input).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../../test/support/synth/index.js';
import { applyCommand, type ApplyIo } from './apply-command.js';
import { EXIT } from './exit-codes.js';
import { OptionsError } from '../engine/options.js';

const AS_OF = '2026-11-23';
const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

async function school(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-ask-'));
  dirs.push(dir);
  await writeSchool(generateSchool({ seed: 3, students: 6, staff: 2, asOf: AS_OF }), 'csv', path.join(dir, 'mis'));
  await writeFile(path.join(dir, 'rollcall.yaml'), `version: 1
school: { name: Ask School, key: ask, timeZone: Europe/London }
source: { csv: { dir: ./mis } }
tenant:
  local: { state: .rollcall/tenant.json }
  domains: [ask.example, students.ask.example]
users:
  students: { userPrincipalName: "{first}{last:1}@students.ask.example" }
  staff: { userPrincipalName: "{first:1}{last}@ask.example" }
report: { personalData: masked }
`);
  return dir;
}

/** A terminal (or not): what the person types, and what they see. */
function term(opts: { tty: boolean; answer?: string; env?: NodeJS.ProcessEnv }): ApplyIo & { shown: () => string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty });
  let shown = '';
  const stdout = Object.assign(new Writable({ write(chunk, _enc, done) { shown += String(chunk); done(); } }), { isTTY: opts.tty });
  // The answer arrives once the question is asked, as a person's would; undefined is Ctrl-D (end of input).
  const asked = setInterval(() => {
    if (!shown.includes('[y/N]')) return;
    clearInterval(asked);
    if (opts.answer !== undefined) stdin.write(opts.answer);
    stdin.end();
  }, 5);
  setTimeout(() => clearInterval(asked), 60_000).unref();
  return { stdin, stdout, env: opts.env ?? {}, shown: () => { clearInterval(asked); return shown; } };
}

const users = async (dir: string) => {
  const file = path.join(dir, '.rollcall/tenant.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as { users: unknown[] }).users.length : 0;
};
const apply = (dir: string, t: ApplyIo, ...args: string[]) => applyCommand([path.join(dir, 'rollcall.yaml'), '--as-of', AS_OF, ...args], t);

describe('apply on a terminal asks first', () => {
  it('y: shows the plan, asks "Apply N changes? [y/N]" and applies', async () => {
    const dir = await school();
    const t = term({ tty: true, answer: 'y\n' });
    expect(await apply(dir, t)).toBe(EXIT.ok);
    const shown = t.shown();
    expect(shown).toMatch(/rollcall plan for Ask School \(ask\) · checksum [0-9a-f]{12}/);
    const n = /Summary: (\d+) changes/.exec(shown)?.[1];
    expect(shown).toContain(`Apply ${n} changes? [y/N] `);
    expect(await users(dir)).toBeGreaterThan(6);
  }, 60_000);

  it.each([['n', 'n\n'], ['an empty line', '\n'], ['anything but y', 'sure\n'], ['the end of input (Ctrl-D)', undefined]])('%s: nothing is written, exit 1', async (_what, answer) => {
    const dir = await school();
    const t = term({ tty: true, ...(answer !== undefined ? { answer } : {}) });
    expect(await apply(dir, t)).toBe(EXIT.error);
    expect(t.shown()).toContain('[y/N]');
    expect(await users(dir)).toBe(0);
  }, 60_000);

  it('--yes (or -y) does not ask', async () => {
    const dir = await school();
    const t = term({ tty: true });
    expect(await apply(dir, t, '-y')).toBe(EXIT.ok);
    expect(t.shown()).not.toContain('[y/N]');
    expect(await users(dir)).toBeGreaterThan(6);
  }, 60_000);

  it.each([['CI is set', { tty: true, env: { CI: 'true' } }], ['there is no terminal', { tty: false }]])('never asks when %s, and applies as before', async (_what, o) => {
    const dir = await school();
    const t = term(o);
    expect(await apply(dir, t)).toBe(EXIT.ok);
    expect(t.shown()).toBe('');
    expect(await users(dir)).toBeGreaterThan(6);
  }, 60_000);
});

describe('--approve takes the short checksum the plan header prints', () => {
  const headerChecksum = async (dir: string) => {
    const t = term({ tty: true, answer: 'n\n' });
    await apply(dir, t);
    return /· checksum ([0-9a-f]{12}) ·/.exec(t.shown())![1];
  };

  it('the 12 digits of the header approve this plan; one digit different is refused clearly, nothing written', async () => {
    const dir = await school();
    const short = await headerChecksum(dir);
    const wrong = `${short.slice(0, 11)}${short[11] === '0' ? '1' : '0'}`;
    const refused = term({ tty: false });
    expect(await apply(dir, refused, '--approve', wrong)).toBe(EXIT.blocked);
    expect(await users(dir)).toBe(0);
    const ok = term({ tty: false });
    expect(await apply(dir, ok, '--approve', short)).toBe(EXIT.ok);
    expect(await users(dir)).toBeGreaterThan(6);
  }, 60_000);

  it('fewer than 12 digits is refused before anything is read', async () => {
    const dir = await school();
    await expect(apply(dir, term({ tty: false }), '--approve', 'abc123')).rejects.toThrow(OptionsError);
    await expect(apply(dir, term({ tty: false }), '--approve', 'abc123')).rejects.toThrow('--approve must be a plan checksum: its 64 hex digits, or at least the first 12 that the plan\'s header prints (abc123 is too short to name one plan)');
    expect(await users(dir)).toBe(0);
  }, 60_000);
});
