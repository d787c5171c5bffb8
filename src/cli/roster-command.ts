import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { readRosterFor } from '../engine/run.js';
import { todayIn } from '../policy/academic-year.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { COMMON_OPTIONS } from './plan-command.js';
import { formatRoster } from './roster.js';

/** `rollcall roster`: what rollcall read from the MIS, as counts (text) or the whole roster (json). */
export async function rosterCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...COMMON_OPTIONS, format: { type: 'string', default: 'text' } } });
  if (values.format !== 'text' && values.format !== 'json') throw new Error(`--format must be text or json, not ${values.format}`);
  const log = consoleLogger({ verbose: values.verbose });
  const loaded = await loadConfig(positionals[0] ?? 'rollcall.yaml');
  const asOf = values['as-of'] ?? todayIn(loaded.config.school.timeZone ?? 'Europe/London');
  const roster = await readRosterFor(loaded, asOf, log);
  process.stdout.write(formatRoster(roster, values.format));
  return EXIT.ok;
}
