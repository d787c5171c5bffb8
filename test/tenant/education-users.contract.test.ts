// Education profiles through rollcall's real Graph code: the reader lists /education/users (checked by its zod
// schema), a failed or malformed read becomes "unread, with the reason" (never "nobody has a profile"), and the
// writer PATCHes /education/users/{id} after the account it belongs to exists. An HTTPS proxy in front of the
// emulator answers the failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient, type GraphClient } from '../../src/tenant/graph/client.js';
import { tenantOverGraph, type TenantInternals } from '../../src/tenant/index.js';
import type { Snapshot } from '../../src/tenant/types.js';
import { graphError, startGraphProxy, type GraphProxy } from '../resilience/graph-proxy.js';
import { anyToken, DOMAIN, userBody } from './harness.js';

let emu: RunningEmulator;
let proxy: GraphProxy;
let graph: GraphClient;
let tenant: TenantInternals;
let pupil: string;
let teacher: string;

beforeAll(async () => {
  emu = await startEmulator({ domains: [DOMAIN], education: true });
  pupil = emu.state.addUser({ userPrincipalName: `p1@${DOMAIN}`, employeeType: 'Student' }).id;
  teacher = emu.state.addUser({ userPrincipalName: `t1@${DOMAIN}`, employeeType: 'Staff' }).id;
  emu.state.users.get(pupil)!.education = { primaryRole: 'student', student: { externalId: '1001', studentNumber: 'A1001', grade: '8', graduationYear: '2031' } };
  proxy = await startGraphProxy(emu.url, emu.ca);
  graph = createGraphClient({ credential: anyToken, graphUrl: proxy.url, ca: proxy.ca, timeoutMs: 5000 });
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

const read = () => tenant.reader.read({ education: true });
const profiles = (s: Snapshot) => {
  const r = s.educationUsers!;
  if ('unread' in r) throw new Error(`unread: ${r.unread}`);
  return new Map(r.profiles.map((p) => [p.id, p]));
};

describe('education profiles over Graph', () => {
  it('reads every profile: what was written, and none for an account nobody set (whatever its employeeType)', async () => {
    proxy.rule = {};
    const s = await read();
    expect(s.education).toBe(true);
    const byId = profiles(s);
    expect(byId.get(pupil)).toEqual({ id: pupil, primaryRole: 'student', student: { externalId: '1001', studentNumber: 'A1001', grade: '8', graduationYear: '2031' }, teacher: null });
    expect(byId.get(teacher)).toEqual({ id: teacher, primaryRole: 'none', student: null, teacher: null });
  });

  it('a 403 on /education/users leaves the profiles unread with Graph\'s answer as the reason; the rest of the snapshot is read', async () => {
    proxy.rule = {
      answer: (method, url) => (method === 'GET' && url.pathname.endsWith('/education/users')
        ? graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') : undefined),
    };
    const s = await read();
    expect(s.educationUsers).toEqual({ unread: expect.stringMatching(/403 Authorization_RequestDenied\).*lacks the application permission EduRoster\.Read\.All/) });
    expect(s.users.map((u) => u.id).sort()).toEqual([pupil, teacher].sort());
  });

  it('a malformed profile leaves them unread, naming the field', async () => {
    proxy.rule = {
      patch: (method, url, body) => {
        if (method !== 'GET' || !url.pathname.endsWith('/education/users')) return undefined;
        const json = JSON.parse(body) as { value: Record<string, unknown>[] };
        json.value[0].student = { grade: 8 };
        return JSON.stringify(json);
      },
    };
    const s = await read();
    expect(s.educationUsers).toEqual({ unread: expect.stringMatching(/education users \(page 1\).*value\[0\]\.student\.grade/) });
  });

  it('the writer PATCHes the profile of an account created earlier in the same run, merged as Graph merges it', async () => {
    proxy.rule = {};
    const results = await tenant.writer.execute([
      { op: 'user.create', key: 'user:student:1002', body: userBody(1002) },
      { op: 'educationUser.update', key: 'educationUser:student:1002', id: { ref: 'user:student:1002' }, patch: { primaryRole: 'student', student: { externalId: '1002', grade: '7' } } },
      { op: 'educationUser.update', key: 'educationUser:student:1001', id: pupil, patch: { student: { grade: '9' } } },
    ]);
    expect(results.map((r) => [r.key, r.status])).toEqual([['user:student:1002', 'done'], ['educationUser:student:1002', 'done'], ['educationUser:student:1001', 'done']]);
    const byId = profiles(await read());
    expect(byId.get(results[0].id!)).toMatchObject({ primaryRole: 'student', student: { externalId: '1002', grade: '7', studentNumber: null } });
    expect(byId.get(pupil)!.student).toEqual({ externalId: '1001', studentNumber: 'A1001', grade: '9', graduationYear: '2031' });
  });
});
