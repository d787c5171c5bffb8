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
