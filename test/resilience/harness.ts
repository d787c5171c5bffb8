// Shared pieces of the resilience tests: the built CLI run as a child process (asynchronously, so an emulator in
// this process keeps answering), a synthetic school on disk, the Graph emulator reached as a real tenant
// (tenant.graph, client secret, HTTPS trusted through NODE_EXTRA_CA_CERTS), and checks on what the tenant holds.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool, writeSchool, type SynthFormat } from '../support/synth/index.js';
import type { RequestCounts } from '../../src/tenant/emulator/index.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(root, 'bin/rollcall.js');
export const AS_OF = '2026-03-02';
export const SECRET_ENV = 'ROLLCALL_TEST_SECRET';

export interface CliResult { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

/** Runs `rollcall ARGS --as-of AS_OF` in cwd; never blocks this process's event loop. */
export function rollcall(cwd: string, env: NodeJS.ProcessEnv, args: string[], opts: { timeoutMs?: number; asOf?: string | false } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const asOf = opts.asOf === false ? [] : ['--as-of', opts.asOf ?? AS_OF];
    const child = spawn(process.execPath, [bin, ...args, ...asOf], { cwd, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Environment for a CLI run against an emulator whose CA is in caFile. */
export function cliEnv(caFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_EXTRA_CA_CERTS: caFile, [SECRET_ENV]: 'not-a-real-secret', ...extra };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `rollcall-${prefix}-`));
}

/** A synthetic school exported into dir/mis in the given format. */
export async function writeSynthSchool(dir: string, opts: { seed: number; students: number; format?: SynthFormat; staff?: number; lessonDays?: number }): Promise<void> {
  const school = generateSchool({ seed: opts.seed, students: opts.students, asOf: AS_OF, ...(opts.staff ? { staff: opts.staff } : {}), ...(opts.lessonDays ? { lessonDays: opts.lessonDays } : {}) });
  await writeSchool(school, opts.format ?? 'csv', path.join(dir, 'mis'));
}

export function tenantGraphYaml(url: string, domains: string[], education: boolean): string {
  return `tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-0000000000aa
    clientId: 11111111-1111-1111-1111-1111111111bb
    auth: client-secret
    clientSecret: { env: ${SECRET_ENV} }
    authorityHost: ${url}
    graphUrl: ${url}
  domains: [${domains.join(', ')}]
  education: ${education}
`;
}

export interface SchoolConfigOptions {
  key: string;
  domain: string;
  source?: string;
  classes?: boolean;
  calendarDays?: number;
}

/**
 * A school config that exercises every kind rollcall writes: users with security groups, Microsoft 365 groups from
 * year groups and houses, education classes with teams, and teachers' calendars for a short window.
 */
export function schoolYaml(url: string, o: SchoolConfigOptions): string {
  const classes = o.classes ?? true;
  return `version: 1
school: { name: Resilience School ${o.key}, key: ${o.key}, timeZone: Europe/London }
source: ${o.source ?? '{ csv: { dir: ./mis } }'}
${tenantGraphYaml(url, [o.domain, `students.${o.domain}`], classes)}users:
  students:
    userPrincipalName: "{first}{last:1}@students.${o.domain}"
    securityGroups: ["All Students", "Year {yearGroup}"]
  staff:
    userPrincipalName: "{first:1}{last}@${o.domain}"
    securityGroups: ["All Staff"]
groups:
  from: [yearGroups, houses]
  type: microsoft365
  displayName: "{name}"
${classes ? `classes:
  from: [teachingGroups]
  displayName: "{academicYear}-{name}"
  team: true
` : ''}${o.calendarDays ? `calendar:
  enabled: true
  windowDays: ${o.calendarDays}
  users: staff
` : ''}`;
}

export async function writeConfig(dir: string, yaml: string, name = 'rollcall.yaml'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, yaml);
  return file;
}

/** Writes the tenant saw: POST/PATCH/PUT/DELETE on Graph (inner $batch requests included, the envelope not). */
export function writesIn(counts: RequestCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, n] of Object.entries(counts.byKind)) {
    const [method, pattern = ''] = kind.split(' ');
    if (!['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) || pattern === '$batch') continue;
    out[kind] = n;
  }
  return out;
}

export interface StateShape {
  users: { id: string; props: Record<string, unknown> }[];
  groups: { id: string; props: Record<string, unknown>; members: string[]; owners: string[]; education?: Record<string, unknown> }[];
  teams: { id: string }[];
  events: { id: string; userId: string; ext: { id: string; value: string }[] }[];
}

const dupes = (keys: string[]) => {
  const seen = new Set<string>();
  return [...new Set(keys.filter((k) => seen.has(k) || !seen.add(k)))];
};

/**
 * What the tenant holds more than once: accounts by anchor (employeeId with the school's prefix) and by address,
 * groups by mailNickname, classes by externalId, teams per group, events by rollcall's tag per mailbox.
 */
export function duplicatesIn(state: StateShape, key: string): Record<string, string[]> {
  const users = state.users.map((u) => u.props);
  return {
    anchors: dupes(users.map((u) => String(u.employeeId ?? '')).filter((a) => a.startsWith(`${key}:`))),
    addresses: dupes(users.map((u) => String(u.userPrincipalName).toLowerCase())),
    groups: dupes(state.groups.map((g) => String(g.props.mailNickname ?? '').toLowerCase()).filter((n) => n.startsWith(`${key}-`))),
    classes: dupes(state.groups.map((g) => g.education?.externalId).filter((x): x is string => typeof x === 'string')),
    teams: dupes(state.teams.map((t) => t.id)),
    events: dupes(state.events.flatMap((e) => e.ext.map((x) => `${e.userId} ${x.value}`))),
  };
}

export const NO_DUPLICATES = { anchors: [], addresses: [], groups: [], classes: [], teams: [], events: [] };

/** Counts of what rollcall manages in the tenant, for "each exactly once" checks. */
export function managedCounts(state: StateShape, key: string) {
  return {
    users: state.users.filter((u) => String(u.props.employeeId ?? '').startsWith(`${key}:`)).length,
    groups: state.groups.filter((g) => String(g.props.mailNickname ?? '').toLowerCase().startsWith(`${key}-`)).length,
    classes: state.groups.filter((g) => typeof g.education?.externalId === 'string').length,
    teams: state.teams.length,
    events: state.events.filter((e) => e.ext.length).length,
  };
}

/** The plan's counts per kind and action, from `rollcall plan --format json`. */
export function planSummary(json: string): { creates: Record<string, number>; changes: number } {
  const plan = JSON.parse(json) as { changes: { kind: string; action: string }[] };
  const creates: Record<string, number> = {};
  for (const c of plan.changes) if (c.action === 'create') creates[c.kind] = (creates[c.kind] ?? 0) + 1;
  return { creates, changes: plan.changes.length };
}
