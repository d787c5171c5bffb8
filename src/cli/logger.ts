import type { Logger } from '../log.js';
import { writeLine } from './progress.js';
import { printable } from '../roster/clean-text.js';

/** Messages go to stderr so stdout carries only what was asked for (a plan, a roster) and can be piped. */
export function consoleLogger(opts: { verbose?: boolean; stream?: NodeJS.WritableStream } = {}): Logger {
  const out = opts.stream ?? process.stderr;
  // Through writeLine: while apply's progress bar is drawn on this stream, a message goes above it, not into it.
  const line = (prefix: string) => (m: string) => { writeLine(out, printable(`${prefix}${m}`)); };
  return {
    debug: opts.verbose ? line('debug: ') : () => {},
    info: line(''),
    warn: line('warning: '),
    error: line('error: '),
  };
}
