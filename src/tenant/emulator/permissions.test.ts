// Application permissions as Graph enforces them: the token's `roles` against the permissions each operation (and
// employeeLeaveDateTime, read or written) needs, answered with Graph's 403 before anything is read or written.
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './index.js';
import { RawGraph, newUser } from '../../../test/support/emulator-kit.js';
import { ROLLCALL_PERMISSIONS, rolesOfToken } from '../permissions.js';

const running: { emu: RunningEmulator; g: RawGraph[] }[] = [];
async function start(opts: EmulatorOptions = {}) {
  const emu = await startEmulator(opts);
  const entry = { emu, g: [] as RawGraph[] };
  running.push(entry);
  /** A client whose bearer token carries exactly these roles (issued by the emulator, as its token endpoint would). */
  const as = (roles?: readonly string[]) => {
    const g = new RawGraph(`${emu.url}/v1.0`, emu.ca, emu.issueToken('app-perms', roles));
    entry.g.push(g);
    return g;
  };
  return { emu, as };
}
afterAll(async () => {
  for (const { emu, g } of running) {
    for (const c of g) c.close();
    await emu.stop();
  }
});

const denied = {
  error: {
    code: 'Authorization_RequestDenied',
    message: 'Insufficient privileges to complete the operation.',
    innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) },
  },
};

describe('application permissions', () => {
  it('issues tokens whose roles are the granted permissions (default: everything rollcall needs)', async () => {
    const { emu } = await start();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: 's', scope: 'https://graph.microsoft.com/.default' });
    const g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
    try {
      const tok = await g.call('POST', `${emu.url}/${emu.state.tenantId}/oauth2/v2.0/token`, form.toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });
      expect(rolesOfToken(tok.body.access_token)).toEqual(expect.arrayContaining([...ROLLCALL_PERMISSIONS]));
    } finally {
      g.close();
    }
    const narrow = await start({ permissions: ['User.Read.All'] });
    expect(rolesOfToken(narrow.emu.issueToken())).toEqual(['User.Read.All']);
  });

  it('answers 403 Authorization_RequestDenied without any of the documented permissions, and nothing changes', async () => {
    const { emu, as } = await start();
    const reader = as(['User.Read.All']);
    expect((await reader.get('users?$select=id,displayName')).status).toBe(200);
    const create = await reader.post('users', newUser('nope'));
    expect(create.status).toBe(403);
    expect(create.body).toEqual(denied);
    expect(emu.state.users.size).toBe(0);
    // Any of the documented permissions will do, least or most privileged.
    expect((await as(['Directory.Read.All']).get('users')).status).toBe(200);
    expect((await as(['Directory.ReadWrite.All']).post('users', newUser('yes'))).status).toBe(201);
    expect((await as(['Mail.Send']).get('groups')).status).toBe(403);
    expect((await as(['GroupMember.Read.All']).get('groups')).status).toBe(200);
    expect((await as([]).get('users')).status).toBe(403);
  });

  it('needs User-LifeCycleInfo.ReadWrite.All (with User.Read.All) to write employeeLeaveDateTime, User-LifeCycleInfo.Read.All to select it', async () => {
    const { emu, as } = await start();
    const u = emu.state.addUser({ userPrincipalName: 'leaver@rollcall.test' });
    const leave = { employeeLeaveDateTime: '2026-11-30T00:00:00Z' };

    const writer = as(['User.ReadWrite.All']);
    expect((await writer.patch(`users/${u.id}`, { jobTitle: 'x' })).status).toBe(204);
    const refused = await writer.patch(`users/${u.id}`, leave);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(denied);
    // Directory.ReadWrite.All does not cover it either.
    expect((await as(['Directory.ReadWrite.All']).patch(`users/${u.id}`, leave)).status).toBe(403);
    // The lifecycle permission alone is not enough: the docs pair it with User.Read.All.
    expect((await as(['User-LifeCycleInfo.ReadWrite.All']).patch(`users/${u.id}`, leave)).status).toBe(403);
    expect((await as(['User-LifeCycleInfo.ReadWrite.All', 'User.Read.All']).patch(`users/${u.id}`, leave)).status).toBe(204);
    // With other properties in the same body, those need their own write permission.
    expect((await as(['User-LifeCycleInfo.ReadWrite.All', 'User.Read.All']).patch(`users/${u.id}`, { ...leave, accountEnabled: false })).status).toBe(403);
    expect((await as(['User-LifeCycleInfo.ReadWrite.All', 'User.ReadWrite.All']).patch(`users/${u.id}`, { ...leave, accountEnabled: false })).status).toBe(204);

    const select = 'users?$select=id,employeeLeaveDateTime';
    expect((await as(['User.ReadWrite.All']).get(select)).status).toBe(403);
    expect((await as(['User.ReadWrite.All']).get('users?$select=id')).status).toBe(200);
    expect((await as(['User.Read.All', 'User-LifeCycleInfo.Read.All']).get(select)).status).toBe(200);
    expect((await as(['User.Read.All', 'User-LifeCycleInfo.Read.All']).get(`users/${u.id}?$select=employeeLeaveDateTime`)).body.employeeLeaveDateTime).toBe('2026-11-30T00:00:00Z');
    expect((await as(['User.Read.All']).get(`users/delta?$select=id,employeeLeaveDateTime`)).status).toBe(403);
  });

  it('checks each request inside a $batch with the outer token', async () => {
    const { emu, as } = await start();
    const u = emu.state.addUser({ userPrincipalName: 'b@rollcall.test' });
    const r = await as(['User.Read.All']).post('$batch', {
      requests: [
        { id: '1', method: 'GET', url: `/users/${u.id}?$select=id` },
        { id: '2', method: 'PATCH', url: `/users/${u.id}`, headers: { 'Content-Type': 'application/json' }, body: { jobTitle: 'x' } },
      ],
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    expect(byId['1'].status).toBe(200);
    expect(byId['2'].status).toBe(403);
    expect(byId['2'].body.error.code).toBe('Authorization_RequestDenied');
  });

  it('grants any bearer string the configured permissions when tokens are not checked, never more', async () => {
    const { emu } = await start({ permissions: ['User.Read.All'] });
    const g = new RawGraph(`${emu.url}/v1.0`, emu.ca, 'not-a-jwt');
    try {
      expect((await g.get('users')).status).toBe(200);
      expect((await g.post('users', newUser('x'))).status).toBe(403);
    } finally {
      g.close();
    }
  });
});
