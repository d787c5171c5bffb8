import { writeFile } from 'node:fs/promises';
import { runOptions, type RunOptions } from '../engine/options.js';
import { planSession } from '../engine/run.js';
import type { ChangeKind } from '../plan/types.js';
import type { Roster } from '../roster/types.js';
import { filterPlan, type PlanFilter } from '../render/filter.js';
import { renderPlan, stdoutPersonalData } from '../render/index.js';
import type { PersonFacts } from '../render/new-accounts.js';
import { KINDS } from '../render/summary.js';
import { parseCommandArgs, UsageError } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';

export const COMMON_OPTIONS = {
  'as-of': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** Options of the commands that read the tenant. */
export const TENANT_READ_OPTIONS = { 'full-read': { type: 'boolean' } } as const;

/** The delta state beside the config, or ignored this once: for every command that reads the tenant. */
export const cliDeltaState = (opts: RunOptions) => ({ deltaState: { ...(opts.fullRead ? { fullRead: true } : {}) } });

/** `rollcall plan`: the "simulate" step. Reads the MIS and the tenant, writes nothing. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', argv, {
    ...COMMON_OPTIONS, ...TENANT_READ_OPTIONS, format: { type: 'string', default: 'text' }, out: { type: 'string' }, 'detailed-exitcode': { type: 'boolean' },
    only: { type: 'string', multiple: true },
    detail: { type: 'boolean' }, kind: { type: 'string' }, person: { type: 'string' },
  });
  const opts = cliRunOptions({ ...values, format: values.format as RunOptions['format'] }, positionals);
  const { format } = opts;
  const filter = planFilter(values.kind, values.person);
  const log = consoleLogger({ verbose: opts.verbose });
  const session = await planSession({ configPath: opts.configPath, log, asOf: opts.asOf, ...(opts.only ? { only: opts.only } : {}), ...cliDeltaState(opts) });
  await session.tenant.close();
  const { plan } = session;
  const setting = session.loaded.config.report.personalData;
  const people = format === 'csv' ? personFacts(session.roster) : undefined;
  const fullPlanAt = `the whole plan: rollcall plan --format ${format} --out FILE`;
  const slice = [
    values.only?.join(', '), filter?.kind && `--kind ${filter.kind}`, filter?.person !== undefined && `--person ${filter.person}`,
  ].filter(Boolean).join(' ');

  if (opts.out) {
    // The whole plan, whatever is printed: every change, unfiltered, uncapped. A file may be shared or committed,
    // so it follows report.personalData as an artifact does.
    await writeFile(opts.out, renderPlan(plan, { format, personalData: setting, detail: true, maxChars: Number.MAX_SAFE_INTEGER, people }));
    log.info(`plan written to ${opts.out} (checksum ${plan.checksum})`);
  }
  if (!opts.out || format === 'text') {
    const shown = filter ? filterPlan(plan, filter) : plan;
    const rendered = renderPlan(shown, {
      format,
      personalData: stdoutPersonalData(setting, process.env),
      color: format === 'text' && process.stdout.isTTY === true,
      detail: values.detail === true || filter !== undefined,
      people,
      fullPlanAt,
      // A slice says so: its summary counts the slice. A --kind/--person view keeps the whole plan's checksum; an
      // --only plan is a plan of its own (its checksum is the selection's).
      ...(slice ? { title: `rollcall plan for ${plan.school.name}, only ${slice}` } : {}),
    });
    process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  }
  if (plan.blocked.length) return EXIT.blocked;
  return opts.detailedExitcode && plan.changes.length ? EXIT.changes : EXIT.ok;
}

/** `--kind` and `--person` as a filter, or undefined; a kind that does not exist is a usage mistake. */
function planFilter(kind: string | undefined, person: string | undefined): PlanFilter | undefined {
  if (kind === undefined && person === undefined) return undefined;
  if (kind !== undefined && !(KINDS as string[]).includes(kind)) throw new UsageError(`rollcall plan: --kind must be one of ${KINDS.join(', ')}, not "${kind}" (see rollcall plan --help)`);
  if (person !== undefined && !person.trim()) throw new UsageError('rollcall plan: --person needs an MIS id or part of a name (see rollcall plan --help)');
  return { ...(kind ? { kind: kind as ChangeKind } : {}), ...(person !== undefined ? { person } : {}) };
}

function personFacts(roster: Roster): Map<string, PersonFacts> {
  return new Map(roster.people.map((p) => [p.id, { yearGroup: p.yearGroup, registrationGroup: p.registrationGroup }]));
}

/** argv values → the RunOptions the action builds from its inputs too. */
export function cliRunOptions(values: {
  'as-of'?: string; verbose?: boolean; format?: RunOptions['format']; out?: string; 'detailed-exitcode'?: boolean; plan?: string; approve?: string; only?: string[]; 'full-read'?: boolean;
}, positionals: string[]): RunOptions {
  return runOptions({
    configPath: positionals[0], asOf: values['as-of'], verbose: values.verbose, format: values.format, out: values.out,
    detailedExitcode: values['detailed-exitcode'], reviewedPlanFile: values.plan, approve: values.approve, only: values.only, fullRead: values['full-read'],
  }, { format: '--format', asOf: '--as-of', approve: '--approve', reviewedPlanFile: '--plan', out: '--out', only: '--only' });
}
