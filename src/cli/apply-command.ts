import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { applyPlan } from '../apply/apply.js';
import { sendSummaryMail } from '../apply/summary-mail.js';
import { planSession } from '../engine/run.js';
import { RollcallError } from '../errors.js';
import { ProgressReporter, renderPlan } from '../render/index.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { COMMON_OPTIONS } from './plan-command.js';

/**
 * `rollcall apply`: plans again from live reads and applies. With --plan, only if the fresh plan is the one that
 * was reviewed (same checksum). A blocked plan writes nothing unless --approve names exactly its checksum.
 */
export async function applyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, plan: { type: 'string' }, approve: { type: 'string' } },
  });
  const log = consoleLogger({ verbose: values.verbose });
  const reviewed = values.plan ? await reviewedChecksum(values.plan) : undefined;
  const session = await planSession({ configPath: positionals[0] ?? 'rollcall.yaml', log, asOf: values['as-of'] });
  try {
    const { plan, loaded } = session;
    const personalData = loaded.config.report?.personalData ?? 'masked';
    if (reviewed && reviewed !== plan.checksum) {
      throw new RollcallError(`the plan in ${values.plan} (checksum ${reviewed.slice(0, 12)}) is not what rollcall would do now (${plan.checksum.slice(0, 12)}): the MIS or the tenant changed since. Plan again and review.`);
    }
    if (plan.blocked.length && values.approve !== plan.checksum) {
      process.stdout.write(renderPlan(plan, { format: 'text', personalData, color: process.stdout.isTTY === true }));
      log.error(`plan blocked by ${plan.blocked.map((b) => b.rule).join(', ')}; nothing was written. To apply exactly this plan: rollcall apply --approve ${plan.checksum}`);
      return EXIT.blocked;
    }
    if (!plan.changes.length) {
      log.info('nothing to change');
      return EXIT.ok;
    }
    log.info(`applying ${plan.changes.length} change(s) (checksum ${plan.checksum.slice(0, 12)})`);
    const progress = new ProgressReporter(process.stderr, process.stderr.isTTY === true);
    progress.start(plan.changes.length);
    const outcome = await applyPlan(plan, { config: loaded.config, writer: session.tenant.writer, log, onProgress: (done, total) => progress.update(done, total) });
    progress.finish();
    if (outcome.passwordsFile) log.info(`first passwords written, encrypted, to ${outcome.passwordsFile}`);
    for (const r of outcome.results.filter((x) => x.status === 'failed').slice(0, 20)) {
      log.error(`${r.kind} ${r.action} ${r.key}: ${r.error ? `${r.error.status} ${r.error.code}: ${r.error.message}` : r.detail ?? 'failed'}`);
    }
    await sendSummaryMail(plan, outcome, loaded.config, session.tenant.writer, log);
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
