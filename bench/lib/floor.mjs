// The best wall time Graph's published limits allow for a plan (the "floor"), derived from the plan itself, so
// that "wall ÷ floor" says how close a run came to the physical limit whatever the school.
//
// Resources (shared/reference/graph.md; the emulator's throttle.ts models the same figures):
//   - directory writes (users, groups, classes, education profiles, memberships): 20 per second and 3,000 per
//     150 s per app, 18,000 per 5 min per tenant. Counted as the minimum Graph can take them (minimum.mjs): one per
//     create or update, one bulk bind per 20 members of a group, and a class's teachers one per request through the
//     education API, the only way Graph makes someone a class's teacher;
//   - Teams: 10 POSTs per second (team create, archive, unarchive);
//   - Outlook: per mailbox 10,000 requests per 10 min and 4 at once; a $batch of up to 20 chained events is one of
//     those 4, answered after one round trip.
// Dependency chain, one round trip (latency) per step: the tenant read (pages of a collection follow one another)
// before any write; a class and its teacher's account (concurrently), the teacher into the class, the team POST,
// Teams' provisioning (the async operation), the poll that sees it done; an account before its events.
// Floor = reads + max(resource floors, the chain after the reads).
import { minimumWritesEducationApi } from './minimum.mjs';

export const GRAPH_LIMITS = {
  writesPerSecond: 20,
  writesPer150s: 3000,
  tenantWritesPer5min: 18_000,
  teamsPostsPerSecond: 10,
  mailboxPer10min: 10_000,
  mailboxConcurrency: 4,
  batch: 20,
};

const PAGE = 999;
const pages = (n) => Math.max(1, Math.ceil(n / PAGE));

/** Seconds for n requests under a rate per second and a quota per window (fixed windows, as Graph counts them). */
function quotaSeconds(n, perSecond, windows) {
  let s = n / perSecond;
  for (const [limit, seconds] of windows) s = Math.max(s, Math.floor((n - 1) / limit) * seconds);
  return n > 0 ? s : 0;
}

const isTeam = (c) => c.kind === 'team';
const isEvent = (c) => c.kind === 'event';
const mailboxOf = (c) => c.member?.id ?? c.member?.createdBy ?? '?';

/**
 * The floor of `plan` (its `changes`), in seconds. `snapshot` (what was read before planning) gives the read pages;
 * `latencyMs` is one request's round trip; `teamProvisioningMs` how long Teams takes to provision a team.
 */
export function floorSeconds(plan, { snapshot, latencyMs, teamProvisioningMs, education = true, limits = GRAPH_LIMITS }) {
  const L = latencyMs / 1000;
  const changes = plan.changes;
  const directory = minimumWritesEducationApi({ changes: changes.filter((c) => !isTeam(c) && !isEvent(c)) });
  const teamPosts = changes.filter(isTeam).length;
  const perMailbox = new Map();
  for (const c of changes) if (isEvent(c)) perMailbox.set(mailboxOf(c), (perMailbox.get(mailboxOf(c)) ?? 0) + 1);

  const directorySeconds = quotaSeconds(directory, limits.writesPerSecond, [[limits.writesPer150s, 150], [limits.tenantWritesPer5min, 300]]);
  const teamsSeconds = teamPosts / limits.teamsPostsPerSecond;
  let outlookSeconds = 0;
  for (const n of perMailbox.values()) {
    const rounds = Math.ceil(n / (limits.mailboxConcurrency * limits.batch));
    outlookSeconds = Math.max(outlookSeconds, Math.floor((n - 1) / limits.mailboxPer10min) * 600 + rounds * L);
  }

  // Reads: each collection's pages one after another, the collections side by side.
  const s = snapshot ?? { users: [], groups: [], classes: [], teams: [] };
  const entries = s.groups.reduce((n, g) => n + Math.max(1, Math.ceil((g.members.length + g.owners.length) / 50)), 0);
  const readPages = Math.max(pages(s.users.length), pages(entries), ...(education ? [pages(s.classes.length), pages(s.teams.length)] : []));
  const readSeconds = readPages * L;

  // The longest chain of dependent requests after the read: a change alone is one round trip, one that needs an
  // object this plan creates is two; a team is its POST, Teams' provisioning and the poll that sees it done, after
  // (for a new class) the class and its teacher's account, side by side, and the teacher's joining the class.
  let chainSeconds = 0;
  for (const c of changes) {
    const needsCreate = [c.target, c.group, c.member].some((r) => r?.createdBy);
    let t = (needsCreate ? 2 : 1) * L;
    if (c.kind === 'team' && c.action === 'create') t = (needsCreate ? 2 : 0) * L + 2 * L + teamProvisioningMs / 1000;
    chainSeconds = Math.max(chainSeconds, t);
  }

  const seconds = readSeconds + Math.max(directorySeconds, teamsSeconds, outlookSeconds, chainSeconds);
  return { seconds, readSeconds, directoryWrites: directory, directorySeconds, teamPosts, teamsSeconds, mailboxes: perMailbox.size, outlookSeconds, chainSeconds };
}
