import { readFileSync } from 'node:fs';
import { BlockedError, ConfigError, RollcallError } from '../errors.js';
import { explainConfig } from '../config/explain.js';
import { loadConfig } from '../config/load.js';
import { formatProblem } from '../config/problems.js';
import { printable } from '../roster/clean-text.js';
import { parseCommandArgs, UsageError, wantsHelp } from './args.js';
import { EXIT } from './exit-codes.js';
import { COMMAND_HELP, USAGE } from './help.js';

export { quietOnClosedPipes } from './pipes.js';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, Command | undefined> = {
  validate,
  explain,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`rollcall ${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || (name === 'help' && !rest.length)) {
    process.stdout.write(USAGE);
    return name ? EXIT.ok : EXIT.error;
  }
  const helpFor = name === 'help' ? rest[0] : wantsHelp(rest) ? name : undefined;
  if (helpFor !== undefined && COMMAND_HELP[helpFor]) {
    process.stdout.write(COMMAND_HELP[helpFor]);
    return EXIT.ok;
  }
  const wanted = name === 'help' ? rest[0] : name;
  const command = commands[wanted] ?? (await lazyCommand(wanted));
  if (!command) {
    process.stderr.write(`rollcall: unknown command "${wanted}"\n\n${USAGE}`);
    return EXIT.error;
  }
  // A command without its own help text yet: the overall usage rather than running it.
  if (helpFor !== undefined) {
    process.stdout.write(USAGE);
    return EXIT.ok;
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
    check: async () => (await import('./check-command.js')).checkCommand,
    plan: async () => (await import('./plan-command.js')).planCommand,
    apply: async () => (await import('./apply-command.js')).applyCommand,
    match: async () => (await import('./match-command.js')).matchCommand,
    passwords: async () => (await import('./passwords-command.js')).passwordsCommand,
    emulator: async () => (await import('./emulator.js')).emulatorCommand,
    history: async () => (await import('./history-command.js')).historyCommand,
    outbox: async () => (await import('./outbox-command.js')).outboxCommand,
  };
  return table[name]?.();
}

/** The version in package.json, found upwards from this file (src/cli in tests, dist/lib/cli when built). */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rollcall' && pkg.version) return pkg.version;
    } catch {
      // not here; look one folder up
    }
    if (dir.pathname === '/') return 'unknown';
  }
}

export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    return EXIT.error;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.problems.length ? err.problems.map((p) => formatProblem(p)).join('\n') : err.message}\n`);
    return EXIT.error;
  }
  if (err instanceof BlockedError) {
    process.stderr.write(`rollcall: ${err.message}\n`);
    return EXIT.blocked;
  }
  if (err instanceof RollcallError) {
    // An error may quote a value from the MIS as it was read; the terminal gets it escaped.
    process.stderr.write(`rollcall: ${printable(err.message)}\n`);
    return EXIT.error;
  }
  process.stderr.write(`rollcall: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.error;
}

async function validate(argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('validate', argv, {}, Infinity);
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
  const { positionals } = parseCommandArgs('explain', argv, {});
  const loaded = await loadConfig(positionals[0] ?? 'rollcall.yaml');
  process.stdout.write(explainConfig(loaded.config, loaded.origins));
  return EXIT.ok;
}
