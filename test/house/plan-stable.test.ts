// Planning is tuned for a 100,000-pupil trust (bench/cases/plan100k.mjs); tuning must never change a plan. These
// plans of a synthetic school (first sync, the night after, and drift on both sides: people leaving and arriving,
// members added and removed by hand, groups renamed, unmarked or gone, accounts disabled) are pinned by a hash of
// their whole JSON, the checksum and the roster digest, taken from the code before the tuning. A change that
// moves one of them changes what rollcall plans and must be deliberate.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RawConfig } from '../../src/config/load.js';
import { resolveConfig } from '../../src/config/load.js';
import { buildPlan } from '../../src/plan/build.js';
import type { ManualMatch } from '../../src/plan/match.js';
import type { Plan } from '../../src/plan/types.js';
import { canonicalJson } from '../../src/roster/canonical.js';
import { rosterDigest } from '../../src/roster/digest.js';
import type { Roster } from '../../src/roster/types.js';
import type { Snapshot } from '../../src/tenant/types.js';
import { applyToSnapshot } from '../support/plan-kit.js';
import { generateSchool } from '../support/synth/index.js';

const AS_OF = '2026-03-02';
const seeded = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

function config(v: { m365?: boolean; staffAs?: 'owners' | 'members' | 'both'; onEnd?: 'keep' | 'archive' | 'delete'; rename?: boolean }) {
  return resolveConfig({
    version: 1,
    school: { name: 'Stable Trust', key: 'st', timeZone: 'Europe/London', academicYearStart: '09-01' },
    source: { csv: { dir: '.' } },
    tenant: { local: { state: '.' }, domains: ['trust.example', 'students.trust.example'], education: false },
    users: {
      mode: 'create', anchor: 'employeeId', match: ['anchor', 'workEmail', 'manual'],
      students: { userPrincipalName: '{first}.{last}@students.trust.example', displayName: '{preferredFirst} {preferredLast}', usageLocation: 'GB', securityGroups: ['All Students', 'Students Y{yearGroup}', 'House {house}'] },
      staff: { userPrincipalName: '{first:1}{last}@trust.example', displayName: '{preferredFirst} {preferredLast}', usageLocation: 'GB', securityGroups: ['All Staff'] },
      exclusions: { misIds: [], userPrincipalNames: [], addresses: ['admin@*'] },
      leavers: { action: 'suspend', graceDays: 7, deleteAfterDays: 30 },
      ...(v.rename ? { onNameChange: 'rename' } : {}),
    },
    groups: { from: ['registrationGroups', 'teachingGroups', 'yearGroups', 'houses'], type: v.m365 ? 'microsoft365' : 'security', displayName: '{name}', staffAs: v.staffAs ?? 'owners', ...(v.onEnd ? { onEnd: v.onEnd } : {}) },
    safety: { maxSuspensions: { percent: 5 }, maxDeletions: { percent: 1 }, maxMembershipRemovals: { percent: 10 }, maxSourceDrop: { percent: 10 } },
  } as RawConfig);
}

/** Deterministic drift on both sides of a school that was in step. */
function drift(roster: Roster, snap: Snapshot, seed: number): { roster: Roster; snapshot: Snapshot } {
  const r = seeded(seed);
  const R = structuredClone(roster);
  const S = structuredClone(snap);
  const pick = <T>(l: T[]) => l[Math.floor(r() * l.length)];
  for (const g of S.groups) {
    if (r() < 0.2) g.members = g.members.filter(() => r() > 0.1);
    if (r() < 0.1) g.members.push(pick(S.users).id);
    if (r() < 0.05) g.members.push(`foreign${Math.floor(r() * 1000)}`);
    if (r() < 0.05) g.owners = g.owners.slice(1);
    if (r() < 0.03) g.displayName += ' old';
    if (r() < 0.02) g.description = g.description?.replace(/\[rollcall[^\]]*\]/, '');
  }
  S.groups = S.groups.filter(() => r() > 0.02);
  for (const u of S.users) {
    if (r() < 0.03) u.accountEnabled = false;
    if (r() < 0.03) u.displayName = `${u.displayName} X`;
    if (r() < 0.02) u.employeeLeaveDateTime = '2026-02-01T00:00:00Z';
    if (r() < 0.01) u.usageLocation = 'FR';
  }
  S.users = S.users.filter(() => r() > 0.01);
  for (let i = 0; i < 10; i++) S.users.push({ id: `x${i}`, userPrincipalName: `${pick(R.people).legal.first.toLowerCase()}.x${i}@students.trust.example`, displayName: 'Someone Else', accountEnabled: true });
  const gone = new Set<string>();
  R.people = R.people.filter((p) => (r() < 0.02 ? (gone.add(p.id), false) : true));
  for (const p of R.people) {
    if (r() < 0.02) p.endDate = r() < 0.5 ? '2026-02-01' : '2026-02-27';
    if (r() < 0.02) p.preferred = { first: 'Sam' };
    if (r() < 0.01) p.legal = { ...p.legal, last: `${p.legal.last}-Smith` };
    if (r() < 0.01) p.yearGroup = '12';
  }
  for (let i = 0; i < 20; i++) {
    const src = pick(R.people);
    R.people.push({ ...structuredClone(src), id: `student:9${i}${src.misId}`, misId: `9${i}${src.misId}`, kind: 'student' });
  }
  R.memberships = R.memberships.filter((m) => !gone.has(m.person) && r() > 0.02);
  for (let i = 0; i < 50; i++) R.memberships.push({ group: pick(R.groups).id, person: pick(R.people).id, role: r() < 0.8 ? 'member' : 'teacher', ...(r() < 0.3 ? { endDate: '2026-02-01' } : {}) });
  for (const g of R.groups) if (r() < 0.02) g.endDate = '2026-01-01';
  R.groups = R.groups.filter(() => r() > 0.02);
  return { roster: R, snapshot: S };
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const fingerprint = (p: Plan) => `${p.changes.length} ${p.warnings.length} ${p.blocked.length} ${p.unsynced.length} ${p.checksum.slice(0, 16)} ${p.source.digest.slice(7, 23)} ${hash(JSON.stringify(p))}`;

describe('plans of a synthetic school are exactly what they were before planning was tuned', () => {
  const school = generateSchool({ seed: 2, students: 600, asOf: AS_OF, lessonDays: 1 });
  const roster: Roster = { source: { kind: 'csv', asOf: AS_OF }, people: school.people, groups: school.groups, memberships: school.memberships, lessons: [], warnings: [] };
  const empty: Snapshot = { readAt: '', domains: ['trust.example', 'students.trust.example'], education: false, users: [], groups: [], classes: [], teams: [], events: [] };
  const variants = { default: {}, 'microsoft365, staff as members, archive': { m365: true, staffAs: 'members', onEnd: 'archive' }, 'staff as both, delete, rename': { staffAs: 'both', onEnd: 'delete', rename: true } } as const;
  const plan = (v: object, r: Roster, s: Snapshot, manualMatches: ManualMatch[] = []) => buildPlan({ config: config(v), roster: structuredClone(r), snapshot: structuredClone(s), manualMatches, asOf: AS_OF, now: '' });

  it.each(Object.entries(variants))('%s: first sync, the night after, drift, drift with manual matches', (_, v) => {
    const first = plan(v, roster, empty);
    const synced = applyToSnapshot(first, empty);
    const night = plan(v, roster, synced);
    const d = drift(roster, synced, 11);
    const manual = [{ misId: d.roster.people[3].id, userPrincipalName: d.snapshot.users[5].userPrincipalName, line: 2 }, { misId: d.roster.people[7].id, create: true, line: 3 }];
    expect(night.changes).toEqual([]);
    expect([first, night, plan(v, d.roster, d.snapshot), plan(v, d.roster, d.snapshot, manual)].map(fingerprint)).toMatchSnapshot();
  });

  it('the roster digest is the same for any order of records and keys, and for one record of each of several shapes', () => {
    const shuffled = structuredClone(roster);
    const r = seeded(5);
    for (const list of [shuffled.people, shuffled.memberships] as { sort(c: () => number): void }[]) list.sort(() => r() - 0.5);
    // Keys in another order, and shapes alternating, so no remembered key order can stand in for another.
    shuffled.people = shuffled.people.map((p, i) => (i % 2 ? Object.fromEntries(Object.entries(p).reverse()) : p) as typeof p);
    expect(rosterDigest(shuffled)).toBe(rosterDigest(roster));
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(canonicalJson({ b: 1, a: 2, z: undefined })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ y: 1, x: 2 })).toBe('{"x":2,"y":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(rosterDigest(roster)).toMatchInlineSnapshot(`"sha256:8714474731d5ee92bd8e4246db0579c61786e16bbad38e063e216a32d35b5393"`);
  });
});
