// Contract: waiting for new teams through the real Graph client against the emulator. Teams answers a team create
// with 202 and an operation; rollcall confirms the teams of a run from shared reads of the list of teams, each team
// only once a list read begun after its create shows it, and asks an operation itself when its team is not listed,
// so a failed one is reported with Teams' error.
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantOp } from '../../src/tenant/types.js';
import { ROLLCALL_PERMISSIONS } from '../../src/tenant/permissions.js';
import { DOMAIN, local, type Local } from './harness.js';

let env: Local | undefined;
afterEach(async () => { await env?.close(); env = undefined; });

const OPERATION = 'GET teams/{id}/operations/{id}';

function classes(l: Local, n: number): string[] {
  const owner = l.emu.state.addUser({ userPrincipalName: `owner@${DOMAIN}` });
  return Array.from({ length: n }, (_, i) => l.emu.state.addClass({ displayName: `Class ${i}`, mailNickname: `rc-c${i}`, externalId: `bts:c${i}`, teachers: [owner.id] }).id);
}

const creates = (ids: string[]): TenantOp[] => ids.map((id, i) => ({ op: 'team.create', key: `team${i}`, groupId: id }));

describe('new teams', () => {
  it('confirms a run\'s new teams from shared reads of the list of teams, not one operation each', async () => {
    env = await local({ teamProvisioningMs: 20 });
    const ids = classes(env, 24);
    env.emu.resetCounts();
    const results = await env.tenant.writer.execute(creates(ids));
    expect(results).toEqual(ids.map((id, i) => ({ key: `team${i}`, status: 'done', id })));
    for (const id of ids) expect(env.emu.state.teams.get(id)).toBeDefined();
    const kinds = env.emu.counts().byKind;
    expect(kinds['POST teams']).toBe(24);
    expect(kinds[OPERATION] ?? 0).toBe(0);
    // 24 teams sent together: one or two list reads (a second when a read began before the last create was accepted).
    expect(kinds['GET teams']).toBeGreaterThanOrEqual(1);
    expect(kinds['GET teams']).toBeLessThanOrEqual(3);
  });

  it('reports a team whose operation failed as failed with Teams\' error, and the others done', async () => {
    env = await local({ teamProvisioningMs: 20 });
    const ids = classes(env, 6);
    env.emu.state.teamFailures.set(ids[2], { code: 'TeamProvisioningFailed', message: 'Team provisioning failed for this group.' });
    const results = await env.tenant.writer.execute(creates(ids));
    expect(results[2]).toEqual({
      key: 'team2', status: 'failed', id: ids[2], detail: 'the Teams operation failed',
      error: { status: 200, code: 'TeamProvisioningFailed', message: 'Team provisioning failed for this group.' },
    });
    expect(results.filter((r) => r.status === 'done').map((r) => r.key)).toEqual(['team0', 'team1', 'team3', 'team4', 'team5']);
    expect(env.emu.state.teams.has(ids[2])).toBe(false);
    // Only the team the list never showed had its own operation read.
    expect(env.emu.counts().byKind[OPERATION]).toBeGreaterThanOrEqual(1);
  });

  it('never confirms a team the list does not show: one still provisioning at the time limit is reported accepted', async () => {
    // The harness polls after 50, 100, 200, 400 and 800 ms: 1.55 s in all, far less than 60 s of provisioning.
    env = await local({ teamProvisioningMs: 60_000 });
    const ids = classes(env, 2);
    const results = await env.tenant.writer.execute(creates(ids));
    expect(results).toEqual(ids.map((id, i) => ({ key: `team${i}`, status: 'done', id, detail: 'accepted; Teams is still provisioning it' })));
  });

  it('confirms a slow team once the list shows it, after reads that did not', async () => {
    env = await local({ teamProvisioningMs: 250 });
    const ids = classes(env, 3);
    env.emu.resetCounts();
    const results = await env.tenant.writer.execute(creates(ids));
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(results.some((r) => r.detail)).toBe(false);
    expect(env.emu.counts().byKind['GET teams']).toBeGreaterThanOrEqual(2);
  });

  it('reads each team\'s own operation when the list of teams cannot be read (an app without Team.ReadBasic.All)', async () => {
    // GET /teams needs Team.ReadBasic.All or TeamSettings.*; an operation is also readable with Group.ReadWrite.All.
    const permissions = ROLLCALL_PERMISSIONS.filter((p) => !['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All'].includes(p));
    env = await local({ teamProvisioningMs: 20, permissions: [...permissions, 'Domain.Read.All', 'Organization.Read.All'] });
    const ids = classes(env, 3);
    env.emu.state.teamFailures.set(ids[1], { code: 'TeamProvisioningFailed', message: 'Team provisioning failed.' });
    env.emu.resetCounts();
    const results = await env.tenant.writer.execute(creates(ids));
    expect(results.map((r) => [r.key, r.status, r.error?.code])).toEqual([['team0', 'done', undefined], ['team1', 'failed', 'TeamProvisioningFailed'], ['team2', 'done', undefined]]);
    expect(results.some((r) => r.detail === 'accepted; Teams is still provisioning it')).toBe(false);
    // The list was refused, so the first look at each team was its operation (no second round of refused reads).
    expect(env.emu.counts().byKind['GET teams/{id}/operations/{id}']).toBe(3);
    expect(env.emu.counts().byKind['GET teams']).toBe(1);
  });
});
