// Contract: under 5 % injected faults (429 with and without Retry-After, 503, connection resets and timeouts,
// some after the emulator already carried the request out) every change ends done, exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantOp } from '../../src/tenant/types.js';
import { ROLLCALL_EVENT_PROPERTY_ID } from '../../src/tenant/index.js';
import { DOMAIN, local, userBody, type Local } from './harness.js';

let env: Local | undefined;
afterEach(async () => { await env?.close(); env = undefined; });

function workload(): TenantOp[] {
  const ops: TenantOp[] = [];
  for (let i = 0; i < 300; i++) ops.push({ op: 'user.create', key: `u${i}`, body: userBody(i) });
  for (let g = 0; g < 10; g++) {
    ops.push({ op: 'group.create', key: `g${g}`, body: { displayName: `Group ${g}`, mailNickname: `rc-g${g}`, mailEnabled: false, securityEnabled: true, groupTypes: [] } });
    ops.push({ op: 'member.add', key: `g${g}-members`, groupId: { ref: `g${g}` }, memberIds: Array.from({ length: 20 }, (_, i) => ({ ref: `u${g * 20 + i}` })), role: 'member' });
  }
  for (let c = 0; c < 5; c++) {
    ops.push({ op: 'class.create', key: `c${c}`, body: { displayName: `Class ${c}`, mailNickname: `rc-c${c}`, description: 'x', externalId: `bts:c${c}`, externalSource: 'sis' } });
    ops.push({ op: 'class.add', key: `c${c}-t`, classId: { ref: `c${c}` }, userId: { ref: `u${c}` }, role: 'teacher' });
  }
  for (let e = 0; e < 40; e++) {
    const user = { ref: `u${e % 8}` };
    ops.push({ op: 'event.create', key: `e${e}`, userId: user, body: {
      subject: `Lesson ${e}`, transactionId: `rc-tx-${e}`,
      start: { dateTime: `2026-01-0${1 + (e % 5)}T${String(8 + (e % 8)).padStart(2, '0')}:00:00`, timeZone: 'UTC' },
      end: { dateTime: `2026-01-0${1 + (e % 5)}T${String(9 + (e % 8)).padStart(2, '0')}:00:00`, timeZone: 'UTC' },
      singleValueExtendedProperties: [{ id: ROLLCALL_EVENT_PROPERTY_ID, value: `lesson-${e}` }],
    } });
  }
  return ops;
}

const cases = [
  { name: '5 % faults of every kind, seed 7', faults: { seed: 7, rate: 0.05 } },
  { name: '5 % faults of every kind, seed 2026', faults: { seed: 2026, rate: 0.05 } },
  // Connection faults only, often: half strike after the emulator carried the batch out, so creates must be adopted.
  { name: '25 % lost answers (reset, timeout), seed 11', faults: { seed: 11, rate: 0.25, kinds: ['reset', 'timeout'] as ('reset' | 'timeout')[] } },
];

describe.each(cases)('$name', ({ faults }) => {
  it('writes everything exactly once and reads it back whole', async () => {
    env = await local({ faults, replicationDelayMs: 100 }, { timeoutMs: 1000 });
    const { emu, tenant } = env;
    const ops = workload();
    const results = await tenant.writer.execute(ops);
    const notDone = results.filter((r) => r.status !== 'done');
    expect(notDone).toEqual([]);
    expect(emu.counts().faults).toBeGreaterThan(0);

    // No duplicates: one object per UPN, per group nickname, per class externalId, per event transactionId.
    const users = [...emu.state.users.values()];
    expect(users).toHaveLength(300);
    const byId = new Map(users.map((u) => [u.id, u]));
    results.filter((r) => r.key.match(/^u\d+$/)).forEach((r) => expect(byId.get(r.id!)?.props.employeeId).toBe(`bts:s${r.key.slice(1)}`));
    const groups = [...emu.state.groups.values()];
    for (let g = 0; g < 10; g++) {
      const same = groups.filter((x) => x.props.mailNickname === `rc-g${g}`);
      expect(same).toHaveLength(1);
      expect(same[0].members).toHaveLength(20);
    }
    for (let c = 0; c < 5; c++) expect(groups.filter((x) => x.education?.externalId === `bts:c${c}`)).toHaveLength(1);
    const events = [...emu.state.events.values()];
    expect(events).toHaveLength(40);
    expect(new Set(events.map((e) => e.props.transactionId)).size).toBe(40);

    await new Promise((r) => setTimeout(r, 150)); // past the replication delay, so lists show the new objects
    const snap = await tenant.reader.read({ education: true, calendar: { userIds: users.slice(0, 300).map((u) => u.id), from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' } });
    expect(snap.users).toHaveLength(300);
    expect(snap.groups).toHaveLength(15);
    expect(snap.classes).toHaveLength(5);
    expect(snap.classes.every((c) => c.teachers.length === 1)).toBe(true);
    expect(snap.events).toHaveLength(40);
    expect(new Set(snap.users.map((u) => u.userPrincipalName))).toEqual(new Set(Array.from({ length: 300 }, (_, i) => `s${i}@${DOMAIN}`)));
  // Correctness under faults, not speed: backoff after injected timeouts can take a minute on a loaded machine.
  }, 180_000);
});

describe('groups and classes have no idempotency key', () => {
  it('looks an unanswered create up by mailNickname / externalId before sending it again', async () => {
    env = await local({ faults: { seed: 5, rate: 0.5, kinds: ['reset'] }, replicationDelayMs: 100 }, { timeoutMs: 1000, concurrency: 1 });
    const { emu, tenant } = env;
    const ops: TenantOp[] = [];
    for (let g = 0; g < 6; g++) ops.push({ op: 'group.create', key: `g${g}`, body: { displayName: `Group ${g}`, mailNickname: `rc-g${g}`, mailEnabled: false, securityEnabled: true, groupTypes: [] } });
    for (let c = 0; c < 4; c++) ops.push({ op: 'class.create', key: `c${c}`, body: { displayName: `Class ${c}`, mailNickname: `rc-c${c}`, description: 'x', externalId: `bts:c${c}`, externalSource: 'sis' } });
    // One op per batch, so each create meets its own faults.
    const results: Awaited<ReturnType<typeof tenant.writer.execute>> = [];
    for (const op of ops) results.push(...await tenant.writer.execute([op]));
    expect(results.filter((r) => r.status !== 'done')).toEqual([]);
    expect(results.filter((r) => r.adopted).length).toBeGreaterThan(0);
    const groups = [...emu.state.groups.values()];
    for (let g = 0; g < 6; g++) expect(groups.filter((x) => x.props.mailNickname === `rc-g${g}`)).toHaveLength(1);
    for (let c = 0; c < 4; c++) expect(groups.filter((x) => x.education?.externalId === `bts:c${c}`)).toHaveLength(1);
    results.forEach((r, i) => expect(emu.state.groups.get(r.id!)?.props.mailNickname).toBe(ops[i].op === 'group.create' ? `rc-g${i}` : `rc-c${i - 6}`));
  });
});
