// Entry point of the GitHub Action (bundled into dist/index.js). Errors become a failed step with a message
// that names what to fix; the stack only with step debugging on. The process ends by itself once the run has
// settled: every flow closes the tenant it opened, and closing it leaves no timer or socket behind.
import * as core from '@actions/core';
import { ConfigError, RollcallError } from '../errors.js';
import { runAction } from './run.js';

runAction().catch((err: unknown) => {
  if (err instanceof ConfigError) core.setFailed(err.message);
  else if (err instanceof RollcallError) core.setFailed(`rollcall: ${err.message}`);
  else {
    core.debug((err as Error)?.stack ?? String(err));
    core.setFailed(`rollcall: unexpected error: ${(err as Error)?.message ?? String(err)}`);
  }
});
