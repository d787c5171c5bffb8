// 10 trials that kill the apply process at random points (issue 8). Each trial: a fresh emulator in its own process
// (reached as a real tenant: tenant.graph, client secret, HTTPS), an apply killed with SIGKILL (no clean-up at all)
// at a seeded random point, then apply again: the second run converges (0 failed), the next plan is empty, and
// nothing exists twice. Half the trials kill at a random fraction of the progress the apply reports, half after
// a random delay from start (which may land in the reads, the planning or the writes).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import type { RequestCounts } from '../../src/tenant/emulator/index.js';
import { startEmulatorProcess } from '../support/emulator-process.js';
import { seededRandom } from '../support/synth/random.js';
import { AS_OF, bin, cliEnv, duplicatesIn, writesIn, managedCounts, NO_DUPLICATES, planSummary, rollcall, schoolYaml, tempDir, writeConfig, writeSynthSchool, type StateShape } from './harness.js';

const TRIALS = 10;
const KEY = 'kt';
const DOMAIN = 'kill.example';
const rnd = seededRandom(2026);
let school: string;
let expected: Record<string, number> | undefined;

beforeAll(async () => {
  school = await tempDir('kill-school');
  await writeSynthSchool(school, { seed: 17, students: 20 });
  await keepTeachingGroups(path.join(school, 'mis'), 10);
});

/**
 * The synthetic timetable gives even a small school some fifty classes; ten keep every kind in play (classes,
 * teams, class memberships, teachers' events) and each trial inside a few seconds of writes.
 */
async function keepTeachingGroups(mis: string, n: number): Promise<void> {
  // The synthetic exports have no quoted commas, so a plain split reads them.
  const read = async (f: string) => (await readFile(path.join(mis, f), 'utf8')).split('\n').filter(Boolean).map((l) => l.split(','));
  const groups = await read('groups.csv');
  const kind = groups[0].indexOf('kind');
  const drop = new Set(groups.slice(1).filter((g) => g[kind] === 'teaching').slice(n).map((g) => g[0]));
  for (const f of ['groups.csv', 'memberships.csv', 'lessons.csv']) {
    const rows = await read(f);
    const col = rows[0].indexOf(f === 'groups.csv' ? 'id' : 'group');
    await writeFile(path.join(mis, f), rows.filter((r, i) => i === 0 || !drop.has(r[col])).map((r) => r.join(',')).join('\n') + '\n');
  }
}

function startTenant(dir: string): Promise<{ child: ChildProcess; url: string }> {
  return startEmulatorProcess({ state: path.join(dir, 'tenant.json'), ca: path.join(dir, 'ca.pem'), education: true, domains: [DOMAIN, `students.${DOMAIN}`], stderr: 'pipe' });
}

/** Stops the emulator (SIGTERM: it saves) and reads what the tenant holds. */
async function stopAndRead(emulator: ChildProcess, dir: string): Promise<StateShape> {
  const exited = new Promise((resolve) => emulator.once('exit', resolve));
  emulator.kill('SIGTERM');
  await exited;
  return JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8')) as StateShape;
}

/** The emulator's request counts, read from outside as another process would (GET /_emulator/counts). */
async function emulatorCounts(url: string, ca: string): Promise<RequestCounts> {
  const dispatcher = new Agent({ connect: { ca } });
  try {
    const r = await fetch(`${url}/_emulator/counts`, { dispatcher } as RequestInit);
    return (await r.json()) as RequestCounts;
  } finally {
    await dispatcher.close();
  }
}

type KillPoint = { fraction: number; jitterMs: number } | { delayMs: number };

/** Starts an apply and SIGKILLs it at the kill point; resolves with what it printed and whether it was killed. */
function applyKilledAt(dir: string, env: NodeJS.ProcessEnv, at: KillPoint): Promise<{ log: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'apply', '--as-of', AS_OF], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    let armed = false;
    const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
    if ('delayMs' in at) setTimeout(kill, at.delayMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      if (armed || !('fraction' in at)) return;
      const all = [...log.matchAll(/apply: ([\d,]+)\/([\d,]+)/g)];
      const last = all.at(-1);
      if (last && Number(last[1].replace(/,/g, '')) >= at.fraction * Number(last[2].replace(/,/g, ''))) {
        armed = true;
        setTimeout(kill, at.jitterMs);
      }
    });
    child.on('exit', (_code, signal) => resolve({ log, killed: signal === 'SIGKILL' }));
  });
}

const points: KillPoint[] = Array.from({ length: TRIALS }, (_, i) =>
  i % 2 === 0 ? { fraction: 0.05 + 0.9 * rnd(), jitterMs: Math.floor(400 * rnd()) } : { delayMs: 1500 + Math.floor(3000 * rnd()) });

const live: ChildProcess[] = [];
afterAll(() => { for (const c of live) if (c.exitCode === null) c.kill('SIGTERM'); });

describe(`${TRIALS} applies killed at random points`, () => {
  it.each(points.map((p, i) => [i + 1, p] as const))('trial %i (%o): the next run converges with no duplicates', async (trial, at) => {
    const dir = await tempDir(`kill-${trial}`);
    await mkdir(path.join(dir, 'mis'));
    for (const f of ['students.csv', 'staff.csv', 'groups.csv', 'memberships.csv', 'lessons.csv']) await copyFile(path.join(school, 'mis', f), path.join(dir, 'mis', f)).catch(() => {});
    const { child: emulator, url } = await startTenant(dir);
    live.push(emulator);
    const env = cliEnv(path.join(dir, 'ca.pem'));
    await writeConfig(dir, schoolYaml(url, { key: KEY, domain: DOMAIN, calendarDays: 2 }));

    if (!expected) {
      const plan = await rollcall(dir, env, ['plan', '--format', 'json']);
      expect(plan.status, plan.stderr).toBe(0);
      expected = planSummary(plan.stdout).creates;
      for (const kind of ['user', 'group', 'class', 'team', 'event']) expect(expected[kind], kind).toBeGreaterThan(0);
    }

    const first = await applyKilledAt(dir, env, at);
    expect(first.killed, `the apply finished before the kill point:\n${first.log}`).toBe(true);
    expect(first.log).not.toMatch(/apply: \d+ done/);
    const ca = await readFile(path.join(dir, 'ca.pem'), 'utf8');
    const before = Object.values(writesIn(await emulatorCounts(url, ca))).reduce((a, b) => a + b, 0);
    if ('fraction' in at) expect(before, 'killed during the writes').toBeGreaterThan(0);
    const progress = [...first.log.matchAll(/apply: [\d,]+\/[\d,]+ \(\d+%\)/g)].at(-1)?.[0] ?? 'before the apply began writing';

    const again = await rollcall(dir, env, ['apply']);
    expect(again.stderr, again.stderr).toMatch(/ 0 failed|nothing to change/);
    expect(again.status).toBe(0);
    const plan = await rollcall(dir, env, ['plan', '--detailed-exitcode']);
    expect(plan.stdout, plan.stdout + plan.stderr).toContain('no changes');
    expect(plan.status).toBe(0);

    console.log(`trial ${trial}: killed at ${JSON.stringify(at)}, last progress "${progress}", ${before} write(s) had reached the tenant; the rerun took ${(again.ms / 1000).toFixed(1)} s`);
    const state = await stopAndRead(emulator, dir);
    expect(duplicatesIn(state, KEY)).toEqual(NO_DUPLICATES);
    expect(managedCounts(state, KEY)).toEqual({
      users: expected!.user, groups: expected!.group + expected!.class, classes: expected!.class, teams: expected!.team, events: expected!.event,
    });
  }, 90_000);
});
