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

describe('rollcall validate checks what the file names', () => {
  it('refuses an unknown time zone at its line, suggesting the nearest', () => {
    const r = rollcall('validate', 'test/fixtures/config/bad-time-zone.yaml');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('test/fixtures/config/bad-time-zone.yaml:5:13  school.timeZone  "Europe/Londn" is not a time zone: use an IANA name such as Europe/London; did you mean "Europe/London"?');
  });

  it('refuses secret references to the runner\'s variables and addresses outside Microsoft\'s clouds, each at its line', () => {
    const r = rollcall('validate', 'test/fixtures/config/bad-secret-env-runner.yaml', 'test/fixtures/config/bad-authority-host.yaml');
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('test/fixtures/config/bad-secret-env-runner.yaml:6:22  source.bromcom.username.env  ACTIONS_ID_TOKEN_REQUEST_TOKEN cannot hold a rollcall secret: variables starting ACTIONS_ belong to the CI runner or steer programs; use a name of your own such as BROMCOM_PASSWORD');
    expect(lines).toContainEqual(expect.stringMatching(/^test\/fixtures\/config\/bad-authority-host\.yaml:11:20  tenant\.graph\.authorityHost  login\.attacker\.example is not one of Microsoft's sign-in clouds \(login\.microsoftonline\.com, /));
    expect(lines).toHaveLength(5);
  });

  it('warns at the line of each file or folder that does not exist, and stays valid', () => {
    const r = rollcall('validate', 'test/fixtures/config/paths/rollcall.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('test/fixtures/config/paths/rollcall.yaml: valid');
    expect(r.stderr.trim().split('\n')).toEqual([
      'test/fixtures/config/paths/rollcall.yaml:7:24  source.csv.files.students  warning: no such file: test/fixtures/config/paths/export/students.csv',
      'test/fixtures/config/paths/rollcall.yaml:17:12  classes.matches  warning: no such file: test/fixtures/config/paths/matches/classes.csv',
    ]);
  });

  it('says when a folder is missing, once, at the line that names it', () => {
    const r = rollcall('validate', 'test/fixtures/config/missing-export/rollcall.yaml');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^test\/fixtures\/config\/missing-export\/rollcall\.yaml:8:\d+  source\.oneroster\.dir  warning: no such folder: test\/fixtures\/config\/missing-export\/mis-export$/m);
    expect(r.stderr).not.toContain('manifest.csv');
  });
});
