import type { Config } from '../config/load.js';
import { desiredEvents } from '../policy/calendar.js';
import { desiredClasses } from '../policy/classes.js';
import { desiredGroups, desiredSecurityGroups, membersByGroup, type GroupMembers } from '../policy/groups.js';
import { desiredGuardians } from '../policy/guardians.js';
import { desiredUsers } from '../policy/users.js';
import { countRoster } from '../roster/counts.js';
import { rosterDigest } from '../roster/digest.js';
import type { Roster } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import { planCalendar } from './calendar.js';
import { planChecksum } from './checksum.js';
import { planClasses, type ClassMatch } from './classes.js';
import { planEducationUsers } from './education-users.js';
import { planGuardians } from './guardians.js';
import { licenceUnits, planLicences } from './licences.js';
import { configWarnings, noWorkEmailWarning } from './config-warnings.js';
import { isDestructive } from './destructive.js';
import { planMisGroups } from './groups.js';
import type { AddressOverride, ManualMatch } from './match.js';
import { checkSafety } from './safety.js';
import type { Change, ChangeAction, Plan, SummaryCounts } from './types.js';
import { planUserGroups } from './user-groups.js';
import { planUsers } from './users.js';
import { compareTyped } from '../roster/order.js';
import { personFromAnchor } from './keys.js';
import { selectChanges, type Selector } from './select.js';
import { ownershipOf } from './ownership.js';

export interface PlanInput {
  config: Config;
  roster: Roster;
  snapshot: Snapshot;
  manualMatches: ManualMatch[];
  /** Rows of users.addressOverrides. */
  addressOverrides?: AddressOverride[];
  /** Rows of classes.matches ("Match from CSV"). */
  classMatches?: ClassMatch[];
  /** The school's date (YYYY-MM-DD): leavers and grace periods count from it. */
  asOf: string;
  /** When the plan was made (ISO); not part of the checksum. */
  now: string;
  /**
   * `apply --only`: plan only these people, groups or classes (and what they depend on). The safety limits, the
   * notes, the summary and the checksum are then the selection's.
   */
  only?: readonly Selector[];
}

/** Apply runs changes in this order: what others depend on first, destructive steps last. */
const PHASE: Record<string, number> = {
  'group:create': 0, 'class:create': 0,
  'user:create': 1,
  'user:restore': 2,
  'user:update': 3, 'group:update': 3, 'class:update': 3,
  // After the account exists (create, restore): the profile has the account's id.
  'educationUser:set': 3, 'educationUser:update': 3,
  // Leavers' licences go back before any is assigned, so the units they free are there for the assignments; an
  // assignment follows the account's create or update, which gives it the usage location Graph requires.
  'licence:unassign': 3, 'licence:assign': 3.5, 'licence:update': 3.5,
  'membership:add-member': 4, 'membership:add-owner': 4,
  // On the education profile, once it exists (a new account's is written in phase 3).
  'guardian:set': 4, 'guardian:update': 4, 'guardian:remove': 7,
  // A class team needs its owners (teachers) first.
  'team:create': 5, 'team:unarchive': 5,
  'event:create': 6, 'event:update': 6,
  'membership:remove-member': 7, 'membership:remove-owner': 7,
  'team:archive': 8, 'event:delete': 8, 'group:archive': 8,
  'user:suspend': 9, 'user:delete': 10, 'group:delete': 11,
};
// PHASE by kind, then action: looked up without a string made per change (a first sync has a million).
const PHASE_OF_KIND = new Map<string, Map<string, number>>();
for (const [pair, phase] of Object.entries(PHASE)) {
  const [kind, action] = pair.split(':');
  if (!PHASE_OF_KIND.has(kind)) PHASE_OF_KIND.set(kind, new Map());
  PHASE_OF_KIND.get(kind)!.set(action, phase);
}

export function phaseOf(c: Pick<Change, 'kind' | 'action'>): number {
  const phase = PHASE_OF_KIND.get(c.kind)?.get(c.action);
  if (phase === undefined) throw new Error(`no apply phase for ${c.action} ${c.kind}`);
  return phase;
}

const byKey = (a: Change, b: Change) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The changes by phase, then key: what one stable sort by (phase, key) gives. Each change's phase is looked up
 * once (not at every comparison), the changes bucketed by it and each bucket sorted by key.
 */
export function inApplyOrder(changes: readonly Change[]): Change[] {
  const byPhase = new Map<number, Change[]>();
  for (const c of changes) {
    const phase = phaseOf(c);
    const bucket = byPhase.get(phase);
    if (bucket) bucket.push(c);
    else byPhase.set(phase, [c]);
  }
  const out: Change[] = [];
  for (const phase of [...byPhase.keys()].sort((a, b) => a - b)) for (const c of byPhase.get(phase)!.sort(byKey)) out.push(c);
  return out;
}

const owned = (o: string) => o === 'ours' || o === 'legacy';

/** Desired state (policy) against what the tenant has (snapshot): the plan. Pure: same input, same plan. */
export function buildPlan(input: PlanInput): Plan {
  const { config, roster, snapshot, asOf } = input;
  // First, while little else is in memory: its text and sorted copies are garbage before the planners' maps exist.
  const digest = rosterDigest(roster);
  // What should be (policy/, from the configuration and the roster): every name, template and token is filled in
  // there; the planners below diff it against the snapshot.
  const policy = desiredUsers(config, roster, asOf, {
    overrides: new Map((input.addressOverrides ?? []).map((o) => [o.misId, o.userPrincipalName])),
    manualLinks: new Map(input.manualMatches.flatMap((m) => (m.userPrincipalName ? [[m.misId, m.userPrincipalName] as const] : []))),
  });
  // Who is in each MIS group today: asked for once, by the first of groups, classes and calendar that needs it.
  let members: GroupMembers | undefined;
  const membersOf = () => (members ??= membersByGroup(roster.memberships, asOf));
  const desired = {
    securityGroups: desiredSecurityGroups(config, policy.users),
    groups: desiredGroups(config, roster, asOf, membersOf),
    classes: desiredClasses(config, roster, asOf, membersOf),
    events: desiredEvents(config, roster, asOf, membersOf),
    guardians: desiredGuardians(config, roster, policy.users),
  };
  // Let the sets go before the planners run: they would otherwise add to the plan's peak memory.
  members = undefined;
  const users = planUsers(config, policy, snapshot, input.manualMatches, asOf);
  const groups = planUserGroups(config, desired.securityGroups, snapshot, users);
  const misGroups = planMisGroups(config, desired.groups, snapshot, users);
  const classes = planClasses(config, desired.classes, snapshot, users, input.classMatches ?? []);
  const calendar = planCalendar(config, desired.events, snapshot, users, asOf);
  const education = planEducationUsers(config, snapshot, users, asOf);
  const licences = planLicences(config, snapshot, users);
  const guardians = planGuardians(config, desired.guardians, snapshot, users);
  const all = inApplyOrder([users, education, licences, guardians, groups, misGroups, classes, calendar].flatMap((p) => p.changes));
  // One definition of destructive (destructive.ts) for the plan, its limits, its rendering and the merge gate.
  for (const c of all) c.destructive = isDestructive(c);

  const attribute: AnchorAttribute = config.users.anchor;
  // The accounts rollcall manages and may touch, as planUsers found them (no address lowercased again).
  const managed = snapshot.users.filter((_, i) => users.managedAt[i] === 1);
  const changes = input.only
    ? selectChanges({ changes: all, unsynced: users.unsynced }, input.only, {
      personOfAccount: new Map(managed.flatMap((u) => { const p = personFromAnchor(storedAnchor(u, attribute)!); return p ? [[u.id, p] as const] : []; })),
      groups: roster.groups,
    })
    : all;
  // The groups rollcall manages, as the planners recognise them: its mark (ownership.ts), or a class's externalId.
  const key = config.school.key;
  const classIds = new Set(snapshot.classes.filter((c) => c.externalId && c.mailNickname.toLowerCase().startsWith(desired.classes.prefix)).map((c) => c.id));
  let managedGroups = 0;
  for (const g of snapshot.groups) {
    if (classIds.has(g.id) || owned(ownershipOf(g, key, 'group', config.school.name, desired.groups.prefix)) || owned(ownershipOf(g, key, 'sg', config.school.name, desired.groups.prefix))) managedGroups++;
  }
  const blocked = [
    ...licences.blocked,
    ...licenceUnits(changes, snapshot),
    ...groups.blocked,
    ...misGroups.blocked,
    ...classes.blocked,
    ...checkSafety(config, changes, {
      activeManaged: count(managed, (u) => u.accountEnabled),
      managedObjects: managed.length + managedGroups,
      managedMemberships: groups.managedMemberships + misGroups.managedMemberships + classes.managedMemberships,
      managedEvents: count(snapshot.events, (e) => e.tag.startsWith(desired.events.tagPrefix)),
      inScope: count(policy.users, (p) => p.status === 'current'),
      managedGuardians: guardians.managed,
    }),
  ];

  const creates = count(changes, (c) => c.kind === 'user' && c.action === 'create');
  const notes: string[] = [];
  if (creates) {
    const recipient = config.users.passwords.recipient;
    notes.push(recipient
      ? `${creates} new account(s): their first passwords are written only to an encrypted file (${config.users.passwords.out.split(/[\\/]/).pop()!.replace(/(\.age)?$/, '-<time>.age')}, its path printed after apply) for the age key ${recipient.slice(0, 12)}…; open it with rollcall passwords open FILE --identity KEY-FILE to hand them out.`
      : `${creates} new account(s) get passwords nobody knows (no users.passwords.recipient): hand out access with a Temporary Access Pass or an administrator's password reset.`);
  }

  const counts = countRoster(roster);
  // First among the warnings; renderers also put it at the top (render/summary.ts noWorkEmailLine).
  const noEmail = noWorkEmailWarning(config, roster);
  const plan: Plan = {
    version: 1,
    checksum: '',
    createdAt: input.now,
    school: { key: config.school.key, name: config.school.name },
    mode: config.users.mode,
    asOf,
    source: { kind: roster.source.kind, digest, counts: { ...counts } },
    tenant: { domains: snapshot.domains, users: snapshot.users.length, managedUsers: managed.length },
    summary: summarize(changes),
    changes,
    warnings: [noEmail ? [noEmail] : [], configWarnings(config, roster), roster.warnings, users.warnings, education.warnings, licences.warnings, desired.guardians.warnings, guardians.warnings, groups.warnings, misGroups.warnings, classes.warnings, calendar.warnings].flat(),
    blocked,
    unsynced: users.unsynced.sort((a, b) => compareTyped(a.person ?? '', b.person ?? '')),
    notes,
  };
  plan.checksum = planChecksum(plan);
  return plan;
}

/** How many of a list pass a test, without the filtered copy. */
function count<T>(list: readonly T[], test: (x: T) => boolean): number {
  let n = 0;
  for (const x of list) if (test(x)) n++;
  return n;
}

export function summarize(changes: Change[]): SummaryCounts {
  const summary: SummaryCounts = {};
  for (const c of changes) {
    const row = (summary[c.kind] ??= {});
    row[c.action as ChangeAction] = (row[c.action as ChangeAction] ?? 0) + 1;
  }
  return summary;
}
