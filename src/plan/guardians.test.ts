import { describe, expect, it } from 'vitest';
import type { Contact } from '../roster/types.js';
import type { Snapshot, TenantRelatedContact, TenantUser } from '../tenant/types.js';
import { config, roster, snapshot, student } from '../../test/support/plan-kit.js';
import { buildPlan, phaseOf } from './build.js';

const asOf = '2026-03-02';
const mum: Contact = { student: 'student:1', misId: 'm', displayName: 'Mo Brook', email: 'mo@home.example', relationship: 'parent', consent: true };
const held: TenantRelatedContact = { displayName: 'Someone Else', emailAddress: 'se@home.example', mobilePhone: null, relationship: 'parent', accessConsent: true };
const account = (id: string, misId: string, anchored = true): TenantUser => ({ id, userPrincipalName: `${id}@students.t.example`, displayName: id, accountEnabled: true, ...(anchored ? { employeeId: `ts:s${misId}` } : {}) });

function plan(snap: Partial<Snapshot>, contacts: Contact[] = [mum]) {
  const cfg = config({}, { tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true }, guardians: {} } as never);
  const r = roster([student('1', 'Ada', 'Brook'), student('2', 'Ben', 'Cole')]);
  r.contacts = contacts;
  return buildPlan({ config: cfg, roster: r, snapshot: { ...snapshot(), education: true, ...snap }, manualMatches: [], asOf, now: `${asOf}T06:00:00Z` });
}

describe('planGuardians', () => {
  it('a new student\'s guardians are set after the account and its education profile', () => {
    const p = plan({ educationUsers: { profiles: [] } });
    const g = p.changes.find((c) => c.kind === 'guardian')!;
    expect(g).toMatchObject({ action: 'set', target: { createdBy: 'user:student:1' }, after: { relatedContacts: [{ displayName: 'Mo Brook', emailAddress: 'mo@home.example', relationship: 'parent', accessConsent: true }] } });
    const edu = p.changes.find((c) => c.kind === 'educationUser' && c.key === 'educationUser:student:1')!;
    expect(phaseOf(g)).toBeGreaterThan(phaseOf(edu));
    expect(p.changes.indexOf(g)).toBeGreaterThan(p.changes.indexOf(edu));
  });

  it('profiles that could not be read hold the guardians with the reason; accounts are still planned', () => {
    const p = plan({ educationUsers: { unread: 'reading education users: 403 Authorization_RequestDenied' } });
    expect(p.changes.some((c) => c.kind === 'guardian')).toBe(false);
    expect(p.changes.filter((c) => c.kind === 'user' && c.action === 'create')).toHaveLength(2);
    expect(p.warnings).toContain('guardians of 2 students held: /education/users could not be read with relatedContacts (reading education users: 403 Authorization_RequestDenied); reading them needs EduRoster.Read.All, writing them EduRoster.ReadWrite.All, so no guardian change is planned until it can be');
  });

  it('an account rollcall does not manage keeps its contacts; a managed one whose MIS lists none loses only rollcall\'s relationships', () => {
    const doctor: TenantRelatedContact = { ...held, relationship: 'doctor', displayName: 'Dr Who', emailAddress: 'surgery@clinic.example' };
    const p = plan({
      users: [account('u1', '1', false), account('u2', '2')],
      educationUsers: { profiles: [
        { id: 'u1', primaryRole: 'student', student: null, teacher: null, relatedContacts: [held] },
        { id: 'u2', primaryRole: 'student', student: null, teacher: null, relatedContacts: [held, doctor] },
      ] },
    });
    // student:1 gets an account of its own (u1 is not anchored): u1 itself is never written.
    expect(p.changes.some((c) => c.target?.id === 'u1')).toBe(false);
    const g = p.changes.filter((c) => c.kind === 'guardian' && c.target?.id);
    expect(g.map((c) => [c.key, c.action, c.destructive])).toEqual([['guardian:student:2', 'remove', true]]);
    expect(g[0].after).toEqual({ relatedContacts: [{ displayName: 'Dr Who', emailAddress: 'surgery@clinic.example', relationship: 'doctor', accessConsent: true }] });
    // One of one managed contact taken off: past the default 10%.
    expect(p.blocked).toEqual([expect.objectContaining({ rule: 'safety.maxGuardianRemovals', count: 1, total: 1 })]);
  });

  it('guardians off: no read asked, nothing planned', () => {
    const cfg = config({}, { tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true } } as never);
    const r = roster([student('1', 'Ada', 'Brook')]);
    r.contacts = [mum];
    const p = buildPlan({ config: cfg, roster: r, snapshot: { ...snapshot(), education: true, educationUsers: { profiles: [] } }, manualMatches: [], asOf, now: `${asOf}T06:00:00Z` });
    expect(p.changes.some((c) => c.kind === 'guardian')).toBe(false);
    expect(p.warnings.some((w) => w.includes('guardian'))).toBe(false);
  });
});
