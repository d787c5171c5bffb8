// Contract: rollcall's Graph reader and writer through the real graph-client against the emulator over HTTPS.
import { afterEach, describe, expect, it } from 'vitest';
import { TenantError } from '../../src/errors.js';
import type { TenantOp } from '../../src/tenant/types.js';
import { DOMAIN, local, userBody, type Local } from './harness.js';

let env: Local | undefined;
afterEach(async () => { await env?.close(); env = undefined; });

describe('users', () => {
  it('creates 1,050 users in batches of 20 and reads them back over two pages of 999', async () => {
    env = await local();
    const { emu, tenant } = env;
    emu.state.addUser({ userPrincipalName: 'outsider@elsewhere.test', employeeId: 'x' });
    const ops: TenantOp[] = Array.from({ length: 1050 }, (_, i) => ({ op: 'user.create', key: `u${i}`, body: userBody(i) }));
    let progress = 0;
    const results = await tenant.writer.execute(ops, (done) => { progress = done; });
    expect(results.map((r) => r.key)).toEqual(ops.map((o) => o.key));
    expect(results.every((r) => r.status === 'done' && typeof r.id === 'string')).toBe(true);
    expect(progress).toBe(1050);
    const counts = emu.counts();
    expect(counts.byKind['POST $batch']).toBe(Math.ceil(1050 / 20));
    expect(counts.byKind['POST users']).toBe(1050);

    emu.resetCounts();
    const snap = await tenant.reader.read({ education: false });
    expect(snap.users).toHaveLength(1050);
    expect(snap.users.some((u) => u.userPrincipalName.endsWith('@elsewhere.test'))).toBe(false);
    const u7 = snap.users.find((u) => u.userPrincipalName === `s7@${DOMAIN}`)!;
    expect(u7).toMatchObject({ employeeId: 'bts:s7', employeeType: 'Student', accountEnabled: true, usageLocation: 'GB', displayName: 'Student 7' });
    expect(u7.id).toBe(results[7].id);
    expect(emu.counts().byKind['GET users']).toBe(2);
  });

  it('adopts a user whose create already happened (same UPN and anchor) and refuses one with another anchor', async () => {
    env = await local();
    const { emu, tenant } = env;
    const existing = emu.state.addUser({ userPrincipalName: `s1@${DOMAIN}`, employeeId: 'bts:s1' });
    emu.state.addUser({ userPrincipalName: `s2@${DOMAIN}`, employeeId: 'someone-else' });
    const [same, other] = await tenant.writer.execute([
      { op: 'user.create', key: 'a', body: userBody(1) },
      { op: 'user.create', key: 'b', body: userBody(2) },
    ]);
    expect(same).toMatchObject({ status: 'done', adopted: true, id: existing.id });
    expect(other.status).toBe('failed');
    expect(other.error).toMatchObject({ status: 400, code: 'Request_BadRequest' });
    expect(other.error!.message).toMatch(/userPrincipalName already exists/);
  });

  it('compares an extension-attribute anchor too, and refuses an existing account when the body has no anchor', async () => {
    env = await local();
    const { emu, tenant } = env;
    const mine = emu.state.addUser({ userPrincipalName: `x1@${DOMAIN}`, onPremisesExtensionAttributes: { extensionAttribute5: 'bts:s77' } });
    emu.state.addUser({ userPrincipalName: `x2@${DOMAIN}` });
    const { employeeId: _drop, ...noAnchor } = userBody(2, { userPrincipalName: `x2@${DOMAIN}` });
    const [adopted, refused] = await tenant.writer.execute([
      { op: 'user.create', key: 'a', body: userBody(1, { userPrincipalName: `x1@${DOMAIN}`, employeeId: undefined, onPremisesExtensionAttributes: { extensionAttribute5: 'bts:s77' } }) },
      { op: 'user.create', key: 'b', body: noAnchor },
    ]);
    expect(adopted).toMatchObject({ status: 'done', adopted: true, id: mine.id });
    expect(refused).toMatchObject({ status: 'failed', detail: expect.stringMatching(/no anchor/) });
  });
});

describe('groups and membership', () => {
  it('reads members and owners of every group from /groups/delta, never one call per group', async () => {
    env = await local();
    const { emu, tenant } = env;
    const users = Array.from({ length: 130 }, (_, i) => emu.state.addUser({ userPrincipalName: `m${i}@${DOMAIN}` }));
    const big = emu.state.addGroup({ displayName: 'Year 7', mailNickname: 'y7', members: users.map((u) => u.id), owners: [users[0].id, users[1].id] });
    const small = emu.state.addGroup({ displayName: 'Staff', mailNickname: 'staff', members: [users[5].id] });
    const snap = await tenant.reader.read({ education: false });
    const g = snap.groups.find((x) => x.id === big.id)!;
    expect(new Set(g.members)).toEqual(new Set(users.map((u) => u.id)));
    expect(g.members).toHaveLength(130);
    expect(new Set(g.owners)).toEqual(new Set([users[0].id, users[1].id]));
    expect(snap.groups.find((x) => x.id === small.id)!.members).toEqual([users[5].id]);
    const kinds = Object.keys(emu.counts().byKind);
    expect(kinds).toContain('GET groups/delta');
    expect(kinds.filter((k) => /members|owners/.test(k))).toEqual([]);
  });

  it('can read owners per group instead, 20 groups to a $batch, when delta does not carry them', async () => {
    env = await local({}, { ownersFromDelta: false });
    const { emu, tenant } = env;
    const u = Array.from({ length: 3 }, (_, i) => emu.state.addUser({ userPrincipalName: `o${i}@${DOMAIN}` }));
    const groups = Array.from({ length: 25 }, (_, i) => emu.state.addGroup({ displayName: `G${i}`, mailNickname: `g${i}`, members: [u[0].id], owners: i % 2 ? [u[1].id, u[2].id] : [] }));
    const snap = await tenant.reader.read({ education: false });
    for (const [i, g] of groups.entries()) {
      expect(new Set(snap.groups.find((x) => x.id === g.id)!.owners)).toEqual(new Set(i % 2 ? [u[1].id, u[2].id] : []));
      expect(snap.groups.find((x) => x.id === g.id)!.members).toEqual([u[0].id]);
    }
    const counts = emu.counts().byKind;
    expect(counts['GET groups/{id}/owners']).toBe(25);
    expect(counts['POST $batch']).toBe(2);
    expect(counts['GET groups/{id}/members']).toBeUndefined();
  });

  it('resolves refs within one call: creates a user and a group, then binds the user as member and owner', async () => {
    env = await local({ replicationDelayMs: 150 });
    const { emu, tenant } = env;
    const results = await tenant.writer.execute([
      { op: 'user.create', key: 'u', body: userBody(9) },
      { op: 'group.create', key: 'g', body: { displayName: '7X', mailNickname: 'rc-7x', mailEnabled: false, securityEnabled: true, groupTypes: [] } },
      { op: 'member.add', key: 'm', groupId: { ref: 'g' }, memberIds: [{ ref: 'u' }], role: 'member' },
      { op: 'member.add', key: 'o', groupId: { ref: 'g' }, memberIds: [{ ref: 'u' }], role: 'owner' },
      { op: 'group.create', key: 'bad', body: { displayName: 'broken', mailNickname: 'has space', mailEnabled: false, securityEnabled: true } },
      { op: 'member.add', key: 'm2', groupId: { ref: 'bad' }, memberIds: [{ ref: 'u' }], role: 'member' },
      { op: 'member.add', key: 'm3', groupId: { ref: 'nope' }, memberIds: ['x'], role: 'member' },
    ]);
    const by = Object.fromEntries(results.map((r) => [r.key, r]));
    expect(by.u.status).toBe('done');
    expect(by.g.status).toBe('done');
    expect(by.m).toMatchObject({ status: 'done' });
    expect(by.o).toMatchObject({ status: 'done' });
    expect(by.bad.status).toBe('failed');
    expect(by.bad.error?.status).toBe(400);
    expect(by.m2).toMatchObject({ status: 'failed', detail: 'depends on bad which failed' });
    expect(by.m3.status).toBe('failed');
    const g = emu.state.groups.get(by.g.id!)!;
    expect(g.members).toEqual([by.u.id]);
    expect(g.owners).toEqual([by.u.id]);
  });

  it('counts "already a member" as done, adding the others one by one', async () => {
    env = await local();
    const { emu, tenant } = env;
    const [a, b, c] = ['a', 'b', 'c'].map((n) => emu.state.addUser({ userPrincipalName: `${n}@${DOMAIN}` }));
    const g = emu.state.addGroup({ displayName: 'G', mailNickname: 'g', members: [a.id] });
    const [r] = await tenant.writer.execute([{ op: 'member.add', key: 'add', groupId: g.id, memberIds: [a.id, b.id, c.id], role: 'member' }]);
    expect(r).toMatchObject({ status: 'done', detail: '1 already members' });
    expect(new Set(emu.state.groups.get(g.id)!.members)).toEqual(new Set([a.id, b.id, c.id]));
    const [again] = await tenant.writer.execute([{ op: 'member.remove', key: 'rm', groupId: g.id, memberId: 'not-there', role: 'member' }]);
    expect(again.status).toBe('skipped');
  });

  it('adopts a Microsoft 365 group whose mailNickname already exists', async () => {
    env = await local();
    const { emu, tenant } = env;
    const g = emu.state.addGroup({ displayName: 'Maths', mailNickname: 'rc-maths', groupTypes: ['Unified'] });
    const [r] = await tenant.writer.execute([{ op: 'group.create', key: 'g', body: { displayName: 'Maths', mailNickname: 'rc-maths', mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'] } }]);
    expect(r).toMatchObject({ status: 'done', adopted: true, id: g.id });
  });
});

describe('education, teams and events', () => {
  it('reads classes with teachers and members, teams with their archived state, and tagged events', async () => {
    env = await local();
    const { emu, tenant } = env;
    const t = emu.state.addUser({ userPrincipalName: `teacher@${DOMAIN}` });
    const s = emu.state.addUser({ userPrincipalName: `pupil@${DOMAIN}` });
    const cls = emu.state.addClass({ displayName: '7X Maths', mailNickname: 'rc-7x-ma', externalId: 'bts:c1', teachers: [t.id], members: [s.id, t.id] });
    const results = await tenant.writer.execute([
      { op: 'team.create', key: 'team', groupId: cls.id },
      { op: 'event.create', key: 'e1', userId: s.id, body: { subject: 'Maths', start: { dateTime: '2026-01-05T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T10:00:00', timeZone: 'UTC' }, transactionId: 'tx-1', singleValueExtendedProperties: [{ id: 'String {66f5a359-4659-4c5d-9d49-8a2a5a3a0c1e} Name rollcallKey', value: 'lesson-1' }] } },
      { op: 'event.create', key: 'e2', userId: s.id, body: { subject: 'Science', start: { dateTime: '2026-01-05T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T11:00:00', timeZone: 'UTC' }, transactionId: 'tx-2', singleValueExtendedProperties: [{ id: 'String {66f5a359-4659-4c5d-9d49-8a2a5a3a0c1e} Name rollcallKey', value: 'lesson-2' }] } },
    ]);
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    // team.create waited for its teamsAsyncOperation: the team is there now, not merely accepted.
    expect(results[0]).toEqual({ key: 'team', status: 'done', id: cls.id });
    expect(emu.state.teams.get(cls.id)).toBeDefined();
    emu.state.addEvent(s.id, { subject: 'Dentist', start: { dateTime: '2026-01-05T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T13:00:00', timeZone: 'UTC' } });
    const [arch] = await tenant.writer.execute([{ op: 'team.archive', key: 'arch', teamId: cls.id }]);
    expect(arch.status).toBe('done');
    const snap = await tenant.reader.read({ education: true, calendar: { userIds: [s.id, t.id], from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z' } });
    expect(snap.classes).toEqual([{ id: cls.id, displayName: '7X Maths', mailNickname: 'rc-7x-ma', externalId: 'bts:c1', teachers: [t.id], members: expect.arrayContaining([s.id, t.id]) }]);
    expect(snap.teams).toEqual([{ id: cls.id, isArchived: true }]);
    expect(snap.events.map((e) => e.tag).sort()).toEqual(['lesson-1', 'lesson-2']);
    expect(snap.events.find((e) => e.tag === 'lesson-1')).toMatchObject({ userId: s.id, subject: 'Maths', start: { dateTime: expect.stringMatching(/^2026-01-05T09:00:00/) } });
  });
});

describe('failures', () => {
  it('turns a read that breaks off after its first page into a TenantError, never a smaller snapshot', async () => {
    let ok = 0;
    let stop: () => Promise<void> = async () => {};
    env = await local({}, { retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 }, onResponse: (status) => { if (status === 200 && ++ok === 1) void stop(); } });
    for (let i = 0; i < 1200; i++) env.emu.state.addUser({ userPrincipalName: `p${i}@${DOMAIN}` });
    // The network goes away after the first page: later pages (and their retries) get no answer.
    stop = () => env!.tenant.graph.close();
    await expect(env.tenant.reader.read({ education: false })).rejects.toBeInstanceOf(TenantError);
  });
});

describe('$batch dependsOn', () => {
  it('chains one mailbox inside a batch; a dependent that got 424 is sent again, its failed predecessor is reported', async () => {
    env = await local();
    const { emu, tenant } = env;
    const s = emu.state.addUser({ userPrincipalName: `pupil@${DOMAIN}` });
    const ev = (n: number, start: string) => ({ subject: `L${n}`, transactionId: `tx-${n}`, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: '2026-01-05T23:00:00', timeZone: 'UTC' } });
    const results = await tenant.writer.execute([
      { op: 'event.create', key: 'bad', userId: s.id, body: ev(1, 'not a time') },
      { op: 'event.create', key: 'good1', userId: s.id, body: ev(2, '2026-01-05T09:00:00') },
      { op: 'event.create', key: 'good2', userId: s.id, body: ev(3, '2026-01-05T10:00:00') },
    ]);
    expect(results[0]).toMatchObject({ key: 'bad', status: 'failed', error: { status: 400 } });
    expect(results.slice(1).map((r) => r.status)).toEqual(['done', 'done']);
    const counts = emu.counts();
    // first batch: bad → 400, good1 and good2 → 424 (never run); then good1 and good2 again.
    expect(counts.byKind['POST $batch']).toBeGreaterThanOrEqual(2);
    expect(counts.byKind['POST users/{id}/events']).toBe(3);
    expect([...emu.state.events.values()].map((e) => e.props.subject).sort()).toEqual(['L2', 'L3']);
  });
});

describe('every kind of change', () => {
  it('updates, removes, restores and mails; keeps one object’s changes in order; retries a bind to a group not yet replicated', async () => {
    env = await local({ replicationDelayMs: 200 });
    const { emu, tenant } = env;
    const t = emu.state.addUser({ userPrincipalName: `t@${DOMAIN}`, mail: `t@${DOMAIN}` });
    const pupils = Array.from({ length: 45 }, (_, i) => emu.state.addUser({ userPrincipalName: `p${i}@${DOMAIN}` }));
    const old = emu.state.addUser({ userPrincipalName: `old@${DOMAIN}` });
    const cls = emu.state.addClass({ displayName: '8Y Art', mailNickname: 'rc-8y-art', externalId: 'bts:c8', teachers: [t.id], members: [t.id, pupils[0].id] });
    const doomed = emu.state.addGroup({ displayName: 'Old', mailNickname: 'rc-old', members: [pupils[1].id] });
    const ev = emu.state.addEvent(t.id, { subject: 'Art', start: { dateTime: '2026-01-05T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T10:00:00', timeZone: 'UTC' } });

    // Phase 1 creates a group; phase 2 (another call, as apply/ does) binds 45 members to it while it is still
    // invisible to Graph: 400 "do not exist" until replication, then three PATCHes of at most 20.
    const [created] = await tenant.writer.execute([{ op: 'group.create', key: 'g', body: { displayName: 'All', mailNickname: 'rc-all', mailEnabled: false, securityEnabled: true, groupTypes: [] } }]);
    const results = await tenant.writer.execute([
      { op: 'member.add', key: 'bind', groupId: created.id!, memberIds: pupils.map((p) => p.id), role: 'member' },
      { op: 'user.update', key: 'uu', id: t.id, patch: { displayName: 'T. Teacher' } },
      { op: 'user.delete', key: 'ud', id: old.id },
      { op: 'group.update', key: 'gu', id: created.id!, patch: { description: 'everyone' } },
      { op: 'group.delete', key: 'gd', id: doomed.id },
      { op: 'member.remove', key: 'mr', groupId: cls.id, memberId: pupils[0].id, role: 'member' },
      { op: 'class.update', key: 'cu', id: cls.id, patch: { description: 'art' } },
      { op: 'class.add', key: 'ca', classId: cls.id, userId: pupils[2].id, role: 'member' },
      { op: 'class.add', key: 'ca-again', classId: cls.id, userId: t.id, role: 'teacher' },
      { op: 'event.update', key: 'eu', userId: t.id, id: ev.id, patch: { subject: 'Art (moved)' } },
      { op: 'mail.send', key: 'mail', from: t.id, message: { subject: 'rollcall', body: { contentType: 'text', content: 'done' }, toRecipients: [{ emailAddress: { address: `t@${DOMAIN}` } }] } },
    ]);
    expect(results.filter((r) => r.status !== 'done')).toEqual([]);
    expect(results.find((r) => r.key === 'ca-again')!.detail).toBe('already a member');
    expect(emu.state.groups.get(created.id!)!.members).toHaveLength(45);
    expect(emu.counts().byKind['PATCH groups/{id}']).toBeGreaterThanOrEqual(4); // 3 binds (+ replication retries) + update
    expect(emu.state.users.get(t.id)!.props.displayName).toBe('T. Teacher');
    expect(emu.state.users.get(old.id)!.deletedAt).toBeDefined();
    expect(emu.state.groups.has(doomed.id)).toBe(false);
    expect(emu.state.outbox).toHaveLength(1);
    expect(emu.state.groups.get(cls.id)!.members).toContain(pupils[2].id);

    const more = await tenant.writer.execute([
      { op: 'user.restore', key: 'ur', id: old.id },
      { op: 'class.remove', key: 'cr', classId: cls.id, userId: pupils[2].id, role: 'member' },
      { op: 'event.delete', key: 'ed', userId: t.id, id: ev.id },
      { op: 'class.delete', key: 'cd', id: cls.id },
      { op: 'user.delete', key: 'gone', id: 'no-such-user' },
    ]);
    expect(more.map((r) => [r.key, r.status])).toEqual([['ur', 'done'], ['cr', 'done'], ['ed', 'done'], ['cd', 'done'], ['gone', 'failed']]);
    expect(more[4].error).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
    expect(emu.state.users.get(old.id)!.deletedAt).toBeUndefined();
    expect(emu.state.events.has(ev.id)).toBe(false);
  });
});

describe('reading what the tenant is', () => {
  it('reads a non-Education tenant as such, and chooses calendars from the users just read', async () => {
    env = await local({ education: false });
    const { emu, tenant } = env;
    const a = emu.state.addUser({ userPrincipalName: `a@${DOMAIN}`, employeeId: 'bts:s1' });
    emu.state.addUser({ userPrincipalName: `b@${DOMAIN}` });
    emu.state.addEvent(a.id, { subject: 'x', start: { dateTime: '2026-01-05T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T10:00:00', timeZone: 'UTC' } }, [{ id: 'String {66f5a359-4659-4c5d-9d49-8a2a5a3a0c1e} Name rollcallKey', value: 'k1' }]);
    let offered: string[] = [];
    const snap = await tenant.reader.read({ education: true, calendar: { userIds: (users) => { offered = users.map((u) => u.userPrincipalName).sort(); return users.filter((u) => u.employeeId).map((u) => u.id); }, from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z' } });
    expect(snap.education).toBe(false);
    expect(snap.classes).toEqual([]);
    expect(offered).toEqual([`a@${DOMAIN}`, `b@${DOMAIN}`]);
    expect(snap.events.map((e) => [e.userId, e.tag])).toEqual([[a.id, 'k1']]);
    expect(emu.counts().byKind['GET users/{id}/calendarView']).toBe(1);
  });
});
