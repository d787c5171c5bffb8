// The journal: one JSON line per applied change, written as each change finishes (a first sync is 70,000+ changes;
// apply keeps counts, and the journal is where the detail goes, on disk, not in memory). Locally it is
// `.rollcall/journal/YYYY-MM.jsonl` beside the config; in the Action, a file of the run's own (an artifact) and,
// with `report.journal: branch`, a file on the `rollcall/journal` branch. `rollcall history` reads it back.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { RollcallError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Change, ChangeAction, ChangeKind, Plan, Subject } from '../plan/types.js';
import { BULLETS, Masker, type PersonalData } from '../render/mask.js';
import type { ChangeResult } from './tally.js';

/** One line of the journal. `subject` is masked as `report.personalData` says, like everything rollcall publishes. */
export interface JournalEntry {
  time: string;
  run: string;
  config: string;
  checksum: string;
  key: string;
  kind: ChangeKind;
  action: ChangeAction;
  subject: Subject;
  /** For memberships: the group or class, by the school's own name. */
  group?: string;
  status: ChangeResult['status'];
  detail?: string;
  requestId?: string;
  error?: { status: number; code: string; message: string };
}

/** Where and as whom a run journals. */
export interface JournalTarget {
  file: string;
  run: string;
  /** How the entries name the config: relative to the journal's folder (CLI) or to the repository (Action). */
  config: string;
  personalData: PersonalData;
  /**
   * The change as this journal may show it (a public repository's pseudonymised ids); the result is looked up by
   * the original key, so the view must keep the plan's order.
   */
  view?: (plan: Plan) => Plan;
}

export const JOURNAL_DIR = path.join('.rollcall', 'journal');

/** `.rollcall/journal/2026-11.jsonl` beside the config: one file a month (UTC), so pruning is deleting files. */
export function localJournalFile(configFile: string, now: Date): string {
  return path.join(path.dirname(path.resolve(configFile)), JOURNAL_DIR, `${now.toISOString().slice(0, 7)}.jsonl`);
}

/** A run id that sorts by time and is unique enough for one school's runs: `20261130T041200Z-3fa2c1`. */
export function localRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** A change and its result as a journal line, masked by `m` (built on the plan, so it knows every name). */
export function journalEntry(c: Change, r: ChangeResult, m: Masker, base: Pick<JournalEntry, 'time' | 'run' | 'config' | 'checksum'>): JournalEntry {
  const counts = m.mode === 'counts';
  const subject = counts ? countsSubject(c.subject) : m.subject(c.subject, c.kind);
  const requestId = r.requestId ?? r.error?.requestId;
  return {
    ...base,
    key: counts ? m.text(c.key) : m.key(c),
    kind: c.kind,
    action: c.action,
    subject,
    // A class may be named after its teacher: scrubbed of known names, as every renderer does.
    ...(c.group ? { group: m.text(c.group.name) } : {}),
    status: r.status,
    ...(r.detail ? { detail: m.text(r.detail) } : {}),
    ...(requestId ? { requestId } : {}),
    ...(r.error ? { error: { status: r.error.status, code: r.error.code, message: m.text(r.error.message) } } : {}),
  };
}

/** `counts` keeps no one in the journal: the year group stays (it is a count's dimension), the rest goes. */
function countsSubject(s: Subject): Subject {
  if (!s.person && !s.displayName?.length && !s.initials) return s.yearGroup ? { yearGroup: s.yearGroup } : {};
  const kind = s.person?.slice(0, s.person.indexOf(':'));
  return { ...(kind ? { person: `${kind}:${BULLETS}` as Subject['person'] } : {}), ...(s.yearGroup ? { yearGroup: s.yearGroup } : {}) };
}

/**
 * Appends a run's lines to its file as changes finish. Opened before the first change is sent (a journal that
 * cannot be written stops the apply before anything happens); a write that fails later is a warning, since the
 * tenant has changed by then whatever the disk says.
 */
export class JournalWriter {
  private failed?: Error;
  private lines = 0;
  private readonly view: Map<string, Change>;
  private readonly masker: Masker;
  private readonly checksum: string;

  private constructor(private readonly stream: WriteStream, private readonly target: JournalTarget, plan: Plan, private readonly log: Logger, private readonly now: () => Date) {
    const shown = target.view ? target.view(plan) : plan;
    this.masker = new Masker(target.personalData, shown);
    this.checksum = plan.checksum;
    this.view = new Map();
    if (shown !== plan) plan.changes.forEach((c, i) => this.view.set(c.key, shown.changes[i]));
    stream.on('error', (err) => {
      if (!this.failed) log.warn(`journal ${target.file}: ${err.message}; later changes are not journalled`);
      this.failed = err;
    });
  }

  static async open(target: JournalTarget, plan: Plan, log: Logger, now: () => Date = () => new Date()): Promise<JournalWriter> {
    try {
      await mkdir(path.dirname(target.file), { recursive: true });
      const stream = createWriteStream(target.file, { flags: 'a', encoding: 'utf8' });
      await new Promise<void>((resolve, reject) => { stream.once('open', () => resolve()); stream.once('error', reject); });
      return new JournalWriter(stream, target, plan, log, now);
    } catch (err) {
      throw new RollcallError(`cannot write the journal ${target.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was applied`, { cause: err });
    }
  }

  get file(): string { return this.target.file; }

  /** One line for a finished change; `change` is the plan's own (the view, if any, is applied here). */
  write(change: Change, result: ChangeResult): void {
    if (this.failed) return;
    const c = this.view.get(change.key) ?? change;
    const entry = journalEntry(c, result, this.masker, { time: this.now().toISOString(), run: this.target.run, config: this.target.config, checksum: this.checksum });
    this.stream.write(`${JSON.stringify(entry)}\n`);
    this.lines++;
  }

  /** Flushes and closes; the number of lines written. */
  async close(): Promise<number> {
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    if (this.failed) this.log.warn(`journal ${this.target.file} is incomplete (${this.failed.message})`);
    return this.lines;
  }
}
