// Students' relatedContacts through rollcall's real Graph code: read only when guardians are on (Graph leaves the
// property out of its defaults), a refused read holds the profiles with Graph's reason and the permission it needs,
// and the writer's PATCH replaces the collection, which the emulator validates as Graph's OData reader does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient } from '../../src/tenant/graph/client.js';
import { tenantOverGraph, type TenantInternals } from '../../src/tenant/index.js';
import type { Snapshot } from '../../src/tenant/types.js';
import { graphError, startGraphProxy, type GraphProxy } from '../resilience/graph-proxy.js';
import { anyToken, DOMAIN } from './harness.js';

let emu: RunningEmulator;
let proxy: GraphProxy;
let tenant: TenantInternals;
let pupil: string;
const parent = { displayName: 'Rowan Vale', emailAddress: 'rowan.vale@home.example', mobilePhone: '07700 900123', relationship: 'parent', accessConsent: true };

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN], education: true });
  pupil = emu.state.addUser({ userPrincipalName: `p1@${DOMAIN}` }).id;
  emu.state.users.get(pupil)!.education = { primaryRole: 'student', relatedContacts: [parent] };
  proxy = await startGraphProxy(emu.url, emu.ca);
  const graph = createGraphClient({ credential: anyToken, graphUrl: proxy.url, ca: proxy.ca, timeoutMs: 5000 });
  tenant = tenantOverGraph(graph, {
    domains: [DOMAIN], education: true, log: memoryLogger(), writesPerSecond: 10_000, concurrency: 2,
    replicationDelaysMs: [20, 40], pollDelaysMs: [10], retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
});

afterAll(async () => {
  await tenant?.close();
  await proxy?.close();
  await emu?.stop();
});

const profile = (s: Snapshot) => {
  const r = s.educationUsers!;
  if ('unread' in r) throw new Error(`unread: ${r.unread}`);
  return r.profiles.find((p) => p.id === pupil)!;
};

describe('relatedContacts over Graph', () => {
  it('reads them only when guardians are on: not read is undefined, never none', async () => {
    proxy.rule = {};
    expect(profile(await tenant.reader.read({ education: true })).relatedContacts).toBeUndefined();
    expect(profile(await tenant.reader.read({ education: true, guardians: true })).relatedContacts).toEqual([parent]);
  });

  it('a 403 on /education/users leaves them unread, naming the permission; users are still read', async () => {
    proxy.rule = {
      answer: (method, url) => (method === 'GET' && url.pathname.endsWith('/education/users') && url.search.includes('relatedContacts')
        ? graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') : undefined),
    };
    const s = await tenant.reader.read({ education: true, guardians: true });
    expect(s.educationUsers).toEqual({ unread: expect.stringMatching(/403 Authorization_RequestDenied\).*EduRoster\.Read\.All/) });
    expect(s.users.map((u) => u.id)).toContain(pupil);
  });

  it('PATCH replaces the whole collection; an unknown relationship is refused with Graph\'s 400', async () => {
    proxy.rule = {};
    const aunt = { displayName: 'Ida Vale', emailAddress: 'ida@home.example', relationship: 'Relative', accessConsent: false };
    const [ok] = await tenant.writer.execute([{ op: 'educationUser.update', key: 'guardian:student:1', id: pupil, patch: { relatedContacts: [aunt] } }]);
    expect(ok.status).toBe('done');
    // Graph keeps the enum member's spelling, and what was not sent is gone.
    expect(profile(await tenant.reader.read({ education: true, guardians: true })).relatedContacts).toEqual([{ ...aunt, relationship: 'relative', mobilePhone: null }]);

    const [bad] = await tenant.writer.execute([{ op: 'educationUser.update', key: 'guardian:student:1', id: pupil, patch: { relatedContacts: [{ ...aunt, relationship: 'neighbour' }] } }]);
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatchObject({ status: 400, message: expect.stringContaining("The value 'neighbour' is not a valid enumerated type value") });
    expect(profile(await tenant.reader.read({ education: true, guardians: true })).relatedContacts).toHaveLength(1);
  });
});
