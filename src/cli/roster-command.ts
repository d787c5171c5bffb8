import { loadConfig } from '../config/load.js';
import { readRosterFor } from '../engine/run.js';
import { todayIn } from '../policy/academic-year.js';
import { OptionsError } from '../engine/options.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { cliRunOptions, COMMON_OPTIONS } from './plan-command.js';
import { formatRoster } from './roster.js';

/** `rollcall roster`: what rollcall read from the MIS, as counts (text) or the whole roster (json). */
export async function rosterCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('roster', argv, { ...COMMON_OPTIONS, format: { type: 'string', default: 'text' } });
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new OptionsError(`--format must be text or json, not ${format}`);
  const opts = cliRunOptions({ 'as-of': values['as-of'], verbose: values.verbose }, positionals);
  const log = consoleLogger({ verbose: opts.verbose });
  const loaded = await loadConfig(opts.configPath);
  const asOf = opts.asOf ?? todayIn(loaded.config.school.timeZone);
  const roster = await readRosterFor(loaded, asOf, log);
  process.stdout.write(formatRoster(roster, format));
  return EXIT.ok;
}
