// A trust's first sync writes 100,000 accounts, 20,000 groups and 700,000 memberships into the local tenant: the
// emulator's own bookkeeping must cost the same per write whatever the tenant's size, or a benchmark of rollcall
// measures the emulator instead. These tests count the work (elements read), never the time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { RawGraph, newUser } from '../../../test/support/emulator-kit.js';

let emu: RunningEmulator;
let g: RawGraph;
beforeEach(async () => {
  emu = await startEmulator();
  g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
});
afterEach(async () => {
  g.close();
  await emu.stop();
});

/** An array that counts reads of its elements (includes, indexOf, spread, for…of all read them one by one). */
function counted(): { list: string[]; reads: () => number } {
  let reads = 0;
  const list = new Proxy<string[]>([], {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { list, reads: () => reads };
}

/** Sends calls in $batch requests of 20, as rollcall does; the inner answers in order. */
async function batched(calls: { method: string; url: string; body?: unknown }[]): Promise<{ status: number; body?: any }[]> {
  const out: { status: number; body?: any }[] = [];
  for (let i = 0; i < calls.length; i += 20) {
    const requests = calls.slice(i, i + 20).map((c, j) => ({ id: String(j), ...c, ...(c.body ? { headers: { 'Content-Type': 'application/json' } } : {}) }));
    const r = await g.post('$batch', { requests });
    expect(r.status).toBe(200);
    const byId = new Map((r.body.responses as { id: string; status: number; body?: unknown }[]).map((x) => [x.id, x]));
    out.push(...requests.map((q) => byId.get(q.id)!));
  }
  return out;
}

describe('emulator at a trust’s scale', () => {
  it('adds members to a large group with work linear in the members added, and still refuses a member twice', async () => {
    const n = 2000;
    const ids = Array.from({ length: n }, (_, i) => emu.state.addUser({ userPrincipalName: `p${i}@rollcall.test` }).id);
    const group = emu.state.addGroup({ displayName: 'All Students' });
    const { list, reads } = counted();
    group.members = list;
    const bind = (chunk: string[]) => ({ 'members@odata.bind': chunk.map((id) => `${emu.url}/v1.0/directoryObjects/${id}`) });
    const calls = [];
    for (let i = 0; i < n; i += 20) calls.push({ method: 'PATCH', url: `/groups/${group.id}`, body: bind(ids.slice(i, i + 20)) });
    const answers = await batched(calls);
    expect(answers.every((a) => a.status === 204)).toBe(true);
    expect(group.members).toHaveLength(n);
    expect(new Set(group.members)).toEqual(new Set(ids));
    // Each member checked against those already there by a walk: ~n²/2 reads (2,000,000 here) for the bind's
    // check and as many for the add. One index of the group's members: a few reads per member.
    expect(reads()).toBeLessThanOrEqual(4 * n);
    // Behaviour unchanged: an existing member is refused (in a bind and by $ref), a new one still goes in.
    const again = await g.patch(`groups/${group.id}`, bind([ids[1234]]));
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already exist/);
    expect((await g.post(`groups/${group.id}/members/$ref`, { '@odata.id': `${emu.url}/v1.0/directoryObjects/${ids[7]}` })).status).toBe(400);
    const late = emu.state.addUser({ userPrincipalName: 'late@rollcall.test' }).id;
    expect((await g.post(`groups/${group.id}/members/$ref`, { '@odata.id': `${emu.url}/v1.0/directoryObjects/${late}` })).status).toBe(204);
    // A list changed behind the index's back (as a test seeds one) is seen as it is.
    group.members.push('seeded-member');
    expect(emu.state.isMember(group, 'seeded-member', 'members')).toBe(true);
    expect((await g.delete(`groups/${group.id}/members/${late}/$ref`)).status).toBe(204);
    expect(emu.state.isMember(group, late, 'members')).toBe(false);
    expect(group.members).toHaveLength(n + 1);
  });

  it('keeps mail-enabled nicknames and addresses unique without walking every group per create', async () => {
    const n = 300;
    let walked = 0;
    const groups = emu.state.groups;
    const values = groups.values.bind(groups);
    groups.values = function* counting() { for (const v of values()) { walked++; yield v; } } as typeof groups.values;
    // Groups and accounts interleaved, as a rerun of a half-done first sync sends them: every account's address is
    // checked against the groups' addresses, every group's nickname against the other groups'.
    const calls = [];
    for (let i = 0; i < n; i++) {
      calls.push({ method: 'POST', url: '/groups', body: { displayName: `Class ${i}`, groupTypes: ['Unified'], mailEnabled: true, mailNickname: `class-${i}`, securityEnabled: false } });
      calls.push({ method: 'POST', url: '/users', body: newUser(`pupil${i}`) });
    }
    const answers = await batched(calls);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    // A walk per create reads ~n²/2 groups (45,000 here); an index kept as groups are written reads none.
    expect(walked).toBeLessThanOrEqual(2 * n);
    groups.values = values;
    // Behaviour unchanged: a nickname is taken whatever its case, an account may not take a group's address …
    const dup = await g.post('groups', { displayName: 'Dup', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'CLASS-17', securityEnabled: false });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details[0]).toMatchObject({ code: 'ObjectConflict', target: 'mailNickname' });
    const taken = await g.post('users', newUser('class-18'));
    expect(taken.status).toBe(400);
    expect(taken.body.error.details[0]).toMatchObject({ code: 'ObjectConflict', target: 'proxyAddresses' });
    // … a renamed group frees its old nickname and takes the new one, and security groups may share one.
    const id = answers[2 * 5].body.id;
    expect((await g.patch(`groups/${id}`, { mailNickname: 'renamed-5' })).status).toBe(204);
    expect((await g.post('groups', { displayName: 'Again', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'class-5', securityEnabled: false })).status).toBe(201);
    expect((await g.post('groups', { displayName: 'Clash', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'Renamed-5', securityEnabled: false })).status).toBe(400);
    const sec = { displayName: 'Sec', mailEnabled: false, mailNickname: 'class-6', securityEnabled: true };
    expect((await g.post('groups', sec)).status).toBe(201);
    // A group seeded straight into the state (no write through Graph) is seen too.
    emu.state.addGroup({ displayName: 'Seeded', mailNickname: 'seeded', groupTypes: ['Unified'], mailEnabled: true, mail: 'seeded@rollcall.test' });
    expect((await g.post('groups', { displayName: 'S2', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'SEEDED', securityEnabled: false })).status).toBe(400);
  });
});
