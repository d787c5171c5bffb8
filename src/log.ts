// One small logger interface: the CLI prints to stderr, the action maps to @actions/core, tests collect lines.
// Never pass personal data or secrets to a logger: logs end up in CI output.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Progress of long work; a TTY may draw a bar, CI prints a line now and then. */
  progress?(label: string, done: number, total: number): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => { lines.push(`${level}: ${m}`); };
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
