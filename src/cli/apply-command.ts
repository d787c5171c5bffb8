import { readFile } from 'node:fs/promises';
import { applySession } from '../engine/apply-session.js';
import { planSession } from '../engine/run.js';
import { RollcallError } from '../errors.js';
import { refusalOf, type Approval } from '../plan/refusal.js';
import { renderPlan } from '../render/index.js';
import { ProgressReporter } from './progress.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { parsePlanFile, planFileMismatch, type PlanFile } from './plan-file.js';
import { cliRunOptions, COMMON_OPTIONS } from './plan-command.js';

/**
 * `rollcall apply`: plans again from live reads and applies. With --plan, only if the file is checkable against its
 * checksum and the fresh plan is the one it holds. A blocked plan writes nothing unless --approve names exactly
 * its checksum, and a block that is a configuration problem writes nothing at all.
 */
export async function applyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('apply', argv, { ...COMMON_OPTIONS, plan: { type: 'string' }, approve: { type: 'string' } });
  const opts = cliRunOptions(values, positionals);
  const log = consoleLogger({ verbose: opts.verbose });
  // A tampered file is refused before anything is read from the MIS or the tenant.
  const reviewed = opts.reviewedPlanFile ? await readPlanFile(opts.reviewedPlanFile) : undefined;
  const session = await planSession({ configPath: opts.configPath, log, asOf: opts.asOf });
  try {
    const { plan, loaded } = session;
    const personalData = loaded.config.report.personalData;
    const mismatch = reviewed && planFileMismatch(reviewed, plan);
    if (mismatch) throw new RollcallError(mismatch);
    const approval: Approval | undefined = opts.approve ? { checksum: opts.approve } : undefined;
    const refusal = refusalOf(plan, approval);
    if (refusal) {
      process.stdout.write(renderPlan(plan, { format: 'text', personalData, color: process.stdout.isTTY === true }));
      log.error(refusal.approvable
        ? `plan blocked by ${plan.blocked.map((b) => b.rule).join(', ')}; nothing was written. To apply exactly this plan: rollcall apply --approve ${plan.checksum}`
        : `${refusal.message}; nothing was written (--approve cannot let this through)`);
      return EXIT.blocked;
    }
    if (!plan.changes.length) {
      log.info('nothing to change');
      return EXIT.ok;
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

async function readPlanFile(file: string): Promise<PlanFile> {
  const text = await readFile(file, 'utf8').catch((err) => { throw new RollcallError(`--plan: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`); });
  return parsePlanFile(file, text);
}
