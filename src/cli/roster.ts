import { countRoster } from '../roster/counts.js';
import { personStatus } from '../roster/dates.js';
import { rosterDigest } from '../roster/digest.js';
import type { Roster } from '../roster/types.js';

/** `rollcall roster`: counts per kind and warnings (text), or the roster itself with its counts (json). */
export function formatRoster(roster: Roster, format: 'text' | 'json'): string {
  const counts = countRoster(roster);
  if (format === 'json') return JSON.stringify({ ...roster, counts, digest: rosterDigest(roster) }, null, 2) + '\n';
  const lines = [
    `source: ${roster.source.kind} (as of ${roster.source.asOf})`,
    `students     ${counts.students}${statusBreakdown(roster, 'student')}`,
    `staff        ${counts.staff}${statusBreakdown(roster, 'staff')}`,
    `groups       ${counts.groups}${groupBreakdown(roster)}`,
    `memberships  ${counts.memberships}`,
    `lessons      ${counts.lessons}`,
    `digest       ${rosterDigest(roster)}`,
  ];
  if (roster.warnings.length) lines.push('', `warnings (${roster.warnings.length}):`, ...roster.warnings.map((w) => `  - ${w}`));
  return lines.join('\n') + '\n';
}

// Starters and leavers are read on purpose (leaver rules need them); the breakdown says how many there are.
function statusBreakdown(roster: Roster, kind: 'student' | 'staff'): string {
  const n = { current: 0, future: 0, left: 0 };
  for (const p of roster.people) if (p.kind === kind) n[personStatus(p, roster.source.asOf)]++;
  return n.future || n.left ? `  (on roll ${n.current}, starting ${n.future}, left ${n.left})` : '';
}

function groupBreakdown(roster: Roster): string {
  const by = new Map<string, number>();
  for (const g of roster.groups) by.set(g.kind, (by.get(g.kind) ?? 0) + 1);
  const parts = (['year', 'registration', 'house', 'teaching'] as const).filter((k) => by.has(k)).map((k) => `${k} ${by.get(k)}`);
  return parts.length ? `  (${parts.join(', ')})` : '';
}
