import { readFile } from 'node:fs/promises';
import { applySession } from '../engine/apply-session.js';
import { planSession } from '../engine/run.js';
import { RollcallError } from '../errors.js';
import { ProgressReporter, renderPlan } from '../render/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { cliRunOptions, COMMON_OPTIONS } from './plan-command.js';

/**
 * `rollcall apply`: plans again from live reads and applies. With --plan, only if the fresh plan is the one that
 * was reviewed (same checksum). A blocked plan writes nothing unless --approve names exactly its checksum.
 */
export async function applyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('apply', argv, { ...COMMON_OPTIONS, plan: { type: 'string' }, approve: { type: 'string' } });
  const opts = cliRunOptions(values, positionals);
  const log = consoleLogger({ verbose: opts.verbose });
  const reviewed = opts.reviewedPlanFile ? await reviewedChecksum(opts.reviewedPlanFile) : undefined;
  const session = await planSession({ configPath: opts.configPath, log, asOf: opts.asOf });
  try {
    const { plan, loaded } = session;
    const personalData = loaded.config.report?.personalData ?? 'masked';
    if (reviewed && reviewed !== plan.checksum) {
      throw new RollcallError(`the plan in ${opts.reviewedPlanFile} (checksum ${reviewed.slice(0, 12)}) is not what rollcall would do now (${plan.checksum.slice(0, 12)}): the MIS or the tenant changed since. Plan again and review.`);
    }
    if (plan.blocked.length && opts.approve !== plan.checksum) {
      process.stdout.write(renderPlan(plan, { format: 'text', personalData, color: process.stdout.isTTY === true }));
      log.error(`plan blocked by ${plan.blocked.map((b) => b.rule).join(', ')}; nothing was written. To apply exactly this plan: rollcall apply --approve ${plan.checksum}`);
      return EXIT.blocked;
    }
    if (!plan.changes.length) {
      log.info('nothing to change');
      return EXIT.ok;
    }
    const progress = new ProgressReporter(process.stderr, process.stderr.isTTY === true);
    progress.start(plan.changes.length);
    const outcome = await applySession(session, { log, onProgress: (done, total) => progress.update(done, total) });
    progress.finish();
    return outcome.counts.failed ? EXIT.error : EXIT.ok;
  } finally {
    await session.tenant.close();
  }
}

async function reviewedChecksum(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((err) => { throw new RollcallError(`--plan: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`); });
  let checksum: unknown;
  try {
    checksum = (JSON.parse(text) as { checksum?: unknown }).checksum;
  } catch {
    throw new RollcallError(`--plan: ${file} is not a JSON plan (make one with rollcall plan --format json --out ${file})`);
  }
  if (typeof checksum !== 'string' || !/^[0-9a-f]{64}$/.test(checksum)) throw new RollcallError(`--plan: ${file} has no plan checksum`);
  return checksum;
}
