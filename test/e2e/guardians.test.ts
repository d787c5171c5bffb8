// Guardians end to end on a synthetic school: rollcall's planner, the real Graph reader and writer over HTTPS, and
// the emulator keeping relatedContacts as Graph does. The first plan sets every new student's guardians after
// their account and education profile; the re-plan is empty; a contact the MIS drops is one update (someone else's
// related contact kept); contacts vanishing from the MIS past safety.maxGuardianRemovals block the plan.
// The roster is the generator's own model (sources reading contacts are tested with the sources).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { resolveConfig, type Config, type RawConfig } from '../../src/config/load.js';
import { memoryLogger } from '../../src/log.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import type { Contact, Roster } from '../../src/roster/types.js';
import { generateSchool, type SynthSchool } from '../support/synth/index.js';
import { DOMAIN, local, type Local } from '../tenant/harness.js';

const asOf = '2026-03-02';
let env: Local;
let synth: SynthSchool;
let config: Config;
let excluded: string;
let excludedUser: string;

const doctor = { displayName: 'Dr Ada Quill', emailAddress: 'surgery@clinic.example', mobilePhone: null, relationship: 'doctor', accessConsent: false };

function rosterOf(s: SynthSchool, contacts: Contact[] | 'not read' = s.contacts ?? 'not read'): Roster {
  return { source: { kind: 'csv', asOf }, people: s.people, groups: s.groups, memberships: s.memberships, lessons: [], ...(contacts === 'not read' ? {} : { contacts }), warnings: [] };
}

async function plan(roster: Roster): Promise<Plan> {
  const snapshot = await env.tenant.reader.read({ education: true, guardians: true });
  return buildPlan({ config, roster, snapshot, manualMatches: [], asOf, now: `${asOf}T06:00:00Z` });
}

async function apply(p: Plan) {
  const out = await applyPlan(p, { config, writer: env.tenant.writer, log: memoryLogger() });
  expect(out.failures).toEqual([]);
  return out;
}

/** The relatedContacts the emulator keeps for the account anchored to `misId`. */
function contactsOf(misId: string): unknown[] | undefined {
  const u = [...env.emu.state.users.values()].find((x) => x.props.employeeId === `gd:s${misId}` && x.deletedAt === undefined);
  return u?.education?.relatedContacts as unknown[] | undefined;
}

beforeAll(async () => {
  env = await local();
  synth = generateSchool({ seed: 16, students: 40, staff: 4, asOf, contactsPerStudent: 4 });
  const pupils = synth.people.filter((p) => p.kind === 'student' && !p.endDate && (!p.startDate || p.startDate <= asOf));
  excluded = pupils[0].misId;
  config = resolveConfig({
    version: 1,
    school: { name: 'Guardian Academy', key: 'gd', academicYearStart: '09-01' },
    source: { csv: { dir: './mis' } },
    tenant: { local: { state: './t.json' }, domains: [DOMAIN], education: true },
    users: { students: { userPrincipalName: `{first}{last:1}{misId}@${DOMAIN}` }, exclusions: { misIds: [`student:${excluded}`] } },
    guardians: {},
  } as RawConfig);
  // An excluded pupil whose account an administrator keeps by hand, guardians included: never touched.
  excludedUser = env.emu.state.addUser({ userPrincipalName: `kept${excluded}@${DOMAIN}`, employeeId: `gd:s${excluded}` }).id;
  env.emu.state.users.get(excludedUser)!.education = { primaryRole: 'student', relatedContacts: [{ ...doctor, relationship: 'parent' }] };
}, 60_000);

afterAll(async () => { await env?.close(); });

describe('guardians on an Education tenant', () => {
  it('sets new students\' guardians after their accounts, then plans nothing; an excluded student is left alone', async () => {
    const first = await plan(rosterOf(synth));
    const sets = first.changes.filter((c) => c.kind === 'guardian');
    const inScope = new Set(first.changes.filter((c) => c.kind === 'user' && c.action === 'create').map((c) => c.subject.person));
    // Every student with a parent or guardian who has an e-mail address, and no one else.
    const expected = new Set(synth.contacts!.filter((c) => inScope.has(c.student) && ['parent', 'guardian'].includes(c.relationship) && c.email).map((c) => c.student));
    expect(sets.length).toBeGreaterThan(20);
    expect(new Set(sets.map((c) => c.subject.person))).toEqual(expected);
    expect(sets.every((c) => c.action === 'set' && c.target?.createdBy === `user:${c.subject.person}`)).toBe(true);
    expect(sets.some((c) => c.subject.person === `student:${excluded}`)).toBe(false);
    // Contacts with no e-mail are counted in a warning, never named.
    expect(first.warnings.some((w) => /contacts? of students in scope ha(s|ve) no e-mail address/.test(w))).toBe(true);

    const out = await apply(first);
    expect(out.byKind.guardian?.done).toBe(sets.length);
    const sample = sets[0];
    const misId = sample.subject.person!.slice('student:'.length);
    const mis = synth.contacts!.filter((c) => c.student === sample.subject.person && ['parent', 'guardian'].includes(c.relationship) && c.email);
    expect(contactsOf(misId)).toEqual(mis.map((c) => ({ displayName: c.displayName, emailAddress: c.email, mobilePhone: null, relationship: c.relationship, accessConsent: c.consent === true })));
    expect(env.emu.state.users.get(excludedUser)!.education!.relatedContacts).toEqual([{ ...doctor, relationship: 'parent' }]);

    const again = await plan(rosterOf(synth));
    expect(again.changes).toEqual([]);
    expect(again.blocked).toEqual([]);
  }, 120_000);

  it('a contact the MIS drops is one update, and a related contact of another relationship stays', async () => {
    const before = await plan(rosterOf(synth));
    expect(before.changes).toEqual([]);
    const two = synth.contacts!.filter((c) => c.relationship === 'parent' && c.email && c.priority === 2);
    const dropped = two.find((c) => contactsOf(c.student.slice('student:'.length))?.length === 2)!;
    const misId = dropped.student.slice('student:'.length);
    // An administrator added the family doctor by hand: not rollcall's relationship, so not rollcall's to take.
    const u = [...env.emu.state.users.values()].find((x) => x.props.employeeId === `gd:s${misId}`)!;
    u.education!.relatedContacts = [doctor, ...(u.education!.relatedContacts as object[])];
    const contacts = synth.contacts!.filter((c) => c !== dropped);

    const p = await plan(rosterOf(synth, contacts));
    expect(p.changes.map((c) => [c.kind, c.action, c.key])).toEqual([['guardian', 'update', `guardian:${dropped.student}`]]);
    expect(p.changes[0].reason).toBe('guardians differ from the MIS: 1 removed');
    expect(p.blocked).toEqual([]);
    await apply(p);
    const kept = contactsOf(misId) as { relationship: string; emailAddress: string }[];
    expect(kept.map((c) => c.relationship)).toEqual(['doctor', 'parent']);
    expect(kept.some((c) => c.emailAddress === dropped.email)).toBe(false);
    expect(await plan(rosterOf(synth, contacts))).toMatchObject({ changes: [] });
    synth.contacts = contacts;
  }, 120_000);

  it('contacts a source did not read change nothing; contacts gone from the MIS past the limit block the plan', async () => {
    const unread = await plan(rosterOf(synth, 'not read'));
    expect(unread.changes).toEqual([]);
    expect(unread.warnings.some((w) => w.includes("held: the source did not read students' contacts"))).toBe(true);

    const gone = await plan(rosterOf(synth, []));
    const removes = gone.changes.filter((c) => c.kind === 'guardian');
    expect(removes.length).toBeGreaterThan(20);
    expect(removes.every((c) => c.action === 'remove' && c.destructive)).toBe(true);
    expect(gone.blocked).toEqual([expect.objectContaining({ rule: 'safety.maxGuardianRemovals', limit: { percent: 10, count: 200 } })]);
    // The doctor an administrator added stays in what a removal would write.
    const withDoctor = removes.find((c) => (c.before?.relatedContacts as { relationship: string }[]).some((x) => x.relationship === 'doctor'))!;
    const { mobilePhone: _none, ...asWritten } = doctor;
    expect(withDoctor.after).toEqual({ relatedContacts: [asWritten] });
    await expect(applyPlan(gone, { config, writer: env.tenant.writer, log: memoryLogger() })).rejects.toThrow(/maxGuardianRemovals|blocked/);
  }, 120_000);
});
