import type { Logger } from '../log.js';

/** Messages go to stderr so stdout carries only what was asked for (a plan, a roster) and can be piped. */
export function consoleLogger(opts: { verbose?: boolean; stream?: NodeJS.WritableStream } = {}): Logger {
  const out = opts.stream ?? process.stderr;
  const line = (prefix: string) => (m: string) => { out.write(`${prefix}${m}\n`); };
  return {
    debug: opts.verbose ? line('debug: ') : () => {},
    info: line(''),
    warn: line('warning: '),
    error: line('error: '),
  };
}
