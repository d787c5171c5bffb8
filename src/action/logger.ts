import * as core from '@actions/core';
import type { Logger } from '../log.js';

/** The engine's logger on the runner: warnings and errors become annotations, debug shows with step debugging. */
export function actionLogger(): Logger {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    error: (m) => core.error(m),
  };
}

/** Every line through `redact` first: a public repository's job log is public (a failed change names its key). */
export function redactingLogger(log: Logger, redact: (text: string) => string): Logger {
  return {
    debug: (m) => log.debug(redact(m)),
    info: (m) => log.info(redact(m)),
    warn: (m) => log.warn(redact(m)),
    error: (m) => log.error(redact(m)),
  };
}
