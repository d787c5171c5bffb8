// Writes a 100,000-pupil trust's roster and a tenant snapshot that already matches it (as after a first sync), so
// the measuring process only loads and plans, as `rollcall plan` would. Written with v8.serialize, not JSON:
// rollcall never reads a roster from JSON (it reads CSV or SOAP), and parsing 146 MB of JSON text (a two-byte
// string, for the names) was most of the measuring process's peak memory, not planning's.
// The roster is sorted with sortRoster (src/roster/canonical.ts), as RosterBuilder sorts every source's roster: a
// plan is never given an unsorted roster, so the bench's plan must not pay for sorting one (the digest skips its
// sorts on lists already in canonical order).
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { sortRoster } from '../../.kit/src/roster/canonical.js';
import { generateSchool } from '../../.kit/test/support/synth/index.js';
import { benchConfig } from './plan100k-config.mjs';

const [, , outDir] = process.argv;
const AS_OF = '2026-03-02';
const school = generateSchool({ seed: 3, students: 100_000, staff: 8_000, asOf: AS_OF, lessonDays: 1 });
const roster = sortRoster({ source: { kind: 'csv', asOf: AS_OF }, people: school.people, groups: school.groups, memberships: school.memberships, lessons: [], warnings: [] });
const empty = { readAt: '', domains: ['trust.example', 'students.trust.example'], education: false, users: [], groups: [], classes: [], teams: [], events: [] };
const first = buildPlan({ config: benchConfig, roster, snapshot: empty, manualMatches: [], asOf: AS_OF, now: '' });

// Play the first plan onto the empty tenant, with maps (the tests' player is linear per change).
const users = [];
const groups = new Map();
const created = new Map();
let n = 0;
const idOf = (r) => r?.id ?? created.get(r?.createdBy);
for (const c of first.changes) {
  if (c.action === 'create' && c.kind === 'user') { const id = `u${++n}`; created.set(c.key, id); users.push({ id, accountEnabled: true, ...c.after }); }
  else if (c.action === 'create' && c.kind === 'group') { const id = `g${++n}`; created.set(c.key, id); groups.set(id, { id, members: [], owners: [], ...c.after }); }
  else if (c.action === 'add-member') groups.get(idOf(c.group)).members.push(idOf(c.member));
  else if (c.action === 'add-owner') groups.get(idOf(c.group)).owners.push(idOf(c.member));
}
const snapshot = { ...empty, users, groups: [...groups.values()] };
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'roster.v8'), v8.serialize(roster));
await writeFile(path.join(outDir, 'snapshot.v8'), v8.serialize(snapshot));
process.stdout.write(JSON.stringify({ firstSyncChanges: first.changes.length, people: roster.people.length, groups: roster.groups.length, memberships: roster.memberships.length, tenantUsers: users.length, tenantGroups: groups.size }) + '\n');
