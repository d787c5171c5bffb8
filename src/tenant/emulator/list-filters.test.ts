// The $filters a partitioned read depends on, as Graph answers them: startswith on userPrincipalName in a default
// query (case-insensitive), $count only with ConsistencyLevel: eventual, and /groups/delta filtered by id only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { RawGraph } from '../../../test/support/emulator-kit.js';

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

describe('partitions of /users', () => {
  it('filters by the first character of the userPrincipalName in a default query, whatever its case', async () => {
    const mk = (upn: string) => emu.state.addUser({ userPrincipalName: `${upn}@rollcall.test` }).id;
    const [a1, a2] = [mk('Alpha'), mk('apple')];
    mk('beta');
    const hash = mk('#hash');
    const r = await g.get(`users?$select=id&$filter=${encodeURIComponent("startswith(userPrincipalName,'a')")}`);
    expect(r.status).toBe(200);
    expect(r.body.value.map((u: { id: string }) => u.id).sort()).toEqual([a1, a2].sort());
    const h = await g.get(`users?$select=id&$filter=${encodeURIComponent("startswith(userPrincipalName,'#')")}`);
    expect(h.body.value.map((u: { id: string }) => u.id)).toEqual([hash]);
  });

  it('counts only in an advanced query (ConsistencyLevel: eventual), as Entra does', async () => {
    expect((await g.get('users?$select=id&$top=1&$count=true')).status).toBe(400);
    const r = await g.get('users?$select=id&$top=1&$count=true', { ConsistencyLevel: 'eventual' });
    expect(r.status).toBe(200);
    expect(r.body['@odata.count']).toBe(emu.state.users.size);
  });
});

describe('/groups/delta and $filter', () => {
  it('takes a filter by id (id eq, joined by or) and tracks those groups only', async () => {
    const [x, y] = ['X', 'Y'].map((n) => emu.state.addGroup({ displayName: `Group ${n}` }).id);
    emu.state.addGroup({ displayName: 'Group Z' });
    const r = await g.get(`groups/delta?$select=id,displayName&$filter=${encodeURIComponent(`id eq '${x}' or id eq '${y}'`)}`);
    expect(r.status).toBe(200);
    expect(r.body.value.map((v: { id: string }) => v.id).sort()).toEqual([x, y].sort());
    expect(r.body['@odata.deltaLink']).toContain('$deltatoken=');
  });

  it('refuses any other filter (a name, startswith), so a delta sweep cannot be partitioned by filter', async () => {
    for (const f of ["startswith(displayName,'G')", "displayName eq 'Group X'", "id eq 'a' and displayName eq 'b'"]) {
      const r = await g.get(`groups/delta?$select=id&$filter=${encodeURIComponent(f)}`);
      expect(r.status, f).toBe(400);
      expect(r.body.error.code).toBe('Request_UnsupportedQuery');
    }
  });
});
