// A saved plan (`rollcall plan --format json --out FILE`) handed back to `rollcall apply --plan FILE`. Its checksum
// alone proves nothing: anyone can keep the checksum and cut the changes. So the file must be checkable against
// its checksum. A full plan is: the checksum is recomputed from its own changes. A masked plan has lost the
// names its checksum covers, so it is checked against the fresh plan instead: its changes must be exactly the
// fresh plan's changes masked the same way. A `counts` plan lists no changes, so nothing in it can be checked.
import { RollcallError } from '../errors.js';
import { Masker } from '../render/mask.js';
import { redactPlan } from '../render/json.js';
import { canonicalJson } from '../roster/canonical.js';
import { planChecksum } from '../plan/checksum.js';
import type { Plan } from '../plan/types.js';

export interface PlanFile {
  file: string;
  checksum: string;
  personalData: 'full' | 'masked';
  /** The file's plan as read (masked when personalData is masked). */
  plan: Plan;
}

const fail = (file: string, why: string) => new RollcallError(`--plan: ${file} ${why}`);

/** Reads and checks a plan file's own consistency; a full plan whose changes do not give its checksum is refused. */
export function parsePlanFile(file: string, text: string): PlanFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw fail(file, `is not a JSON plan (make one with rollcall plan --format json --out ${file})`);
  }
  const p = data as Partial<Plan> & { redacted?: { personalData?: unknown } };
  if (!p || typeof p !== 'object') throw fail(file, 'is not a JSON plan');
  if (typeof p.checksum !== 'string' || !/^[0-9a-f]{64}$/.test(p.checksum)) throw fail(file, 'has no plan checksum');
  if (p.version !== 1 || typeof p.school?.key !== 'string' || typeof p.mode !== 'string' || !Array.isArray(p.changes) || !Array.isArray(p.blocked)
    || !p.blocked.every((b) => typeof b?.rule === 'string')) {
    throw fail(file, 'is not a rollcall plan (version 1 with school, mode, changes and blocked)');
  }
  const mode = p.redacted?.personalData;
  if (mode === 'counts') {
    throw fail(file, 'was written with report.personalData: counts, so it lists no changes and cannot be checked against its checksum. Apply from a masked or full plan, or with --approve <checksum> after reviewing the plan');
  }
  if (mode !== undefined && mode !== 'masked') throw fail(file, `has an unknown redaction (${String(mode)})`);
  const plan = p as Plan;
  if (mode === undefined) {
    const actual = planChecksum(plan);
    if (actual !== plan.checksum) {
      throw fail(file, `does not match its own checksum: its ${plan.changes.length} change(s) give ${actual.slice(0, 12)}, not ${plan.checksum.slice(0, 12)}. The file was edited after it was planned; nothing was applied`);
    }
  }
  return { file, checksum: plan.checksum, personalData: mode ?? 'full', plan };
}

/**
 * Why the fresh plan is not the one in the file, or undefined when it is: the same checksum and, for a masked
 * file, exactly the same masked changes and blocks (the file's checksum could not be checked on its own).
 */
export function planFileMismatch(saved: PlanFile, fresh: Plan): string | undefined {
  if (saved.checksum !== fresh.checksum) {
    return `the plan in ${saved.file} (checksum ${saved.checksum.slice(0, 12)}) is not what rollcall would do now (${fresh.checksum.slice(0, 12)}): the MIS or the tenant changed since. Plan again and review.`;
  }
  if (saved.personalData === 'full') return undefined;
  const shown = redactPlan(fresh, new Masker('masked', fresh));
  const same = canonicalJson(saved.plan.changes) === canonicalJson(shown.changes)
    && canonicalJson(saved.plan.blocked.map((b) => b.rule)) === canonicalJson(fresh.blocked.map((b) => b.rule))
    && saved.plan.school.key === fresh.school.key && saved.plan.mode === fresh.mode;
  if (!same) {
    return `${saved.file} does not match its checksum ${saved.checksum.slice(0, 12)}: its ${saved.plan.changes.length} change(s) are not the ${fresh.changes.length} change(s) that plan has. The file was edited after it was planned; nothing was applied`;
  }
  return undefined;
}
