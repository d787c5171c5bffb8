import { readFile } from 'node:fs/promises';
import { applySession } from '../engine/apply-session.js';
import { planSession } from '../engine/run.js';
import { RollcallError } from '../errors.js';
import { approvalFor, refusalOf } from '../plan/refusal.js';
import type { Plan } from '../plan/types.js';
import { renderPlan } from '../render/index.js';
import { thousands } from '../render/summary.js';
import { ProgressReporter } from './progress.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { parsePlanFile, planFileMismatch, type PlanFile } from './plan-file.js';
import { cliDeltaState, cliRunOptions, COMMON_OPTIONS, TENANT_READ_OPTIONS } from './plan-command.js';
import { askYesNo, isInteractive, type Terminal } from './confirm.js';

/** Where apply talks to the person running it: the process's own streams, or a test's. */
export interface ApplyIo extends Terminal {
  env: NodeJS.ProcessEnv;
}

const processIo = (): ApplyIo => ({ stdin: process.stdin, stdout: process.stdout, env: process.env });

/**
 * `rollcall apply`: plans again from live reads and applies. With --plan, only if the file is checkable against its
 * checksum and the fresh plan is the one it holds. A blocked plan writes nothing unless --approve names exactly
 * its checksum, and a block that is a configuration problem writes nothing at all. With --only, all of this is
 * about the selection's plan. On a terminal (not in CI) it shows the plan and asks first, unless --yes.
 */
export async function applyCommand(argv: string[], io: ApplyIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs('apply', argv, {
    ...COMMON_OPTIONS, ...TENANT_READ_OPTIONS, plan: { type: 'string' }, approve: { type: 'string' }, only: { type: 'string', multiple: true }, yes: { type: 'boolean', short: 'y' },
  });
  const opts = cliRunOptions(values, positionals);
  const log = consoleLogger({ verbose: opts.verbose });
  // A tampered file is refused before anything is read from the MIS or the tenant.
  const reviewed = opts.reviewedPlanFile ? await readPlanFile(opts.reviewedPlanFile) : undefined;
  const session = await planSession({ configPath: opts.configPath, log, asOf: opts.asOf, ...(opts.only ? { only: opts.only } : {}), ...cliDeltaState(opts) });
  try {
    const { plan, loaded } = session;
    const personalData = loaded.config.report.personalData;
    const only = values.only?.join(', ');
    const show = () => io.stdout.write(renderPlan(plan, {
      format: 'text', personalData, color: io.stdout.isTTY === true, ...(only ? { title: `rollcall plan for ${plan.school.name}, only ${only}` } : {}),
    }));
    const mismatch = reviewed && planFileMismatch(reviewed, plan);
    if (mismatch) {
      throw new RollcallError(only ? `${mismatch} (a plan saved with rollcall plan --only is applied with the same --only, and its checksum is the selection's)` : mismatch);
    }
    const { approval, mismatch: notApproved } = approvalFor(opts.approve, plan);
    if (notApproved) {
      show();
      log.error(`${notApproved}${only ? ' (with --only, the checksum of the selection\'s plan)' : ''}`);
      return EXIT.blocked;
    }
    const refusal = refusalOf(plan, approval);
    if (refusal) {
      show();
      log.error(refusal.approvable
        ? `plan blocked by ${plan.blocked.map((b) => b.rule).join(', ')}; nothing was written. To apply exactly this plan: rollcall apply${only ? ` --only ${JSON.stringify(only)}` : ''} --approve ${plan.checksum}`
        : `${refusal.message}; nothing was written (--approve cannot let this through)`);
      return EXIT.blocked;
    }
    if (!plan.changes.length) {
      log.info('nothing to change');
      return EXIT.ok;
    }
    const ask = !values.yes && isInteractive(io, io.env);
    // The person sees what a selection will do before it happens; on a terminal, what any apply will do.
    if (only || ask) show();
    if (ask && !(await askYesNo(io, `Apply ${countOf(plan)}? [y/N] `))) {
      log.info('nothing was written');
      return EXIT.error;
    }
    const progress = new ProgressReporter(process.stderr, process.stderr.isTTY === true);
    progress.start(plan.changes.length);
    const outcome = await applySession(session, { log, ...(approval ? { approval } : {}), onProgress: (done, total) => progress.update(done, total) });
    progress.finish();
    return outcome.counts.failed ? EXIT.error : EXIT.ok;
  } finally {
    await session.tenant.close();
  }
}

const countOf = (plan: Plan) => (plan.changes.length === 1 ? '1 change' : `${thousands(plan.changes.length)} changes`);

async function readPlanFile(file: string): Promise<PlanFile> {
  const text = await readFile(file, 'utf8').catch((err) => { throw new RollcallError(`--plan: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`); });
  return parsePlanFile(file, text);
}
