import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { RawGraph, newUser } from '../../../test/support/emulator-kit.js';

let emu: RunningEmulator;
let g: RawGraph;
beforeAll(async () => {
  emu = await startEmulator();
  g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
});
afterAll(async () => {
  g.close();
  await emu.stop();
});

describe('users', () => {
  it('creates, reads, patches and lists a user; employeeId only with $select', async () => {
    const r = await g.post('users', newUser('ada.lovelace', { employeeId: 'bts:s1001', employeeType: 'Student' }));
    expect(r.status).toBe(201);
    expect(r.body.userPrincipalName).toBe('ada.lovelace@rollcall.test');
    expect(r.body).not.toHaveProperty('employeeId');
    expect(r.body).not.toHaveProperty('passwordProfile');
    const id = r.body.id;
    const one = await g.get(`users/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('employeeId');
    const sel = await g.get(`users/${id}?$select=id,employeeId,accountEnabled`);
    expect(sel.body).toMatchObject({ id, employeeId: 'bts:s1001', accountEnabled: true });
    expect(sel.body).not.toHaveProperty('displayName');
    expect((await g.patch(`users/${id}`, { accountEnabled: false })).status).toBe(204);
    const byUpn = await g.get(`users/ada.lovelace@rollcall.test?$select=accountEnabled`);
    expect(byUpn.body.accountEnabled).toBe(false);
    const f = await g.get(`users?$filter=employeeId eq 'bts:s1001'&$select=id,employeeId`);
    expect(f.body.value).toEqual([{ id, employeeId: 'bts:s1001' }]);
    const s = await g.get(`users?$filter=startswith(userPrincipalName,'ADA.')&$select=userPrincipalName`);
    expect(s.body.value).toEqual([{ userPrincipalName: 'ada.lovelace@rollcall.test' }]);
  });

  it('refuses a duplicate userPrincipalName with Graph message and ObjectConflict', async () => {
    await g.post('users', newUser('dup'));
    const r = await g.post('users', newUser('DUP'));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('Request_BadRequest');
    expect(r.body.error.message).toBe('Another object with the same value for property userPrincipalName already exists.');
    expect(r.body.error.details[0]).toMatchObject({ code: 'ObjectConflict', target: 'userPrincipalName' });
    expect(r.body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses unverified domains, weak passwords, bad UPNs, long employeeId, missing properties', async () => {
    const dom = await g.post('users', newUser('x1', {}, 'elsewhere.test'));
    expect(dom.status).toBe(400);
    expect(dom.body.error.message).toMatch(/^The domain portion of the userPrincipalName property is invalid/);
    const pw = await g.post('users', newUser('x2', { passwordProfile: { password: 'password' } }));
    expect(pw.body.error.message).toBe('The specified password does not comply with password complexity requirements. Please provide a different password.');
    const acc = await g.post('users', newUser('x3', { userPrincipalName: 'zoë@rollcall.test' }));
    expect(acc.body.error.message).toBe("Invalid value specified for property 'userPrincipalName' of resource 'User'.");
    const long = await g.post('users', newUser('x4', { userPrincipalName: `${'a'.repeat(65)}@rollcall.test` }));
    expect(long.status).toBe(400);
    const emp = await g.post('users', newUser('x5', { employeeId: '12345678901234567' }));
    expect(emp.body.error.message).toBe("Invalid value specified for property 'employeeId' of resource 'User'.");
    const { mailNickname: _m, ...noNick } = newUser('x6');
    expect((await g.post('users', noNick)).status).toBe(400);
  });

  it('validates bodies against the CSDL: unknown and wrongly typed properties are 400', async () => {
    const unknown = await g.post('users', newUser('v1', { favouriteColour: 'blue' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^The property 'favouriteColour' does not exist on type 'microsoft.graph.user'/);
    const typed = await g.post('users', newUser('v2', { accountEnabled: 'yes' }));
    expect(typed.status).toBe(400);
    expect(typed.body.error.message).toBe("Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
    const nested = await g.patch('users/00000000-0000-0000-0000-000000000000', { passwordProfile: { pasword: 'x' } });
    expect(nested.status).toBe(400);
    expect(nested.body.error.message).toMatch(/'pasword' does not exist on type 'microsoft.graph.passwordProfile'/);
  });

  it('answers 404 Request_ResourceNotFound for unknown ids and 400 for unknown segments', async () => {
    const r = await g.get('users/4f1c0b7e-0000-4000-8000-000000000000');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('Request_ResourceNotFound');
    expect(r.body.error.message).toBe("Resource '4f1c0b7e-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present.");
    const seg = await g.get('userz');
    expect(seg.status).toBe(400);
    expect(seg.body.error.message).toBe("Resource not found for the segment 'userz'.");
  });

  it('pages with $top and @odata.nextLink, refuses $top over 999', async () => {
    for (let i = 0; i < 7; i++) emu.state.addUser({ userPrincipalName: `page${i}@rollcall.test`, employeeId: `p${i}` });
    const seen: string[] = [];
    let link: string | undefined = `users?$top=3&$select=userPrincipalName&$filter=startswith(userPrincipalName,'page')`;
    let pages = 0;
    while (link) {
      const r: any = await g.get(link);
      expect(r.status).toBe(200);
      seen.push(...r.body.value.map((u: any) => u.userPrincipalName));
      link = r.body['@odata.nextLink'];
      if (link) expect(link.startsWith(`${emu.url}/v1.0/users?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const big = await g.get('users?$top=1000');
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('Request_UnsupportedQuery');
  });

  it('needs ConsistencyLevel: eventual for ne and $count', async () => {
    const r = await g.get(`users?$filter=accountEnabled ne false`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('Request_UnsupportedQuery');
    const ext = await g.get(`users?$filter=onPremisesExtensionAttributes/extensionAttribute1 eq 'x'`);
    expect(ext.status).toBe(400);
    const extOk = await g.get(`users?$filter=onPremisesExtensionAttributes/extensionAttribute1 eq 'x'&$count=true`, { ConsistencyLevel: 'eventual' });
    expect(extOk.status).toBe(200);
    const ok = await g.get(`users?$filter=accountEnabled ne false&$count=true`, { ConsistencyLevel: 'eventual' });
    expect(ok.status).toBe(200);
    expect(ok.body['@odata.count']).toBe(ok.body.value.length);
  });

  it('soft-deletes users to deletedItems and restores them', async () => {
    const u = (await g.post('users', newUser('leaver'))).body;
    expect((await g.delete(`users/${u.id}`)).status).toBe(204);
    expect((await g.get(`users/${u.id}`)).status).toBe(404);
    const again = await g.post('users', newUser('leaver'));
    expect(again.status).toBe(400); // the deleted user still holds its address
    const del = await g.get('directory/deletedItems/microsoft.graph.user?$select=id,userPrincipalName');
    expect(del.body.value).toContainEqual({ id: u.id, userPrincipalName: 'leaver@rollcall.test' });
    const res = await g.post(`directory/deletedItems/${u.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(u.id);
    expect((await g.get(`users/${u.id}`)).status).toBe(200);
  });
});

describe('groups', () => {
  it('creates security and Microsoft 365 groups, binds up to 20, refuses 21', async () => {
    const users = Array.from({ length: 21 }, (_, i) => emu.state.addUser({ userPrincipalName: `gm${i}@rollcall.test` }).id);
    const bind = (ids: string[]) => ids.map((id) => `${emu.url}/v1.0/directoryObjects/${id}`);
    const sec = await g.post('groups', { displayName: 'Year 7', mailEnabled: false, mailNickname: 'rc-year7', securityEnabled: true, 'members@odata.bind': bind(users.slice(0, 19)), 'owners@odata.bind': bind(users.slice(19, 20)) });
    expect(sec.status).toBe(201);
    const members = await g.get(`groups/${sec.body.id}/members?$select=id&$top=10`);
    expect(members.body.value).toHaveLength(10);
    expect(members.body['@odata.nextLink']).toBeDefined();
    expect(members.body.value[0]['@odata.type']).toBe('#microsoft.graph.user');
    const tooMany = await g.post('groups', { displayName: 'Too many', mailEnabled: false, mailNickname: 'rc-many', securityEnabled: true, 'members@odata.bind': bind(users) });
    expect(tooMany.status).toBe(400);
    const m365 = await g.post('groups', { displayName: 'Staff', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'rc-staff', securityEnabled: false, 'owners@odata.bind': bind(users.slice(0, 1)) });
    expect(m365.status).toBe(201);
    expect(m365.body.mail).toBe('rc-staff@rollcall.test');
    const dupNick = await g.post('groups', { displayName: 'Staff 2', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'RC-STAFF', securityEnabled: false });
    expect(dupNick.status).toBe(400);
    expect(dupNick.body.error.details[0].code).toBe('ObjectConflict');
    const badNick = await g.post('groups', { displayName: 'Bad', mailEnabled: false, mailNickname: 'has space', securityEnabled: true });
    expect(badNick.body.error.message).toBe("Invalid value specified for property 'mailNickname' of resource 'Group'.");
    const byNick = await g.get(`groups?$filter=mailNickname eq 'rc-year7'&$select=id,displayName`);
    expect(byNick.body.value).toEqual([{ id: sec.body.id, displayName: 'Year 7' }]);
  });

  it('keeps addresses unique across users and mail-enabled groups (proxyAddresses)', async () => {
    emu.state.addUser({ userPrincipalName: 'year7maths@rollcall.test' });
    const grp = await g.post('groups', { displayName: 'Y7 Maths', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'year7maths', securityEnabled: false });
    expect(grp.status).toBe(400);
    expect(grp.body.error.message).toBe('Another object with the same value for property proxyAddresses already exists.');
    // A security group has no address, so it may use the nickname.
    expect((await g.post('groups', { displayName: 'Y7 Maths', mailEnabled: false, mailNickname: 'year7maths', securityEnabled: true })).status).toBe(201);
    expect((await g.post('groups', { displayName: 'Staff room', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'staffroom', securityEnabled: false })).status).toBe(201);
    const user = await g.post('users', newUser('staffroom'));
    expect(user.status).toBe(400);
    expect(user.body.error.details[0]).toMatchObject({ code: 'ObjectConflict', target: 'proxyAddresses' });
  });

  it('adds and removes members by $ref with Graph errors', async () => {
    const u = emu.state.addUser({ userPrincipalName: 'ref1@rollcall.test' });
    const grp = emu.state.addGroup({ displayName: 'Ref group', mailNickname: 'rc-ref' });
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}` };
    expect((await g.post(`groups/${grp.id}/members/$ref`, ref)).status).toBe(204);
    const dup = await g.post(`groups/${grp.id}/members/$ref`, ref);
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toBe("One or more added object references already exist for the following modified properties: 'members'.");
    const missing = await g.post(`groups/${grp.id}/members/$ref`, { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/0a0a0a0a-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    expect((await g.delete(`groups/${grp.id}/members/${u.id}/$ref`)).status).toBe(204);
    expect((await g.delete(`groups/${grp.id}/members/${u.id}/$ref`)).status).toBe(404);
    const patch = await g.patch(`groups/${grp.id}`, { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${u.id}`] });
    expect(patch.status).toBe(204);
    expect(grp.members).toEqual([u.id]);
  });

  it('soft-deletes Microsoft 365 groups and deletes security groups at once', async () => {
    const m = emu.state.addGroup({ displayName: 'M', mailNickname: 'rc-m', groupTypes: ['Unified'] });
    const s = emu.state.addGroup({ displayName: 'S', mailNickname: 'rc-s' });
    expect((await g.delete(`groups/${m.id}`)).status).toBe(204);
    expect((await g.delete(`groups/${s.id}`)).status).toBe(204);
    expect((await g.get(`directory/deletedItems/${m.id}`)).status).toBe(200);
    expect((await g.get(`directory/deletedItems/${s.id}`)).status).toBe(404);
    expect((await g.post(`directory/deletedItems/${m.id}/restore`)).status).toBe(200);
    expect((await g.get(`groups/${m.id}`)).status).toBe(200);
  });
});

describe('query options', () => {
  it('caps $expand=members at 20, as Graph does, and walks transitiveMembers', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => emu.state.addUser({ userPrincipalName: `exp${i}@rollcall.test` }).id);
    const inner = emu.state.addGroup({ displayName: 'Inner', mailNickname: 'rc-inner', members: ids.slice(20) });
    const big = emu.state.addGroup({ displayName: 'Big', mailNickname: 'rc-big', members: [...ids.slice(0, 22), inner.id] });
    const r = await g.get(`groups/${big.id}?$select=id&$expand=members($select=id)`);
    expect(r.body.members).toHaveLength(20);
    expect(r.body.members[0]).toEqual({ '@odata.type': '#microsoft.graph.user', id: ids[0] });
    const t = await g.get(`groups/${big.id}/transitiveMembers?$select=id&$top=999`);
    expect(t.body.value).toHaveLength(26); // 25 users once each, plus the nested group
    expect((await g.get(`groups/${big.id}?$expand=manager`)).status).toBe(400);
  });

  it('supports $orderby and $search (with ConsistencyLevel: eventual)', async () => {
    emu.state.addUser({ userPrincipalName: 'zed.search@rollcall.test', displayName: 'Zed Search' });
    emu.state.addUser({ userPrincipalName: 'amy.search@rollcall.test', displayName: 'Amy Search' });
    const plain = await g.get('users?$search="displayName:search"');
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toMatch(/ConsistencyLevel: eventual/);
    const r = await g.get('users?$search="displayName:search"&$orderby=displayName desc&$select=displayName', { ConsistencyLevel: 'eventual' });
    expect(r.body.value).toEqual([{ displayName: 'Zed Search' }, { displayName: 'Amy Search' }]);
  });

  it('purges deletedItems after 30 days', () => {
    const u = emu.state.addUser({ userPrincipalName: 'old.leaver@rollcall.test' });
    u.deletedAt = Date.now() - 31 * 24 * 3600 * 1000;
    expect(emu.state.purgeDeleted(Date.now())).toBeGreaterThanOrEqual(1);
    expect(emu.state.users.has(u.id)).toBe(false);
    expect(emu.state.tombstones.at(-1)).toMatchObject({ id: u.id, type: 'user' });
  });
});

describe('$batch', () => {
  it('runs up to 20 requests, answers dependents of a failure with 424, refuses 21 and duplicate ids', async () => {
    const requests = [
      { id: '1', method: 'POST', url: '/users', headers: { 'Content-Type': 'application/json' }, body: newUser('b1') },
      { id: '2', method: 'POST', url: '/users', headers: { 'Content-Type': 'application/json' }, body: newUser('b1'), dependsOn: ['1'] },
      { id: '3', method: 'GET', url: '/users/b1@rollcall.test?$select=id', dependsOn: ['2'] },
      { id: '4', method: 'GET', url: '/domains' },
    ];
    const r = await g.post('$batch', { requests });
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    expect(by['1'].status).toBe(201);
    expect(by['2'].status).toBe(400);
    expect(by['2'].body.error.message).toBe('Another object with the same value for property userPrincipalName already exists.');
    expect(by['3'].status).toBe(424);
    expect(by['4'].status).toBe(200);
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/domains' }));
    expect((await g.post('$batch', { requests: many })).status).toBe(400);
    expect((await g.post('$batch', { requests: many.slice(0, 20) })).status).toBe(200);
    const dup = await g.post('$batch', { requests: [many[0], many[0]] });
    expect(dup.status).toBe(400);
    const noType = await g.post('$batch', { requests: [{ id: '1', method: 'POST', url: '/users', body: newUser('b2') }] });
    expect(noType.status).toBe(400);
    expect(noType.body.error.message).toBe('Write request id : 1 does not contain Content-Type header or body.');
  });

  it('counts requests by method and path kind, batch inner requests too', async () => {
    emu.resetCounts();
    await g.get('users?$top=1');
    await g.post('$batch', { requests: [{ id: 'a', method: 'GET', url: 'users?$top=1' }, { id: 'b', method: 'GET', url: '/groups' }] });
    const c = emu.counts();
    expect(c.total).toBe(2);
    expect(c.byKind['GET users']).toBe(2);
    expect(c.byKind['GET groups']).toBe(1);
    expect(c.byKind['POST $batch']).toBe(1);
    expect(c.batchInner).toBe(2);
  });
});
