// One typed options object for a rollcall run. The CLI builds it from argv, the action from its inputs, so
// anything one can do, the other can, with the same defaults.
import { RollcallError } from '../errors.js';
import { isValidIsoDate } from '../roster/dates.js';
import type { RenderFormat } from '../render/index.js';
import { parseSelectors, type Selector } from '../plan/select.js';

export interface RunOptions {
  /** The rollcall file; default `rollcall.yaml` in the working directory. */
  configPath: string;
  /** The school's date to plan for (YYYY-MM-DD); default today in school.timeZone. */
  asOf?: string;
  verbose: boolean;
  /** How a plan is printed (CLI stdout); the action renders markdown for the comment and summary itself. */
  format: RenderFormat;
  /** Write the plan here instead of printing it. */
  out?: string;
  /** Exit 2 when the plan has changes. */
  detailedExitcode: boolean;
  /** A reviewed JSON plan: apply only if a fresh plan has its checksum. */
  reviewedPlanFile?: string;
  /**
   * The checksum of the plan someone approved (all 64 digits, or the first 12 or more that a plan's header prints):
   * lets exactly that plan through its safety limits, and refuses any other plan.
   */
  approve?: string;
  /** Plan (and apply) only these people, groups or classes and what they depend on (`--only`, input `only`). */
  only?: Selector[];
  /** Read users and groups in full, not from the delta state the last run kept (`--full-read`, input `full-read`). */
  fullRead?: boolean;
}

/** What RunOptions are built from: `only` as typed, selectors separated by commas or lines. */
export type GivenOptions = Partial<Omit<RunOptions, 'only'>> & { only?: string[] };

export const DEFAULT_CONFIG = 'rollcall.yaml';

/** A whole checksum, or the short form a plan's header prints (its first 12 digits) and anything in between. */
const CHECKSUM = /^[0-9a-f]{12,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class OptionsError extends RollcallError {}

/** Fills defaults and checks values the same way for every entry point; throws OptionsError naming the option. */
export function runOptions(given: GivenOptions, names: Partial<Record<keyof RunOptions, string>> = {}): RunOptions {
  const name = (k: keyof RunOptions) => names[k] ?? k;
  const format = given.format ?? 'text';
  if (!['text', 'markdown', 'json', 'csv'].includes(format)) throw new OptionsError(`${name('format')} must be text, markdown, json or csv, not ${format}`);
  if (given.asOf !== undefined && !(DATE.test(given.asOf) && isValidIsoDate(given.asOf))) throw new OptionsError(`${name('asOf')} must be a date YYYY-MM-DD, not ${given.asOf}`);
  if (given.approve !== undefined && !CHECKSUM.test(given.approve)) {
    throw new OptionsError(`${name('approve')} must be a plan checksum: its 64 hex digits, or at least the first 12 that the plan's header prints${/^[0-9a-f]{1,11}$/.test(given.approve) ? ` (${given.approve} is too short to name one plan)` : ''}`);
  }
  const only = given.only !== undefined ? parseSelectors(given.only, name('only')) : undefined;
  return {
    configPath: given.configPath || DEFAULT_CONFIG,
    verbose: given.verbose ?? false,
    format,
    detailedExitcode: given.detailedExitcode ?? false,
    ...(given.asOf ? { asOf: given.asOf } : {}),
    ...(given.out ? { out: given.out } : {}),
    ...(given.reviewedPlanFile ? { reviewedPlanFile: given.reviewedPlanFile } : {}),
    ...(given.approve ? { approve: given.approve } : {}),
    ...(only ? { only } : {}),
    ...(given.fullRead ? { fullRead: true } : {}),
  };
}
