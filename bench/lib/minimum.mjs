// The theoretical minimum of Graph operations for a run, derived from the plan and the snapshot it was made from
// (not hand-typed), so that "requests sent against the minimum" means something for any school.
//
// Writes (one Graph operation each, whether sent alone or inside a $batch, since Graph charges inner requests):
//   - user, group and class create, update, suspend, restore, delete: 1 each;
//   - team create, archive, unarchive: 1 each (the POST; polls of Teams' async operation are not counted: rollcall
//     waits 5 s before its first poll, so a team that provisions promptly costs one poll above this minimum);
//   - event create, update, delete: 1 each (one per lesson per attendee's mailbox);
//   - member/owner additions: ceil((members + owners) / 20) per group, classes included — Graph binds up to 20
//     owners and members together in one PATCH /groups/{id}, and a class is a Microsoft 365 group with the same id;
//   - member/owner removals: 1 each (Graph has no bulk unbind).
// Reads (what any correct client must read to plan):
//   - users, groups (with members and owners, by delta), and, in an Education tenant, classes and teams: one page
//     of up to 999 entries per collection at least (ceil(n / 999), at least 1); /groups/delta spreads a large
//     group's members over several entries (the emulator, like Graph, 50 a time), so a group is ceil(m / 50) entries;
//   - calendars: one calendarView page per mailbox read (up to 999 events each).
const PAGE = 999;
const BIND = 20;
const pages = (n) => Math.max(1, Math.ceil(n / PAGE));

/**
 * The same minimum, but with class members added the way Graph's education API takes them (one person per
 * POST /education/classes/{id}/members|teachers/$ref), which is how rollcall adds them today.
 */
export function minimumWritesEducationApi(plan) {
  const perClass = plan.changes.filter((c) => c.kind === 'membership' && c.via === 'class' && (c.action === 'add-member' || c.action === 'add-owner')).length;
  return minimumWrites({ changes: plan.changes.filter((c) => !(c.kind === 'membership' && c.via === 'class' && (c.action === 'add-member' || c.action === 'add-owner'))) }) + perClass;
}

export function minimumWrites(plan) {
  let writes = 0;
  const binds = new Map();
  for (const c of plan.changes) {
    if (c.kind === 'membership' && (c.action === 'add-member' || c.action === 'add-owner')) {
      const g = c.group?.id ?? c.group?.createdBy ?? c.group?.name;
      binds.set(g, (binds.get(g) ?? 0) + 1);
    } else writes++;
  }
  for (const n of binds.values()) writes += Math.ceil(n / BIND);
  return writes;
}

/** `mailboxes`: how many calendars the run reads (0 when calendars are off or no managed account exists yet). */
export function minimumReads(snapshot, { education, mailboxes }) {
  const entries = snapshot.groups.reduce((n, g) => n + Math.max(1, Math.ceil((g.members.length + g.owners.length) / 50)), 0);
  let reads = pages(snapshot.users.length) + pages(entries);
  if (education) reads += pages(snapshot.classes.length) + pages(snapshot.teams.length);
  return reads + mailboxes;
}

/** What reached the emulator, from its counts: HTTP requests, and Graph operations ($batch unpacked). */
export function countsOf(counts) {
  const batches = counts.byKind['POST $batch'] ?? 0;
  const operations = counts.total - batches + counts.batchInner;
  let identityWrites = 0;
  let outlook = 0;
  let teams = 0;
  let reads = 0;
  for (const [kind, n] of Object.entries(counts.byKind)) {
    if (kind === 'POST $batch') continue;
    const [method, route] = kind.split(' ');
    if (/events|calendar|sendMail/i.test(route)) outlook += n;
    else if (route.startsWith('teams')) teams += n;
    else if (method === 'GET') reads += n;
    else identityWrites += n;
  }
  return { httpRequests: counts.total, operations, batches, identityWrites, outlookRequests: outlook, teamsRequests: teams, directoryReads: reads, throttled: counts.throttled };
}
