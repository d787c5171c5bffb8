import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../log.js';
import { buildPlan } from '../plan/build.js';
import { config, roster, snapshot, staff, student } from '../plan/testkit.js';
import type { OpResult, TenantOp, TenantWriter } from '../tenant/types.js';
import { applyPlan } from './apply.js';

/** Records every call and answers like a tenant would, failing the creates it is told to. */
function recordingWriter(failKeys: string[] = []): TenantWriter & { calls: TenantOp[][] } {
  let n = 0;
  const calls: TenantOp[][] = [];
  return {
    calls,
    async execute(ops) {
      calls.push(ops);
      return ops.map((op): OpResult => (failKeys.includes(op.key)
        ? { key: op.key, status: 'failed', error: { status: 400, code: 'Request_BadRequest', message: 'The specified password does not comply with password complexity requirements.' } }
        : { key: op.key, status: 'done', id: op.op.endsWith('.create') ? `id-${++n}` : undefined }));
    },
  };
}

const people = [student('1001', 'Jack', 'Cole'), student('1002', 'Amy', 'Poe'), staff('31', 'Ann', 'Lee')];
const plan = (cfg = config()) => buildPlan({ config: cfg, roster: roster(people), snapshot: snapshot(), manualMatches: [], asOf: '2026-03-02', now: '' });

describe('apply', () => {
  it('runs phases in order, hands created ids to memberships and batches up to 20 members a request', async () => {
    const writer = recordingWriter();
    const out = await applyPlan(plan(), { config: config(), writer, log: memoryLogger() });
    expect(out.counts).toEqual({ done: plan().changes.length, skipped: 0, failed: 0 });
    const ops = writer.calls.map((call) => [...new Set(call.map((o) => o.op))]);
    expect(ops).toEqual([['group.create'], ['user.create'], ['member.add']]);
    const adds = writer.calls[2] as Extract<TenantOp, { op: 'member.add' }>[];
    expect(adds.every((a) => typeof a.groupId === 'string' && a.memberIds.every((m) => typeof m === 'string' && m.startsWith('id-')))).toBe(true);
    const body = writer.calls[1][0] as Extract<TenantOp, { op: 'user.create' }>;
    expect(body.body.passwordProfile).toMatchObject({ forceChangePasswordNextSignIn: true });
  });

  it('never sends a change whose object failed to be created, and says why', async () => {
    const writer = recordingWriter(['user:student:1001']);
    const log = memoryLogger();
    const out = await applyPlan(plan(), { config: config(), writer, log });
    const dependents = out.results.filter((r) => r.key.endsWith(':student:1001') && r.kind === 'membership');
    expect(dependents.length).toBe(2);
    expect(dependents.every((r) => r.status === 'failed' && r.detail?.includes('depends on user:student:1001 which was not created (400 Request_BadRequest'))).toBe(true);
    const sentMembers = writer.calls.flat().filter((o) => o.op === 'member.add').flatMap((o) => (o as Extract<TenantOp, { op: 'member.add' }>).memberIds);
    expect(sentMembers).not.toContain(undefined);
    expect(out.counts.failed).toBe(3);
  });

  it('writes first passwords only encrypted, before any create is sent, and never logs them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-pw-'));
    const recipient = await identityToRecipient(await generateIdentity());
    const cfg = config({ passwords: { recipient, out: path.join(dir, 'passwords.age'), students: { words: 2, digits: 2 } } });
    const log = memoryLogger();
    const writer = recordingWriter();
    const p = plan(cfg);
    expect(p.notes.join(' ')).toContain('encrypted file');
    // The note names the file apply really writes and how to open it.
    expect(p.notes.join(' ')).toContain('(passwords-<time>.age, its path printed after apply)');
    expect(p.notes.join(' ')).toContain('rollcall passwords open FILE --identity KEY-FILE');
    // The caller hears of the file before anything is sent, so a run that dies mid-apply still names it (the action's output).
    const told: [string, number][] = [];
    const out = await applyPlan(p, { config: cfg, writer, log, now: new Date('2026-03-02T06:00:00Z'), onPasswordsFile: (f) => told.push([f, writer.calls.length]) });
    expect(out.passwordsFile).toBe(path.join(dir, 'passwords-20260302T060000Z.age'));
    expect(told).toEqual([[out.passwordsFile, 0]]);
    expect(await readdir(dir)).toEqual(['passwords-20260302T060000Z.age']);
    const sent = writer.calls.flat().filter((o) => o.op === 'user.create').map((o) => ((o as Extract<TenantOp, { op: 'user.create' }>).body.passwordProfile as { password: string }).password);
    expect(sent.some((pw) => /^[A-Z][a-z]+-[A-Z][a-z]+-\d\d$/.test(pw))).toBe(true);
    for (const pw of sent) expect(log.lines.join('\n')).not.toContain(pw);
    // A second run the same second never overwrites the first file.
    const again = await applyPlan(p, { config: cfg, writer, log, now: new Date('2026-03-02T06:00:00Z') });
    expect(again.passwordsFile).toBe(path.join(dir, 'passwords-20260302T060000Z-2.age'));
    expect((await readdir(dir)).sort()).toEqual(['passwords-20260302T060000Z-2.age', 'passwords-20260302T060000Z.age']);
  });
});
