// Runs the bundled action the way GitHub does: `node dist/index.js` from a copy of the action (no node_modules
// anywhere above it), INPUT_* from the example workflow's `with:` over action.yml's defaults, the event payload in
// a file, outputs and the step summary in files. The school is synthetic, its MIS a OneRoster export outside the
// repository, its tenant the local emulator's state file, so successive runs share the tenant as real ones would.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { todayIn } from '../../src/policy/academic-year.js';
import { generateSchool, type SynthSchool } from '../support/synth/school.js';
import { writeOneRoster12 } from '../support/synth/write-oneroster.js';

const exec = promisify(execFile);
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.test' } });
  return stdout.trim();
}

/** The action as a runner downloads it: action.yml and dist/, in a folder of its own. */
export async function installAction(into: string): Promise<string> {
  const dir = path.join(into, 'action');
  await mkdir(dir, { recursive: true });
  await cp(path.join(REPO_ROOT, 'action.yml'), path.join(dir, 'action.yml'));
  // The bundle is dist/ but tsc's dist/lib: index.js, the emulator and the chunks it loads on demand, package.json,
  // assets/ (scripts/bundle-action.mjs). A copy without the chunks would fail the first tenant.local run.
  const lib = path.join(REPO_ROOT, 'dist/lib');
  await cp(path.join(REPO_ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true, filter: (from) => from !== lib && !from.startsWith(lib + path.sep) });
  return dir;
}

export interface Workflow { file: string; on: Record<string, unknown>; with: Record<string, string>; permissions: Record<string, string> }

/** An example workflow and its rollcall step's `with:`, with the expressions a test can evaluate filled in. */
export async function loadWorkflow(name: string, vars: Record<string, string> = {}): Promise<Workflow> {
  const file = path.join(REPO_ROOT, 'examples/workflows', name);
  const doc = parse(await readFile(file, 'utf8')) as { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { permissions?: Record<string, string>; steps: { id?: string; uses?: string; with?: Record<string, string> }[] }> };
  const job = Object.values(doc.jobs)[0];
  const step = job.steps.find((s) => s.id === 'rollcall');
  if (!step) throw new Error(`${name}: no step with id rollcall`);
  const evalExpr = (v: string) => String(v).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => {
    if (e in vars) return vars[e];
    // GitHub evaluates a variable or secret nobody set to the empty string.
    if (/^(vars|secrets)\.[A-Za-z_][A-Za-z0-9_]*$/.test(e)) return '';
    throw new Error(`${name}: the test cannot evaluate \${{ ${e} }}`);
  });
  return { file, on: doc.on, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evalExpr(v)])), permissions: { ...(doc.permissions ?? {}), ...(job.permissions ?? {}) } };
}

async function actionDefaults(actionDir: string, token: string): Promise<Record<string, string>> {
  const doc = parse(await readFile(path.join(actionDir, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  return Object.fromEntries(Object.entries(doc.inputs).filter(([, v]) => v.default !== undefined).map(([k, v]) => [k, v.default === '${{ github.token }}' ? token : String(v.default)]));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** `name<<DELIMITER\nvalue\nDELIMITER` blocks, as @actions/core writes them. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3];
  return out;
}

export interface School {
  root: string;
  /** The bare repository the workspace pushes to ("origin"). */
  origin: string;
  workspace: string;
  misDir: string;
  tenantFile: string;
  school: SynthSchool;
  asOf: string;
}

export interface ConfigOptions {
  personalData?: 'full' | 'masked' | 'counts';
  autoApply?: 'withinLimits' | 'never';
  maxSuspensions?: number;
  staffGroups?: string[];
  /** The `source:` mapping as flow YAML; default the OneRoster export in misDir. */
  source?: string;
  extra?: string;
}

export function configText(s: Pick<School, 'misDir' | 'tenantFile'>, o: ConfigOptions = {}): string {
  return `# yaml-language-server: $schema=../schema/rollcall.schema.json
version: 1
school:
  name: E2E Academy
  key: ea
  timeZone: Europe/London
source: ${o.source ?? `{ oneroster: { dir: ${JSON.stringify(s.misDir)} } }`}
tenant:
  local: { state: ${JSON.stringify(s.tenantFile)} }
  domains: [e2e.example, students.e2e.example]
  education: false
users:
  mode: create
  students:
    userPrincipalName: "{entryYear:-2}{first:1}{last}@students.e2e.example"
    displayName: "{preferredFirst} {preferredLast}"
    securityGroups: ["All Students"]
  staff:
    userPrincipalName: "{first:1}{last}@e2e.example"
    securityGroups: ${JSON.stringify(o.staffGroups ?? ['All Staff'])}
  leavers: { action: suspend, graceDays: 0 }
safety:
  maxSuspensions: { count: ${o.maxSuspensions ?? 3} }
  maxSourceDrop: { percent: 50 }
  maxMembershipRemovals: { percent: 50 }
report:
  personalData: ${o.personalData ?? 'full'}
schedule:
  autoApply: ${o.autoApply ?? 'withinLimits'}
${o.extra ?? ''}`;
}

/** Writes the school's MIS export; `drop` removes people (they left), as the next export would. */
export async function writeMis(s: School, drop: string[] = []): Promise<void> {
  const gone = new Set(drop);
  const school: SynthSchool = { ...s.school, people: s.school.people.filter((p) => !gone.has(p.id)), memberships: s.school.memberships.filter((m) => !gone.has(m.person)) };
  await rm(s.misDir, { recursive: true, force: true });
  await mkdir(s.misDir, { recursive: true });
  for (const [name, text] of writeOneRoster12(school)) await writeFile(path.join(s.misDir, name), text);
}

export async function makeSchool(opts: { students?: number; config?: ConfigOptions; seed?: number } = {}): Promise<School> {
  const root = await mkdtemp(path.join(tmpdir(), 'rollcall-e2e-'));
  const asOf = todayIn('Europe/London');
  // Nobody starts or leaves in the weeks around today: the scenarios decide who leaves.
  const generated = generateSchool({ seed: opts.seed ?? 7, students: opts.students ?? 60, staff: 8, asOf, lessonDays: 1 });
  const school: SynthSchool = { ...generated, people: generated.people.map(({ endDate: _e, startDate: _s, ...p }) => p as typeof p) };
  const s: School = { root, origin: path.join(root, 'origin.git'), workspace: path.join(root, 'workspace'), misDir: path.join(root, 'mis'), tenantFile: path.join(root, 'tenant.json'), school, asOf };
  await writeMis(s);
  await git(root, 'init', '-q', '--bare', '-b', 'main', s.origin);
  await git(root, 'clone', '-q', s.origin, s.workspace);
  await git(s.workspace, 'checkout', '-q', '-b', 'main');
  await mkdir(path.join(s.workspace, 'schema'), { recursive: true });
  await writeFile(path.join(s.workspace, 'rollcall.yaml'), configText(s, opts.config));
  await git(s.workspace, 'add', '.');
  await git(s.workspace, 'commit', '-q', '-m', 'rollcall config');
  await git(s.workspace, 'push', '-q', 'origin', 'main');
  return s;
}

/** Commits the config on a branch; returns the new head sha. */
export async function commitConfig(s: School, text: string, message: string, file = 'rollcall.yaml'): Promise<string> {
  await writeFile(path.join(s.workspace, file), text);
  await git(s.workspace, 'add', file);
  await git(s.workspace, 'commit', '-q', '-m', message);
  return git(s.workspace, 'rev-parse', 'HEAD');
}

export interface RunOptions {
  actionDir: string;
  school: School;
  api: string;
  event: string;
  payload: Record<string, unknown>;
  inputs: Record<string, string>;
  sha: string;
  ref: string;
  token?: string;
  /** The step's `env:` (secrets a workflow passes in). */
  env?: Record<string, string>;
}

export async function runAction(o: RunOptions): Promise<RunResult> {
  const tmp = await mkdtemp(path.join(o.school.root, 'run-'));
  const eventPath = path.join(tmp, 'event.json');
  const outputFile = path.join(tmp, 'output');
  const summaryFile = path.join(tmp, 'summary.md');
  const runnerTemp = path.join(tmp, 'runner-temp');
  await mkdir(runnerTemp);
  await writeFile(eventPath, JSON.stringify(o.payload));
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const token = o.token ?? 'ghs_faketoken0123456789';
  const inputs = { ...(await actionDefaults(o.actionDir, token)), ...o.inputs };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8',
    GITHUB_ACTIONS: 'true', CI: 'true',
    GITHUB_EVENT_NAME: o.event, GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: 'school/it', GITHUB_REPOSITORY_OWNER: 'school',
    GITHUB_SHA: o.sha, GITHUB_REF: o.ref, GITHUB_API_URL: o.api, GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '4242',
    GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: o.school.workspace, GITHUB_ACTION_PATH: o.actionDir,
    RUNNER_TEMP: runnerTemp, RUNNER_OS: 'Linux',
    ...o.env,
  };
  // GitHub upper-cases the name and turns spaces into underscores; it keeps hyphens (INPUT_GITHUB-TOKEN).
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const child = spawn(process.execPath, [path.join(o.actionDir, 'dist/index.js')], { cwd: o.school.workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  return { code, stdout, stderr, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
}

export interface TenantUserState { userPrincipalName: string; accountEnabled: boolean; displayName?: string; employeeId?: string }

/** The local tenant's users, from its state file (undefined before the first write). */
export async function tenantUsers(s: School): Promise<TenantUserState[] | undefined> {
  let text: string;
  try { text = await readFile(s.tenantFile, 'utf8'); } catch { return undefined; }
  const state = JSON.parse(text) as { users?: { props: TenantUserState; deletedAt?: number }[] };
  return (state.users ?? []).filter((u) => u.deletedAt === undefined).map((u) => u.props);
}

export function names(s: School): string[] {
  return s.school.people.flatMap((p) => [p.legal?.first, p.legal?.last].filter((x): x is string => !!x && x.length > 2));
}
