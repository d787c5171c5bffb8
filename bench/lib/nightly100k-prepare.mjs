// Writes the 100,000-pupil trust of plan100k as a nightly run sees it: the MIS export (CSV) with rollcall.yaml, and
// the emulator's state file for a tenant that already matches it (the first plan against an empty tenant, played
// straight into the state: provisioning 108,000 accounts through Graph would take hours).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../.kit/src/config/load.js';
import { buildPlan } from '../../.kit/src/plan/build.js';
import { readRosterFor } from '../../.kit/src/engine/run.js';
import { silentLogger } from '../../.kit/src/log.js';
import { EmulatorState } from '../../.kit/src/tenant/emulator/state.js';
import { generateSchool, writeSchool } from '../../.kit/test/support/synth/index.js';
import { benchConfig } from './plan100k-config.mjs';

const [, , outDir] = process.argv;
export const AS_OF = '2026-03-02';
const DOMAINS = benchConfig.tenant.domains;
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const school = generateSchool({ seed: 3, students: 100_000, staff: 8_000, asOf: AS_OF, lessonDays: 1 });
await writeSchool(school, 'csv', path.join(outDir, 'mis'));
// The trust's configuration; the tenant is opened by the bench itself (over HTTP), so tenant.local is never used.
const config = { ...benchConfig, source: { csv: { dir: './mis' } }, tenant: { ...benchConfig.tenant, local: { state: './unused.json' } } };
await writeFile(path.join(outDir, 'rollcall.yaml'), stringify(config));
// Planned with the configuration as rollcall loads it (every schema default applied), as the nightly run will be.
const loaded = await loadConfig(path.join(outDir, 'rollcall.yaml'));

// The roster as the nightly run will read it (the CSV reader adds the houses named in students.csv as groups).
const roster = await readRosterFor(loaded, AS_OF, silentLogger);
const empty = { readAt: '', domains: DOMAINS, education: false, users: [], groups: [], classes: [], teams: [], events: [] };
const first = buildPlan({ config: loaded.config, roster, snapshot: empty, manualMatches: [], asOf: AS_OF, now: '' });

// Play the first plan into the emulator's state with maps (addUser/addGroup skip Graph's validation, as seeding does).
const state = new EmulatorState({ domains: DOMAINS, education: false });
const created = new Map();
const groups = new Map();
const idOf = (r) => r?.id ?? created.get(r?.createdBy);
let users = 0, memberships = 0, classes = 0;
for (const c of first.changes) {
  if (c.action === 'create' && c.kind === 'user') {
    const { passwordProfile: _secret, ...after } = c.after;
    created.set(c.key, state.addUser({ accountEnabled: true, ...after }).id);
    users++;
  } else if (c.action === 'create' && c.kind === 'group') {
    const g = state.addGroup({ ...c.after });
    created.set(c.key, g.id);
    groups.set(g.id, g);
  } else if (c.action === 'create' && c.kind === 'class') {
    classes++;
  } else if (c.action === 'add-member' || c.action === 'add-owner') {
    groups.get(idOf(c.group))[c.action === 'add-member' ? 'members' : 'owners'].push(idOf(c.member));
    memberships++;
  }
}
await writeFile(path.join(outDir, 'tenant.json'), JSON.stringify(state.toJSON()));
const kinds = {};
for (const c of first.changes) kinds[`${c.action} ${c.kind}`] = (kinds[`${c.action} ${c.kind}`] ?? 0) + 1;
process.stdout.write(JSON.stringify({ people: roster.people.length, tenantUsers: users, tenantGroups: groups.size, memberships, classes, kinds }) + '\n');
