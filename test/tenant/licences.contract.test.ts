// Licences assigned directly, through rollcall's real Graph code against the emulator: the reader lists
// /subscribedSkus and the accounts' assignedLicenses (only when asked), a refused or malformed SKU read becomes
// "unread, with the reason"; the writer's assignLicense meets Graph's refusals (unknown SKU, no unit left, no usage
// location) as failed changes, and units consumed follow what is assigned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient } from '../../src/tenant/graph/client.js';
import { tenantOverGraph, type TenantInternals } from '../../src/tenant/index.js';
import type { Snapshot, TenantSku } from '../../src/tenant/types.js';
import { ROLLCALL_PERMISSIONS } from '../../src/tenant/permissions.js';
import { graphError, startGraphProxy, type GraphProxy } from '../resilience/graph-proxy.js';
import { anyToken, DOMAIN, userBody } from './harness.js';

let emu: RunningEmulator;
let proxy: GraphProxy;
let tenant: TenantInternals;
let located: string;
let unlocated: string;

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN], licences: { STANDARDWOFFPACK_STUDENT: 2, STANDARDWOFFPACK_FACULTY: 5 } });
  located = emu.state.addUser({ userPrincipalName: `p1@${DOMAIN}`, usageLocation: 'GB' }).id;
  unlocated = emu.state.addUser({ userPrincipalName: `p2@${DOMAIN}` }).id;
  proxy = await startGraphProxy(emu.url, emu.ca);
  const graph = createGraphClient({ credential: anyToken, graphUrl: proxy.url, ca: proxy.ca, timeoutMs: 5000 });
  tenant = tenantOverGraph(graph, {
    domains: [DOMAIN], education: false, log: memoryLogger(), writesPerSecond: 10_000, concurrency: 2,
    replicationDelaysMs: [20, 40], retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
});

afterAll(async () => {
  await tenant?.close();
  await proxy?.close();
  await emu?.stop();
});

const read = () => tenant.reader.read({ education: false, licences: true });
const skus = (s: Snapshot): Map<string, TenantSku> => {
  const r = s.licences!;
  if ('unread' in r) throw new Error(`unread: ${r.unread}`);
  return new Map(r.skus.map((k) => [k.skuPartNumber, k]));
};

describe('licences over Graph', () => {
  it('reads the SKUs with stable ids, units and service plans; accounts\' licences only when asked', async () => {
    proxy.rule = {};
    const s = await read();
    const student = skus(s).get('STANDARDWOFFPACK_STUDENT')!;
    expect(student).toMatchObject({ enabled: 2, consumed: 0 });
    expect(student.skuId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(student.servicePlans.map((p) => p.servicePlanName)).toContain('YAMMER_EDU');
    // The same part number gets the same id in another tenant: a synthetic id is still a stable one.
    const other = await startEmulator({ licences: { STANDARDWOFFPACK_STUDENT: 1 } });
    expect(other.state.skus[0].skuId).toBe(student.skuId);
    await other.stop();
    expect(s.users.find((u) => u.id === located)!.assignedLicenses).toEqual([]);
    const plain = await tenant.reader.read({ education: false });
    expect(plain.licences).toBeUndefined();
    expect(plain.users.find((u) => u.id === located)!.assignedLicenses).toBeUndefined();
  });

  it('assigns with disabled plans, changes them in place, counts units, and refuses as Graph does', async () => {
    proxy.rule = {};
    const student = skus(await read()).get('STANDARDWOFFPACK_STUDENT')!;
    const yammer = student.servicePlans.find((p) => p.servicePlanName === 'YAMMER_EDU')!.servicePlanId;
    const unknown = '00000000-0000-4000-8000-000000000001';
    const results = await tenant.writer.execute([
      { op: 'user.create', key: 'user:student:1003', body: userBody(1003) },
      { op: 'licence.assign', key: 'licence:student:1003:STANDARDWOFFPACK_STUDENT', id: { ref: 'user:student:1003' }, add: [{ skuId: student.skuId, disabledPlans: [yammer] }], remove: [] },
      { op: 'licence.assign', key: 'licence:student:1:STANDARDWOFFPACK_STUDENT', id: located, add: [{ skuId: student.skuId, disabledPlans: [] }], remove: [] },
      { op: 'licence.assign', key: 'licence:student:2:STANDARDWOFFPACK_STUDENT', id: unlocated, add: [{ skuId: student.skuId, disabledPlans: [] }], remove: [] },
      { op: 'licence.assign', key: 'licence:student:1:UNKNOWN', id: located, add: [{ skuId: unknown, disabledPlans: [] }], remove: [] },
    ]);
    const by = new Map(results.map((r) => [r.key, r]));
    expect(by.get('licence:student:1003:STANDARDWOFFPACK_STUDENT')!.status).toBe('done');
    expect(by.get('licence:student:1:STANDARDWOFFPACK_STUDENT')!.status).toBe('done');
    expect(by.get('licence:student:2:STANDARDWOFFPACK_STUDENT')!.error).toMatchObject({ status: 400, message: 'License assignment cannot be done for user with invalid usage location.' });
    expect(by.get('licence:student:1:UNKNOWN')!.error).toMatchObject({ status: 400, message: `License ${unknown} does not correspond to a valid company License.` });

    let s = await read();
    expect(skus(s).get('STANDARDWOFFPACK_STUDENT')).toMatchObject({ enabled: 2, consumed: 2 });
    const created = by.get('user:student:1003')!.id!;
    expect(s.users.find((u) => u.id === created)!.assignedLicenses).toEqual([{ skuId: student.skuId, disabledPlans: [yammer] }]);

    // Both units are used: a third account is refused; changing disabled plans on a held licence takes no unit.
    const third = await tenant.writer.execute([
      { op: 'user.create', key: 'user:student:1004', body: userBody(1004) },
      { op: 'licence.assign', key: 'licence:student:1004:STANDARDWOFFPACK_STUDENT', id: { ref: 'user:student:1004' }, add: [{ skuId: student.skuId, disabledPlans: [] }], remove: [] },
      { op: 'licence.assign', key: 'licence:student:1:STANDARDWOFFPACK_STUDENT', id: located, add: [{ skuId: student.skuId, disabledPlans: [yammer] }], remove: [] },
    ]);
    expect(third[1].error).toMatchObject({ status: 400, message: `Subscription with SKU ${student.skuId} does not have any available licenses.` });
    expect(third[2].status).toBe('done');

    // Removing frees the unit; removing what the account lacks is refused.
    const freed = await tenant.writer.execute([
      { op: 'licence.assign', key: 'licence:student:1:STANDARDWOFFPACK_STUDENT', id: located, add: [], remove: [student.skuId] },
    ]);
    expect(freed[0].status).toBe('done');
    const again = await tenant.writer.execute([{ op: 'licence.assign', key: 'licence:student:1:again', id: located, add: [], remove: [student.skuId] }]);
    expect(again[0].error).toMatchObject({ status: 400, message: 'User does not have a corresponding license.' });
    s = await read();
    expect(skus(s).get('STANDARDWOFFPACK_STUDENT')).toMatchObject({ consumed: 1 });
    expect(s.users.find((u) => u.id === located)!.assignedLicenses).toEqual([]);
  });

  it('a 403 on /subscribedSkus leaves the SKUs unread, naming the permission; accounts are read as ever', async () => {
    proxy.rule = {
      answer: (method, url) => (method === 'GET' && url.pathname.endsWith('/subscribedSkus')
        ? graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') : undefined),
    };
    const s = await read();
    expect(s.licences).toEqual({ unread: expect.stringMatching(/403 Authorization_RequestDenied\).*lacks the application permission LicenseAssignment\.Read\.All/) });
    expect(s.users.map((u) => u.id)).toContain(located);
  });

  it('a SKU answered without its units leaves them unread, naming the field', async () => {
    proxy.rule = {
      patch: (method, url, body) => {
        if (method !== 'GET' || !url.pathname.endsWith('/subscribedSkus')) return undefined;
        const json = JSON.parse(body) as { value: Record<string, unknown>[] };
        delete json.value[1].prepaidUnits;
        return JSON.stringify(json);
      },
    };
    expect((await read()).licences).toEqual({ unread: expect.stringMatching(/subscribed SKUs \(page 1\).*value\[1\]\.prepaidUnits: missing/) });
  });

  it('rollcall\'s permission set reads the SKUs (LicenseAssignment.Read.All); without it Graph\'s 403', async () => {
    for (const [grant, ok] of [[ROLLCALL_PERMISSIONS, true], [ROLLCALL_PERMISSIONS.filter((p) => p !== 'LicenseAssignment.Read.All'), false]] as const) {
      const bare = await startEmulator({ domains: [DOMAIN], licences: { X: 1 }, permissions: grant });
      try {
        const graph = createGraphClient({ credential: { getToken: async () => ({ token: bare.issueToken(), expiresOnTimestamp: Date.now() + 3_600_000 }) }, graphUrl: bare.url, ca: bare.ca });
        const t = tenantOverGraph(graph, { domains: [DOMAIN], education: false, log: memoryLogger(), retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
        const s = await t.reader.read({ education: false, licences: true });
        expect(s.licences).toEqual(ok ? { skus: [expect.objectContaining({ skuPartNumber: 'X', enabled: 1 })] } : { unread: expect.stringContaining('LicenseAssignment.Read.All') });
        await t.close();
      } finally {
        await bare.stop();
      }
    }
  });
});
