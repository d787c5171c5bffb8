// The permissions table: what a request needs, read from its URL and body as rollcall sends it.
import { describe, expect, it } from 'vitest';
import { batchRoutes } from './emulator/batch.js';
import { directoryRoutes } from './emulator/directory.js';
import { groupRoutes } from './emulator/groups.js';
import { extraRoutes } from './emulator/routes.js';
import { userRoutes } from './emulator/users.js';
import { OPERATION_PERMISSIONS, operationOf, permissionToGrant, requirementsOfRequest, rolesOfToken, unmet } from './permissions.js';
import { graphNeeds } from './needs.js';

describe('the permissions table', () => {
  it('names permissions for every operation the local tenant serves (an operation missing from it would go unchecked)', () => {
    const routes = [...userRoutes, ...groupRoutes, ...directoryRoutes, ...batchRoutes, ...extraRoutes];
    expect(routes.map((r) => `${r.method} ${r.pattern}`).filter((k) => !(k in OPERATION_PERMISSIONS))).toEqual([]);
  });

  it('finds the operation of a URL as rollcall sends it: relative, absolute (a nextLink), with a query, literal before {id}', () => {
    expect(operationOf('GET', 'users/delta')).toEqual({ method: 'GET', pattern: 'users/delta' });
    expect(operationOf('get', 'users/abc')).toEqual({ method: 'GET', pattern: 'users/{id}' });
    const leave = requirementsOfRequest({ method: 'GET', url: 'https://graph.microsoft.com/v1.0/users?$select=id,employeeLeaveDateTime&$skiptoken=x' });
    expect(leave.map((r) => r.what)).toEqual(['GET users', 'employeeLeaveDateTime (read)']);
    expect(requirementsOfRequest({ method: 'GET', url: '/users?$select=id' }).map((r) => r.what)).toEqual(['GET users']);
    expect(requirementsOfRequest({ method: 'POST', url: '/no/such/thing' })).toEqual([]);
  });

  it('asks for User-LifeCycleInfo.ReadWrite.All with a read permission for the leave date alone, with the write permission beside other properties', () => {
    const alone = requirementsOfRequest({ method: 'PATCH', url: '/users/u1', body: { employeeLeaveDateTime: null } });
    expect(alone.map((r) => permissionToGrant(r))).toEqual(['User-LifeCycleInfo.ReadWrite.All', 'User.ReadWrite.All']);
    expect(unmet(alone, ['User-LifeCycleInfo.ReadWrite.All', 'User.Read.All'])).toEqual([]);
    expect(unmet(alone, ['User.ReadWrite.All', 'Directory.ReadWrite.All']).map((r) => r.what)).toEqual(['employeeLeaveDateTime (write)']);
    const both = requirementsOfRequest({ method: 'PATCH', url: '/users/u1', body: { employeeLeaveDateTime: null, accountEnabled: false } });
    expect(unmet(both, ['User-LifeCycleInfo.ReadWrite.All', 'User.Read.All']).map((r) => r.what)).toEqual(['PATCH users/{id}']);
    // Reads name the least privileged permission when asked to prefer none.
    expect(permissionToGrant(requirementsOfRequest({ method: 'GET', url: '/groups/delta' })[0], [])).toBe('GroupMember.Read.All');
  });

  it('reads the roles claim of a token without trusting it for anything else', () => {
    const token = (payload: unknown) => `${Buffer.from('{}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    expect(rolesOfToken(token({ roles: ['User.Read.All', 7] }))).toEqual(['User.Read.All']);
    expect(rolesOfToken(token({}))).toEqual([]);
    expect(rolesOfToken('opaque')).toEqual([]);
  });

  it('knows every request a configuration makes', () => {
    const all = graphNeeds({ usersMode: 'create', deletesUsers: true, groups: true, education: true, classes: true, teams: true, archivesTeams: true, calendar: true, summaryMail: true, guardians: true, licences: true });
    expect(all.filter((n) => !requirementsOfRequest(n.request).length).map((n) => `${n.request.method} ${n.request.url}`)).toEqual([]);
  });
});
