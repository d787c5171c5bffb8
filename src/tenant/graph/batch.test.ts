import { describe, expect, it } from 'vitest';
import { canResend, fromBatchResponse, quotaOf, toBatchPayload, usesWriteQuota } from './batch.js';
import { anchorOf } from './writer.js';
import { isAlreadyReferenced, isConflict, isNotYetReplicated } from './errors.js';

describe('toBatchPayload', () => {
  it('numbers requests, adds Content-Type to bodies and chains requests of one mailbox with dependsOn', () => {
    const { requests } = toBatchPayload([
      { method: 'POST', url: '/users/a/events', body: { subject: 'x' }, chain: 'mailbox:a' },
      { method: 'GET', url: '/users' },
      { method: 'POST', url: '/users/a/events', body: { subject: 'y' }, chain: 'mailbox:a' },
      { method: 'POST', url: '/users/b/events', body: { subject: 'z' }, chain: 'mailbox:b' },
    ]);
    expect(requests.map((r) => r.id)).toEqual(['1', '2', '3', '4']);
    expect(requests[0].headers).toEqual({ 'Content-Type': 'application/json' });
    expect(requests[1].headers).toBeUndefined();
    expect(requests[2].dependsOn).toEqual(['1']);
    expect(requests[3].dependsOn).toBeUndefined();
  });
  it('refuses more than 20 requests', () => {
    expect(() => toBatchPayload(Array.from({ length: 21 }, () => ({ method: 'GET' as const, url: '/users' })))).toThrow(RangeError);
  });
});

describe('fromBatchResponse', () => {
  it('matches answers by id whatever their order, and marks missing answers as unknown (status 0)', () => {
    const items = fromBatchResponse(3, { responses: [{ id: '3', status: 201, headers: { 'Retry-After': '2' } }, { id: '1', status: 429 }] });
    expect(items.map((i) => i.status)).toEqual([429, 0, 201]);
    expect(items[2].headers).toEqual({ 'retry-after': '2' });
  });
});

describe('resend rules', () => {
  it('resends reads and idempotent writes, not plain POSTs', () => {
    expect(canResend({ method: 'GET', url: '/x' })).toBe(true);
    expect(canResend({ method: 'PATCH', url: '/x' })).toBe(true);
    expect(canResend({ method: 'POST', url: '/groups' })).toBe(false);
    expect(canResend({ method: 'POST', url: '/users', resend: true })).toBe(true);
  });
});

describe('Graph error recognition', () => {
  it('knows a UPN conflict, an existing member and replication delay', () => {
    expect(isConflict({ status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property userPrincipalName already exists.' }, 'userPrincipalName')).toBe(true);
    expect(isConflict({ status: 400, code: 'Request_BadRequest', message: 'Property x does not exist' })).toBe(false);
    expect(isAlreadyReferenced({ status: 400, code: 'Request_BadRequest', message: "One or more added object references already exist for the following modified properties: 'members'." })).toBe(true);
    expect(isNotYetReplicated({ status: 400, code: 'Request_BadRequest', message: 'The source resource object or one of the objects being referenced do not exist.' })).toBe(true);
    expect(isNotYetReplicated({ status: 400, code: 'Request_BadRequest', message: "Property 'x' does not exist on type 'microsoft.graph.user'" })).toBe(false);
  });
  it('takes employeeId and extension attributes as the anchor of a create', () => {
    expect(anchorOf({ employeeId: 'bts:s1', onPremisesExtensionAttributes: { extensionAttribute3: 'x', extensionAttribute4: null } }))
      .toEqual([['employeeId', 'bts:s1'], ['extensionAttribute3', 'x']]);
    expect(anchorOf({ displayName: 'n' })).toEqual([]);
  });
});

describe('usesWriteQuota', () => {
  it('counts directory and education writes, not reads, Teams nor Outlook mailbox calls', () => {
    expect(usesWriteQuota({ method: 'POST', url: '/users', body: {} })).toBe(true);
    expect(usesWriteQuota({ method: 'PATCH', url: '/groups/g1', body: {} })).toBe(true);
    expect(usesWriteQuota({ method: 'POST', url: '/education/classes/c1/members/$ref', body: {} })).toBe(true);
    // Teams limits its own calls (10 POSTs a second): a team is not a directory write.
    expect(usesWriteQuota({ method: 'POST', url: '/teams', body: {} })).toBe(false);
    expect(usesWriteQuota({ method: 'POST', url: '/teams/t1/archive', body: {} })).toBe(false);
    expect(usesWriteQuota({ method: 'GET', url: '/users?$top=999' })).toBe(false);
    expect(usesWriteQuota({ method: 'POST', url: '/users/u1/events', body: {} })).toBe(false);
    expect(usesWriteQuota({ method: 'PATCH', url: '/users/u1/events/e1', body: {} })).toBe(false);
    expect(usesWriteQuota({ method: 'DELETE', url: '/users/u1/calendar/events/e1' })).toBe(false);
    expect(usesWriteQuota({ method: 'POST', url: '/users/u1/sendMail', body: {} })).toBe(false);
    expect(usesWriteQuota({ method: 'PATCH', url: '/users/u1', body: {} })).toBe(true);
  });

  it("puts Teams' POSTs under their own quota and leaves reads and Outlook unpaced", () => {
    expect(quotaOf({ method: 'POST', url: '/teams', body: {} })).toBe('teams');
    expect(quotaOf({ method: 'POST', url: "/teams('t1')/archive", body: {} })).toBe('teams');
    expect(quotaOf({ method: 'GET', url: "/teams('t1')/operations('o1')" })).toBeUndefined();
    expect(quotaOf({ method: 'POST', url: '/users', body: {} })).toBe('directory');
    expect(quotaOf({ method: 'POST', url: '/teamsTemplates', body: {} })).toBe('directory');
    expect(quotaOf({ method: 'POST', url: '/users/u1/events', body: {} })).toBeUndefined();
  });
});
