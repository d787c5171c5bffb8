import { loadConfig } from '../config/load.js';
import { runCheck } from '../engine/check.js';
import { renderCheck } from '../render/check.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';

/**
 * `rollcall check [config]`: read-only. Signs in, lists the permissions the configuration needs against those the
 * token has, reads a little of the source, and says what is missing. Exit 0 when nothing is, 1 otherwise.
 */
export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, { verbose: { type: 'boolean', short: 'v' }, 'as-of': { type: 'string' } });
  const configPath = positionals[0] ?? 'rollcall.yaml';
  const log = consoleLogger({ verbose: values.verbose === true });
  const loaded = await loadConfig(configPath);
  const report = await runCheck(loaded, { log, ...(values['as-of'] ? { asOf: values['as-of'] } : {}) });
  process.stdout.write(renderCheck(report, configPath));
  return report.missing ? EXIT.error : EXIT.ok;
}
