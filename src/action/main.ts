// Entry point of the GitHub Action (bundled into dist/index.js). Errors become a failed step with a message
// that names what to fix; the stack only with step debugging on.
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
}).finally(() => {
  // Once the run has settled nothing is left to do; a timer some reader left behind (seen after a failed MIS
  // read while the tenant read was still in flight) must not hold the job until its six-hour timeout.
  // Outputs and the summary are already written (synchronously); process.exitCode carries setFailed's 1.
  setTimeout(() => process.exit(), 2000).unref();
});
