import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { BlockedError } from '../errors.js';
import { memoryLogger } from '../log.js';
import { buildPlan } from '../plan/build.js';
import { applyToSnapshot, config, roster, snapshot, staff, student } from '../../test/support/plan-kit.js';
import type { Change } from '../plan/types.js';
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
    const dependents = out.failures.filter((r) => r.key.endsWith(':student:1001') && r.kind === 'membership');
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

describe('a blocked plan refuses itself, whoever applies it', () => {
  const school = Array.from({ length: 20 }, (_, i) => student(String(1000 + i), `Pupil${String.fromCharCode(97 + i)}`, 'Test'));
  const cfg = config({}, { safety: { maxSuspensions: { count: 1 }, maxSourceDrop: { percent: 100 } } });
  const build = (people = school, snap = snapshot(), c = cfg) => buildPlan({ config: c, roster: roster(people), snapshot: snap, manualMatches: [], asOf: '2026-03-02', now: '' });
  /** Three leavers against a limit of one suspension: blocked by safety.maxSuspensions. */
  const overLimit = () => build(school.map((s, i) => (i < 3 ? { ...s, endDate: '2026-01-01' } : s)), applyToSnapshot(build(), snapshot()));
  const refusedWith = async (p: ReturnType<typeof build>, approval?: Parameters<typeof applyPlan>[1]['approval']) => {
    const writer = recordingWriter();
    const err = await applyPlan(p, { config: cfg, writer, log: memoryLogger(), ...(approval ? { approval } : {}) }).then(() => undefined, (e: unknown) => e);
    expect(writer.calls).toEqual([]);
    return err as BlockedError | undefined;
  };

  it('throws on a plan over a safety limit unless its exact checksum is approved', async () => {
    const p = overLimit();
    expect(p.blocked.map((b) => b.rule)).toEqual(['safety.maxSuspensions']);
    const none = await refusedWith(p);
    expect(none).toBeInstanceOf(BlockedError);
    expect(none?.approvable).toBe(true);
    expect(none?.message).toContain(p.checksum);
    expect(await refusedWith(p, { checksum: 'f'.repeat(64) })).toBeInstanceOf(BlockedError);
    const writer = recordingWriter();
    const out = await applyPlan(p, { config: cfg, writer, log: memoryLogger(), approval: { checksum: p.checksum } });
    expect(out.counts.done).toBe(p.changes.length);
  });

  it('lets the merge gate through only when every destructive change was reviewed', async () => {
    const p = overLimit();
    const suspensions = p.changes.filter((c) => c.destructive).map((c) => c.key);
    expect(suspensions).toHaveLength(3);
    const reviewedAll = (c: Change) => suspensions.includes(c.key);
    expect(await refusedWith(p, { destructiveReviewed: (c) => c.key !== suspensions[2] && reviewedAll(c), by: 'test' })).toBeInstanceOf(BlockedError);
    const out = await applyPlan(p, { config: cfg, writer: recordingWriter(), log: memoryLogger(), approval: { destructiveReviewed: reviewedAll, by: 'test' } });
    expect(out.counts.done).toBe(p.changes.length);
  });

  it('never lets a configuration problem through, even with its exact checksum approved', async () => {
    const c = config({ staff: { userPrincipalName: '{first:1}{last}@t.example', licenseGroups: ['Licence - A3 Staff'] } });
    const p = build([staff('31', 'Ann', 'Lee')], snapshot(), c);
    expect(p.blocked.map((b) => b.rule)).toEqual(['users.licenseGroups']);
    const err = await refusedWith(p, { checksum: p.checksum });
    expect(err).toBeInstanceOf(BlockedError);
    expect(err?.approvable).toBe(false);
    expect(err?.message).toContain('"Licence - A3 Staff" does not exist');
    expect(err?.message).toContain('no approval lets through');
  });

  it('refuses a plan whose blocks or changes were edited after planning', async () => {
    const p = overLimit();
    expect(await refusedWith({ ...p, blocked: [] })).toBeInstanceOf(BlockedError);
    const cut = await refusedWith({ ...p, changes: p.changes.slice(0, 2), blocked: [] });
    expect(cut?.message).toContain('do not match its checksum');
  });

  it('hands each result on as its op finishes, not when the phase ends (the journal streams), and records it once', async () => {
    const streamed: string[] = [];
    const seenBeforeReturn: number[] = [];
    let n = 0;
    const writer: TenantWriter = {
      async execute(ops, _progress, onResult) {
        const results = ops.map((op): OpResult => ({ key: op.key, status: 'done', id: op.op.endsWith('.create') ? `id-${++n}` : undefined }));
        for (const r of results) onResult?.(r);
        seenBeforeReturn.push(streamed.length);
        return results;
      },
    };
    const p = plan();
    const out = await applyPlan(p, { config: config(), writer, log: memoryLogger(), onResult: (r) => streamed.push(r.key) });
    expect(seenBeforeReturn.every((k, i) => k > (seenBeforeReturn[i - 1] ?? 0))).toBe(true);
    expect(streamed.sort()).toEqual(p.changes.map((c) => c.key).sort());
    expect(out.counts.done).toBe(p.changes.length);
  });
});
