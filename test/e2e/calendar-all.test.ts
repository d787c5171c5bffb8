// The quickstart's configuration with `calendar.users: all` (an option its own comments offer): every pupil's and
// teacher's timetable written in one first sync. At the quickstart's size (73,517 changes) apply ran out of memory
// at 4 GB, because the local tenant queued a serialised copy of itself for every save it could not write yet, and
// left tenant.json.*.tmp behind. Here the same shape at 200 pupils, through the built CLI: it completes, the local
// tenant survives whole (planning again finds nothing to do), no temporary file is left, and the peak memory stays
// within a generous per-change bound. `npm test` builds dist/ first.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchool, writeSchool } from '../support/synth/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/rollcall.js');
const probe = path.join(root, 'test/fixtures/probe/peak-memory.cjs');
const AS_OF = '2026-11-23';
const MB = 1024 * 1024;

/** Runs the CLI asynchronously (so the test's own timers keep running), with the memory probe preloaded. */
function applyWithProbe(cwd: string, out: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', probe, bin, 'apply', '--as-of', AS_OF], { cwd, env: { ...process.env, NO_COLOR: '1', ROLLCALL_PROBE_OUT: out }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('calendar.users: all on the local tenant', () => {
  it('a first sync of every calendar completes in bounded memory and leaves the local tenant whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-calendar-all-'));
    await writeSchool(generateSchool({ seed: 7, students: 200, asOf: AS_OF }), 'csv', path.join(dir, 'mis'));
    const quickstart = await readFile(path.join(root, 'examples/quickstart/rollcall.yaml'), 'utf8');
    const config = quickstart.replace(/^(\s+users:) staff(\s)/m, '$1 all$2');
    expect(config).toMatch(/^\s+users: all\s/m);
    await writeFile(path.join(dir, 'rollcall.yaml'), config);

    const out = path.join(dir, 'probe.json');
    const apply = await applyWithProbe(dir, out);
    expect(apply.stderr).toMatch(/apply: [\d,]+ done, 0 skipped, 0 failed/);
    expect(apply.status).toBe(0);
    const changes = Number(/applying (\d+) change/.exec(apply.stderr)?.[1]);
    expect(changes).toBeGreaterThan(5000);

    // Pupils' calendars were written, not only teachers'.
    const state = JSON.parse(await readFile(path.join(dir, '.rollcall/tenant.json'), 'utf8')) as { users: { id: string; props: { employeeId?: string } }[]; events: { userId: string }[] };
    const pupils = new Set(state.users.filter((u) => u.props.employeeId?.startsWith('qa:s')).map((u) => u.id));
    expect(new Set(state.events.filter((e) => pupils.has(e.userId)).map((e) => e.userId)).size).toBeGreaterThan(150);
    expect((await readdir(path.join(dir, '.rollcall'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    // Memory: a fixed base and a few KB per change (the plan and the tenant are in memory), never a copy of the
    // tenant per save. The queued copies took this run past 450 MB; it needs about 250 MB.
    const { peakRss } = JSON.parse(await readFile(out, 'utf8')) as { peakRss: number };
    expect(peakRss).toBeLessThan(200 * MB + changes * 15 * 1024);

    const again = spawnSync(process.execPath, [bin, 'plan', '--detailed-exitcode', '--as-of', AS_OF], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(again.stdout).toContain('no changes');
    expect(again.status).toBe(0);
  }, 240_000);
});
