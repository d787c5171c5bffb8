import type { RosterCounts } from '../roster/types.js';

// A sharp fall in people is more often a setting than a wave of leavers (Bromcom's Data Processing Consent
// hides everyone without consent; an export filter can do the same), so it is said out loud.
const THRESHOLD = 0.1;
const MIN_DROP = 5;

export function sharpDropWarnings(now: RosterCounts, before: RosterCounts | undefined, hint: string): string[] {
  if (!before) return [];
  const out: string[] = [];
  for (const kind of ['students', 'staff'] as const) {
    const drop = before[kind] - now[kind];
    if (before[kind] > 0 && drop >= MIN_DROP && drop / before[kind] > THRESHOLD) {
      out.push(`the number of ${kind} fell from ${before[kind]} to ${now[kind]} (${Math.round((100 * drop) / before[kind])} %) since the last read. ${hint}`);
    }
  }
  return out;
}
