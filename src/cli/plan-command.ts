import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { planSession } from '../engine/run.js';
import { renderPlan, type RenderFormat } from '../render/index.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';

export const COMMON_OPTIONS = {
  'as-of': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** `rollcall plan`: the "simulate" step. Reads the MIS and the tenant, writes nothing. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, format: { type: 'string', default: 'text' }, out: { type: 'string' }, 'detailed-exitcode': { type: 'boolean' } },
  });
  const format = values.format as RenderFormat;
  if (!['text', 'markdown', 'json'].includes(format)) throw new Error(`--format must be text, markdown or json, not ${format}`);
  const log = consoleLogger({ verbose: values.verbose });
  const session = await planSession({ configPath: positionals[0] ?? 'rollcall.yaml', log, asOf: values['as-of'] });
  await session.tenant.close();
  const { plan } = session;
  const rendered = renderPlan(plan, {
    format,
    personalData: session.loaded.config.report?.personalData ?? 'masked',
    color: !values.out && format === 'text' && process.stdout.isTTY === true,
  });
  if (values.out) {
    await writeFile(values.out, rendered);
    log.info(`plan written to ${values.out} (checksum ${plan.checksum})`);
  } else {
    process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  }
  if (plan.blocked.length) return EXIT.blocked;
  return values['detailed-exitcode'] && plan.changes.length ? EXIT.changes : EXIT.ok;
}
