import { parseArgs } from 'node:util';
import { BlockedError, ConfigError, RollcallError } from '../errors.js';
import { explainConfig } from '../config/explain.js';
import { loadConfig } from '../config/load.js';
import { formatProblem } from '../config/problems.js';
import { EXIT } from './exit-codes.js';

const USAGE = `rollcall: MIS → Microsoft 365, declared in YAML, reviewed as a plan

Usage:
  rollcall validate [files…]            check configuration files (default ./rollcall.yaml)
  rollcall explain [config]             the effective configuration, with where each value came from
  rollcall roster [config] [--format text|json]
  rollcall plan [config] [--format text|markdown|json] [--out file] [--detailed-exitcode]
  rollcall apply [config] [--plan file] [--approve <checksum>]
  rollcall match [config] [--out file] [--review file]
  rollcall passwords open FILE --identity KEY-FILE [--out csv]
  rollcall emulator --state file [--port n] [--domain d]…

Exit codes: 0 ok or no changes, 1 error, 2 changes pending (--detailed-exitcode), 3 blocked by a safety limit.
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, Command | undefined> = {
  validate,
  explain,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? EXIT.ok : EXIT.error;
  }
  const command = commands[name] ?? (await lazyCommand(name));
  if (!command) {
    process.stderr.write(`rollcall: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.error;
  }
  try {
    return await command(rest);
  } catch (err) {
    return reportError(err);
  }
}

/** Commands with heavy dependencies (SOAP, Graph) load only when used, so `validate` starts fast. */
async function lazyCommand(name: string): Promise<Command | undefined> {
  const table: Record<string, () => Promise<Command>> = {
    roster: async () => (await import('./roster-command.js')).rosterCommand,
    plan: async () => (await import('./plan-command.js')).planCommand,
    apply: async () => (await import('./apply-command.js')).applyCommand,
    match: async () => (await import('./match-command.js')).matchCommand,
    passwords: async () => (await import('./passwords-command.js')).passwordsCommand,
    emulator: async () => (await import('./emulator.js')).emulatorCommand,
  };
  return table[name]?.();
}

export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.problems.length ? err.problems.map((p) => formatProblem(p)).join('\n') : err.message}\n`);
    return EXIT.error;
  }
  if (err instanceof BlockedError) {
    process.stderr.write(`rollcall: ${err.message}\n`);
    return EXIT.blocked;
  }
  if (err instanceof RollcallError) {
    process.stderr.write(`rollcall: ${err.message}\n`);
    return EXIT.error;
  }
  process.stderr.write(`rollcall: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.error;
}

async function validate(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const files = positionals.length ? positionals : ['rollcall.yaml'];
  let failed = 0;
  for (const file of files) {
    try {
      const loaded = await loadConfig(file);
      for (const w of loaded.warnings) process.stderr.write(`${formatProblem(w)}\n`);
      process.stdout.write(`${file}: valid${loaded.files.length > 1 ? ` (with ${loaded.files.length - 1} extended file(s))` : ''}\n`);
    } catch (err) {
      failed++;
      reportError(err);
    }
  }
  return failed ? EXIT.error : EXIT.ok;
}

async function explain(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const loaded = await loadConfig(positionals[0] ?? 'rollcall.yaml');
  process.stdout.write(explainConfig(loaded.config, loaded.origins));
  return EXIT.ok;
}
