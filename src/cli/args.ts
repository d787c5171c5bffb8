import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RollcallError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake on the command line: printed as it is (it names the command and where its help is), exit 1. */
export class UsageError extends RollcallError {}

const usage = (command: string, what: string) => new UsageError(`rollcall ${command}: ${what} (see rollcall ${command} --help)`);

/**
 * node's parseArgs with its errors turned into one sentence naming the option: its own messages come as TypeErrors
 * with a stack and advice about `--`, which is not what someone who mistyped an option needs. `positionals` is how
 * many plain arguments the command takes; more is a mistake too, not something silently ignored.
 */
export function parseCommandArgs<const O extends Options>(command: string, argv: string[], options: O, positionals = 1) {
  let parsed;
  try {
    parsed = parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    const option = /'(-[^' ]+(?:, --[^' ]+)?)/.exec(message)?.[1]?.split(', ').pop();
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw usage(command, `unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
      throw usage(command, /argument missing/.test(message) ? `${option} needs a value` : `${option} takes no value`);
    }
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw usage(command, message);
    throw e;
  }
  if (parsed.positionals.length > positionals) {
    const extra = parsed.positionals[positionals];
    throw usage(command, `unexpected argument "${extra}": ${command} takes ${positionals ? 'one configuration file' : 'no arguments'}`);
  }
  return parsed;
}

/** `--help` or `-h` anywhere before a `--`: the command's help, whatever else is on the line. */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}
