import { writeFile } from 'node:fs/promises';
import { runOptions, type RunOptions } from '../engine/options.js';
import { planSession } from '../engine/run.js';
import { renderPlan } from '../render/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';

export const COMMON_OPTIONS = {
  'as-of': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** `rollcall plan`: the "simulate" step. Reads the MIS and the tenant, writes nothing. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', argv, {
    ...COMMON_OPTIONS, format: { type: 'string', default: 'text' }, out: { type: 'string' }, 'detailed-exitcode': { type: 'boolean' },
    only: { type: 'string', multiple: true },
  });
  const opts = cliRunOptions({ ...values, format: values.format as RunOptions['format'] }, positionals);
  const { format } = opts;
  const log = consoleLogger({ verbose: opts.verbose });
  const session = await planSession({ configPath: opts.configPath, log, asOf: opts.asOf, ...(opts.only ? { only: opts.only } : {}) });
  await session.tenant.close();
  const { plan } = session;
  const rendered = renderPlan(plan, {
    format,
    personalData: session.loaded.config.report.personalData,
    color: !opts.out && format === 'text' && process.stdout.isTTY === true,
    ...(values.only ? { title: `rollcall plan for ${plan.school.name}, only ${values.only.join(', ')}` } : {}),
  });
  if (opts.out) {
    await writeFile(opts.out, rendered);
    log.info(`plan written to ${opts.out} (checksum ${plan.checksum})`);
  } else {
    process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  }
  if (plan.blocked.length) return EXIT.blocked;
  return opts.detailedExitcode && plan.changes.length ? EXIT.changes : EXIT.ok;
}

/** argv values → the RunOptions the action builds from its inputs too. */
export function cliRunOptions(values: {
  'as-of'?: string; verbose?: boolean; format?: RunOptions['format']; out?: string; 'detailed-exitcode'?: boolean; plan?: string; approve?: string; only?: string[];
}, positionals: string[]): RunOptions {
  return runOptions({
    configPath: positionals[0], asOf: values['as-of'], verbose: values.verbose, format: values.format, out: values.out,
    detailedExitcode: values['detailed-exitcode'], reviewedPlanFile: values.plan, approve: values.approve, only: values.only,
  }, { format: '--format', asOf: '--as-of', approve: '--approve', reviewedPlanFile: '--plan', out: '--out', only: '--only' });
}
