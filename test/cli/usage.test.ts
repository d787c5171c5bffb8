// The built CLI's own surface (issue 12.9): help for every command, --version, and option mistakes answered with
// a sentence that names the option, never a stack trace.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const rollcall = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd: root, encoding: 'utf8' });
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const STACK = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

const COMMANDS = ['validate', 'explain', 'roster', 'plan', 'apply', 'match', 'passwords', 'emulator', 'history', 'outbox'];

describe('rollcall --version and --help', () => {
  it('--version prints the package version and exits 0', () => {
    const r = rollcall('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`rollcall ${version}\n`);
    expect(r.stderr).toBe('');
  });

  it('the overall usage lists --as-of and --help', () => {
    const r = rollcall('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--as-of YYYY-MM-DD');
    expect(r.stdout).toContain('rollcall <command> --help');
  });

  it.each(COMMANDS)('rollcall %s --help prints that command\'s usage and exits 0', (command) => {
    for (const args of [[command, '--help'], [command, '-h'], ['help', command]]) {
      const r = rollcall(...args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: rollcall ${command}\\b`));
      expect(r.stderr).toBe('');
    }
  });

  it.each(['roster', 'plan', 'apply', 'match'])('rollcall %s --help documents --as-of', (command) => {
    expect(rollcall(command, '--help').stdout).toMatch(/--as-of YYYY-MM-DD\s+\S/);
  });

  it('help for an unknown command says so', () => {
    const r = rollcall('help', 'frobnicate');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});

describe('option mistakes: one sentence naming the option, exit 1, no stack trace', () => {
  it.each(COMMANDS.filter((c) => c !== 'emulator'))('rollcall %s --bogus', (command) => {
    const r = rollcall(command, '--bogus');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`rollcall ${command}: unknown option --bogus (see rollcall ${command} --help)\n`);
    expect(r.stdout).toBe('');
  });

  it('an unknown short option', () => {
    const r = rollcall('plan', '-x');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rollcall plan: unknown option -x (see rollcall plan --help)\n');
  });

  it('an option that needs a value and has none', () => {
    const r = rollcall('plan', 'rollcall.yaml', '--format');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rollcall plan: --format needs a value (see rollcall plan --help)\n');
  });

  it('a flag given a value', () => {
    const r = rollcall('plan', '--detailed-exitcode=yes');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rollcall plan: --detailed-exitcode takes no value (see rollcall plan --help)\n');
  });

  it('an extra argument', () => {
    const r = rollcall('plan', 'a.yaml', 'b.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rollcall plan: unexpected argument "b.yaml": plan takes one configuration file (see rollcall plan --help)\n');
  });

  it.each(['roster', 'plan', 'apply', 'match'])('rollcall %s --as-of is checked before anything is read', (command) => {
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01']) {
      const r = rollcall(command, 'no-such-config.yaml', '--as-of', bad);
      expect(r.status, `${command} --as-of ${bad}`).toBe(1);
      expect(r.stderr).toBe(`rollcall: --as-of must be a date YYYY-MM-DD, not ${bad}\n`);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it('roster --format is checked like plan --format', () => {
    const r = rollcall('roster', 'no-such-config.yaml', '--format', 'xml');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rollcall: --format must be text or json, not xml\n');
  });
});
