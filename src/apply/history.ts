// Reading the journal back: `rollcall history` answers "what was done for this pupil last week" and "what failed
// last night". Lines are read one at a time (a journal grows by a first sync's 70,000 lines in one go), filtered,
// and handed on; nothing is kept.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ChangeKind } from '../plan/types.js';
import { isValidIsoDate } from '../roster/dates.js';
import type { JournalEntry } from './journal.js';

export const HISTORY_KINDS: ChangeKind[] = ['user', 'group', 'class', 'team', 'event', 'membership', 'licence'];
export const HISTORY_STATUSES: JournalEntry['status'][] = ['done', 'skipped', 'failed'];

export interface HistoryFilter {
  /** A MIS id (`student:1042`, or `1042`) or a part of a name or address, case-insensitive. */
  person?: string;
  /** Milliseconds since the epoch: from (inclusive) and before (exclusive). */
  from?: number;
  before?: number;
  kind?: ChangeKind;
  status?: JournalEntry['status'];
  /** The MIS ids of the people `person` named (a membership line carries the id, not the name). */
  personIds?: ReadonlySet<string>;
  /** Only entries of this config (compared by file name: the CLI journals `north.yaml`, the Action `schools/north.yaml`). */
  config?: string;
}

const DAY_MS = 86_400_000;

/**
 * `--since 2026-11-23` is from the start of that day, `--until 2026-11-29` up to the end of it (UTC, as the journal's
 * times are); a full ISO time is taken as it is. Undefined for anything else, so the caller can name the option.
 */
export function parseHistoryDate(value: string, end: boolean): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isValidIsoDate(value)) return undefined;
    const start = Date.parse(`${value}T00:00:00Z`);
    return end ? start + DAY_MS : start;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function matchesHistory(e: JournalEntry, f: HistoryFilter): boolean {
  if (f.kind && e.kind !== f.kind) return false;
  if (f.status && e.status !== f.status) return false;
  if (f.config && path.posix.basename(e.config ?? '') !== path.posix.basename(f.config)) return false;
  if (f.from !== undefined || f.before !== undefined) {
    const t = Date.parse(e.time);
    if (f.from !== undefined && !(t >= f.from)) return false;
    if (f.before !== undefined && !(t < f.before)) return false;
  }
  if (f.person) {
    const want = f.person.toLowerCase();
    const id = e.subject?.person?.toLowerCase();
    const byId = id !== undefined && (id === want || id.slice(id.indexOf(':') + 1) === want || f.personIds?.has(id) === true);
    if (!byId && !namedIn(e, want)) return false;
  }
  return true;
}

/** Whether the entry names `want` (lower case): the person's name or address, never a membership's group. */
export function namedIn(e: JournalEntry, want: string): boolean {
  const s = e.subject ?? {};
  const names = [s.displayName, e.kind === 'membership' && !s.name?.includes('@') ? undefined : s.name];
  return names.some((n) => n?.toLowerCase().includes(want));
}

/** The lower-cased MIS ids of the entries that name `want`, so a search by name finds their memberships too. */
export async function idsNamed(files: string[], want: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const item of readHistory(files)) {
    if ('entry' in item && item.entry.subject?.person && namedIn(item.entry, want.toLowerCase())) ids.add(item.entry.subject.person.toLowerCase());
  }
  return ids;
}

/** The journal files under `dir` (a local `.rollcall/journal`, or a checkout of the `rollcall/journal` branch), oldest first. */
export async function journalFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names.filter((n) => n.endsWith('.jsonl')).sort().map((n) => path.join(dir, n));
}

export type HistoryItem = { entry: JournalEntry } | { problem: string };

/**
 * Every entry of the files in order, or a problem naming the file and line: a line cut short by a crash mid-write
 * is reported and skipped, never the end of the history.
 */
export async function* readHistory(files: string[]): AsyncGenerator<HistoryItem> {
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let entry: unknown;
      try { entry = JSON.parse(line); } catch { entry = undefined; }
      if (!isEntry(entry)) { yield { problem: `${file}:${n}: not a journal line; skipped` }; continue; }
      yield { entry };
    }
  }
}

function isEntry(v: unknown): v is JournalEntry {
  const e = v as Partial<JournalEntry> | null;
  return typeof e === 'object' && e !== null && typeof e.time === 'string' && typeof e.key === 'string' && typeof e.kind === 'string'
    && typeof e.action === 'string' && typeof e.status === 'string' && typeof e.subject === 'object' && e.subject !== null;
}

export const HISTORY_CSV_HEADER = ['time', 'run', 'config', 'checksum', 'key', 'kind', 'action', 'person', 'name', 'displayName', 'yearGroup', 'group', 'status', 'detail', 'requestId', 'errorStatus', 'errorCode', 'errorMessage'];

export function historyRow(e: JournalEntry): (string | number | undefined)[] {
  const s = e.subject;
  return [e.time, e.run, e.config, e.checksum, e.key, e.kind, e.action, s.person, s.name, s.displayName, s.yearGroup, e.group, e.status, e.detail, e.requestId, e.error?.status, e.error?.code, e.error?.message];
}

/** `2026-11-30 02:10:04Z  done    create user  Zofia Å <z@…> (student:1042, Y7)`, and Graph's error when it failed. */
export function historyLine(e: JournalEntry): string {
  const s = e.subject;
  // A membership's subject is the person and the group's name; the group is shown after the arrow.
  const own = e.kind === 'membership' && !s.name?.includes('@') ? undefined : s.name;
  const name = s.displayName ?? own;
  const addr = s.displayName && own && own !== s.displayName ? ` <${own}>` : '';
  const ids = [s.person, s.yearGroup && (/^\d+$/.test(s.yearGroup) ? `Y${s.yearGroup}` : s.yearGroup)].filter(Boolean).join(', ');
  const who = name ? `${name}${addr}${ids ? ` (${ids})` : ''}` : ids || e.key;
  const what = `${e.action} ${e.kind}`;
  const head = `${e.time.slice(0, 19).replace('T', ' ')}Z  ${e.status.padEnd(7)} ${what.padEnd(24)} ${who}${e.group ? ` → ${e.group}` : ''}`;
  const why = e.error ? `${e.error.status} ${e.error.code}: ${e.error.message}` : e.status !== 'done' ? e.detail : undefined;
  const tail = [why, e.requestId && `request-id ${e.requestId}`].filter(Boolean).join('; ');
  return tail ? `${head}\n    ${tail}` : head;
}
