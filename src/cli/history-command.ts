import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_CSV_HEADER, HISTORY_KINDS, HISTORY_STATUSES, historyLine, historyRow, idsNamed, journalFiles, matchesHistory, parseHistoryDate, readHistory, type HistoryFilter } from '../apply/history.js';
import { JOURNAL_DIR } from '../apply/journal.js';
import { DEFAULT_CONFIG } from '../engine/options.js';
import { csvTable } from '../render/csv.js';
import type { ChangeKind } from '../plan/types.js';
import { printable } from '../roster/clean-text.js';
import { parseCommandArgs, UsageError } from './args.js';
import { EXIT } from './exit-codes.js';

const FORMATS = ['text', 'json', 'csv'] as const;

const usage = (what: string) => new UsageError(`rollcall history: ${what} (see rollcall history --help)`);

/**
 * `rollcall history [config] [--person ID|name] [--since DATE] [--until DATE] [--kind K] [--status S] [--format F]
 * [--journal DIR]`: the journal of what apply did, filtered. Reads files only: no MIS, no tenant, no secrets.
 */
export async function historyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('history', argv, {
    person: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, kind: { type: 'string' },
    status: { type: 'string' }, format: { type: 'string', default: 'text' }, journal: { type: 'string' },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw usage(`--format must be ${FORMATS.join(', ')}, not ${values.format}`);
  const filter: HistoryFilter = {};
  if (values.person !== undefined) {
    if (!values.person.trim()) throw usage('--person needs a MIS id or a name');
    filter.person = values.person.trim();
  }
  for (const [opt, end] of [['since', false], ['until', true]] as const) {
    const v = values[opt];
    if (v === undefined) continue;
    const t = parseHistoryDate(v, end);
    if (t === undefined) throw usage(`--${opt} must be a date YYYY-MM-DD (or an ISO time with its zone), not ${v}`);
    if (end) filter.before = t; else filter.from = t;
  }
  if (values.kind !== undefined) {
    if (!HISTORY_KINDS.includes(values.kind as ChangeKind)) throw usage(`--kind must be one of ${HISTORY_KINDS.join(', ')}, not ${values.kind}`);
    filter.kind = values.kind as ChangeKind;
  }
  if (values.status !== undefined) {
    if (!HISTORY_STATUSES.includes(values.status as HistoryFilter['status'] & string)) throw usage(`--status must be one of ${HISTORY_STATUSES.join(', ')}, not ${values.status}`);
    filter.status = values.status as HistoryFilter['status'];
  }
  const config = positionals[0] ?? DEFAULT_CONFIG;
  // The journal of a config is beside it; --journal reads another (a checkout of the rollcall/journal branch).
  const dir = values.journal ?? path.join(path.dirname(path.resolve(config)), JOURNAL_DIR);
  if (!values.journal) filter.config = config;
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    process.stderr.write(`rollcall history: no journal at ${dir}${values.journal ? '' : ' (rollcall apply writes one there)'}\n`);
    return values.journal ? EXIT.error : EXIT.ok;
  }
  const files = await journalFiles(dir);
  // A name finds the person's account lines; their ids then find the memberships, which carry no name.
  if (filter.person) filter.personIds = await idsNamed(files, filter.person);
  const rows: (string | number | undefined)[][] = [];
  let shown = 0;
  for await (const item of readHistory(files)) {
    if ('problem' in item) { process.stderr.write(`rollcall history: warning: ${item.problem}\n`); continue; }
    if (!matchesHistory(item.entry, filter)) continue;
    shown++;
    // Text and JSON go out line by line; CSV is written once (one header, every cell neutralised).
    if (format === 'csv') rows.push(historyRow(item.entry));
    else if (format === 'json') process.stdout.write(`${JSON.stringify(item.entry)}\n`);
    else process.stdout.write(`${printable(historyLine(item.entry))}\n`);
  }
  if (format === 'csv') process.stdout.write(csvTable(HISTORY_CSV_HEADER, rows));
  if (!shown) process.stderr.write('rollcall history: no journal entries match\n');
  return EXIT.ok;
}
