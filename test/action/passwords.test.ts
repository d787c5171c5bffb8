// End to end: first passwords leave the runner. The nightly workflow's apply writes the encrypted password file, the
// action names it in its `passwords-file` output, and the workflow's upload step, evaluated as GitHub would, uploads
// a file that exists and that the school's identity opens to one slip per new account.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakeGitHub } from './fake-github.js';
import { commitConfig, configText, git, installAction, loadWorkflow, makeSchool, REPO_ROOT, runAction, type School } from './harness.js';

const TOKEN = 'ghs_e2etoken0000000000000000';
let dir: string;
let actionDir: string;
const gh = new FakeGitHub();
let s: School;
let identity: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-'));
  actionDir = await installAction(dir);
  await gh.start();
  s = await makeSchool({ students: 12, seed: 11 });
  identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  await commitConfig(s, configText(s).replace('  leavers:', `  passwords: { recipient: ${recipient} }\n  leavers:`), 'passwords to the school\'s key');
  await git(s.workspace, 'push', '-q', 'origin', 'main');
});

afterAll(async () => {
  await gh.stop();
  await rm(dir, { recursive: true, force: true });
  if (s) await rm(s.root, { recursive: true, force: true });
});

interface Step { id?: string; if?: string; uses?: string; with?: Record<string, string> }

/**
 * The expressions an upload step uses, evaluated as the runner would after the rollcall step: `always()`, a step
 * output (truthy when set), `hashFiles(...) != ''` (a file at that path in the workspace), joined by `&&`.
 */
function evaluate(expr: string, outputs: Record<string, string>, workspace: string): string | boolean {
  const value = (term: string): string | boolean => {
    const t = term.trim();
    if (t === 'always()') return true;
    const out = /^steps\.rollcall\.outputs\.([\w-]+)$/.exec(t);
    if (out) return outputs[out[1]] ?? '';
    const hash = /^hashFiles\('([^']+)'\)\s*!=\s*''$/.exec(t);
    if (hash) return existsSync(path.join(workspace, hash[1]));
    throw new Error(`cannot evaluate ${t}`);
  };
  const terms = expr.split('&&').map(value);
  return terms.length === 1 ? terms[0] : terms.every(Boolean);
}

const interpolate = (v: string, outputs: Record<string, string>, workspace: string) =>
  v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => String(evaluate(e, outputs, workspace)));

/** The workflow's upload steps that run after the rollcall step, with their `path:` as the runner would see it. */
async function uploads(workflow: string, outputs: Record<string, string>): Promise<{ name: string; path: string }[]> {
  const doc = parse(await readFile(path.join(REPO_ROOT, 'examples/workflows', workflow), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(doc.jobs)[0].steps;
  return steps
    .filter((st) => st.uses?.startsWith('actions/upload-artifact@') && (st.if === undefined || evaluate(st.if, outputs, s.workspace)))
    .map((st) => ({ name: String(st.with?.name), path: path.resolve(s.workspace, interpolate(String(st.with?.path), outputs, s.workspace)) }));
}

describe('first passwords in CI', () => {
  it('the nightly run names its password file in passwords-file, the workflow uploads it, and it opens to the slips', async () => {
    const wf = await loadWorkflow('rollcall-nightly.yml', { 'github.token': TOKEN });
    const sha = await git(s.workspace, 'rev-parse', 'HEAD');
    const r = await runAction({ actionDir, school: s, api: gh.url, event: 'schedule', payload: { schedule: '17 2 * * *', repository: { full_name: 'school/it', private: true, default_branch: 'main' } }, inputs: wf.with, sha, ref: 'refs/heads/main', token: TOKEN });
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    expect(r.outputs.applied).toBe('true');
    const file = r.outputs['passwords-file'];
    expect(file).toMatch(/passwords-\d{8}T\d{6}Z\.age$/);

    const uploaded = (await uploads('rollcall-nightly.yml', r.outputs)).filter((u) => u.name.includes('passwords'));
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0].path).toBe(file);
    const sealed = await readFile(uploaded[0].path);

    const d = new Decrypter();
    d.addIdentity(identity);
    const rows = parseCsv(await d.decrypt(sealed, 'text'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['misId', 'name', 'yearGroup', 'registrationGroup', 'userPrincipalName', 'password']);
    expect(rows.map((row) => row.misId).sort()).toEqual(s.school.people.map((p) => p.id).sort());
    for (const p of s.school.people) {
      const row = rows.find((x) => x.misId === p.id)!;
      expect(row.name).toContain(p.preferred.last ?? p.legal.last);
      expect(row.userPrincipalName).toMatch(/@(students\.)?e2e\.example$/);
      expect(row.password.length).toBeGreaterThanOrEqual(8);
      if (p.kind === 'student') {
        expect(row.yearGroup, p.id).toBe(p.yearGroup);
        expect(row.registrationGroup, p.id).toBe(p.registrationGroup ?? '');
      }
    }
    // Passwords are in the file only: never in the log the runner keeps.
    for (const row of rows) expect(r.stdout + r.stderr).not.toContain(row.password);
  }, 180_000);

  it('every example workflow that applies uploads the file the output names, not a fixed path', async () => {
    const outputs = { 'plan-file': path.join(s.workspace, 'plan.json'), 'passwords-file': path.join(s.workspace, '.rollcall/passwords-20260302T060000Z.age') };
    for (const wf of ['rollcall-merge.yml', 'rollcall-nightly.yml', 'rollcall-trust-nightly.yml']) {
      const paths = (await uploads(wf, outputs)).map((u) => u.path);
      expect(paths, wf).toContain(outputs['passwords-file']);
    }
    // With no password file written, no upload of one is attempted.
    for (const wf of ['rollcall-merge.yml', 'rollcall-nightly.yml', 'rollcall-trust-nightly.yml']) {
      expect((await uploads(wf, { 'plan-file': outputs['plan-file'] })).map((u) => u.path), wf).toEqual([outputs['plan-file']]);
    }
  });
});
