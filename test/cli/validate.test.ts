// The built CLI, run as a school would run it (`npm test` builds dist/ first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const rollcall = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), ...args], { cwd: root, encoding: 'utf8' });

describe('rollcall validate', () => {
  it('exits 0 for valid files and names each one', () => {
    const r = rollcall('validate', 'examples/quickstart/rollcall.yaml', 'examples/trust/schools/north/rollcall.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('examples/quickstart/rollcall.yaml: valid');
    expect(r.stdout).toContain('examples/trust/schools/north/rollcall.yaml: valid (with 1 extended file(s))');
  });

  it('exits 1 and prints file:line:col  path  message for every problem', () => {
    const r = rollcall('validate', 'test/fixtures/config/bad-several.yaml', 'examples/quickstart/rollcall.yaml');
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'test/fixtures/config/bad-several.yaml:9:9  users.mode  "sync" is not allowed; use one of: create, link',
      expect.stringMatching(/^test\/fixtures\/config\/bad-several\.yaml:11:24  users\.students\.userPrincipalName  unknown token \{surname\}/),
      'test/fixtures/config/bad-several.yaml:13:13  users.leavers.action  "archive" is not allowed; use one of: suspend, delete',
    ]);
    expect(r.stdout).toContain('examples/quickstart/rollcall.yaml: valid');
  });

  it('defaults to ./rollcall.yaml and says when it is missing', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/rollcall.js'), 'validate'], { cwd: path.join(root, 'test'), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('rollcall.yaml:1:1  (file)  file not found');
  });
});

describe('rollcall explain', () => {
  it('prints each effective value with the file it came from', () => {
    const r = rollcall('explain', 'examples/trust/schools/south/rollcall.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^school\.name\s+"South School"\s+# examples\/trust\/schools\/south\/rollcall\.yaml:5$/m);
    expect(r.stdout).toMatch(/^users\.leavers\.graceDays\s+14\s+# examples\/trust\/trust\.yaml:\d+$/m);
    expect(r.stdout).toMatch(/^users\.onNameChange\s+"keep"\s+# default$/m);
  });
});

describe('rollcall', () => {
  it('prints usage for --help and fails on an unknown command', () => {
    expect(rollcall('--help').stdout).toContain('rollcall validate');
    const r = rollcall('frobnicate');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});
