// The file a review pull request adds: it approves exactly one plan, by checksum. Merging the pull request puts
// it on the default branch, where the merge run finds it and lets exactly that plan through its safety limits.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plan } from '../plan/types.js';

export interface Approval {
  version: 1;
  /** The config this approves a plan for, relative to the repository root. */
  config: string;
  checksum: string;
  school: string;
  asOf: string;
  /** Counts only: the reviewers read the plan in the pull request. */
  summary: Plan['summary'];
  blocked: string[];
}

/** `schools/north/rollcall.yaml` → `schools/north/rollcall.approved.json`: one per config, beside it. */
export function approvalPath(configRel: string): string {
  const dir = path.posix.dirname(configRel);
  const base = path.posix.basename(configRel).replace(/\.ya?ml$/i, '');
  return path.posix.join(dir, `${base}.approved.json`);
}

export function approvalFor(configRel: string, plan: Plan): Approval {
  return { version: 1, config: configRel, checksum: plan.checksum, school: plan.school.key, asOf: plan.asOf, summary: plan.summary, blocked: plan.blocked.map((b) => b.rule) };
}

export function approvalText(a: Approval): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}

/** The approved checksum in the workspace, if the file is there and well formed (anything else approves nothing). */
export async function readApproval(workspace: string, configRel: string): Promise<string | undefined> {
  try {
    const a = JSON.parse(await readFile(path.join(workspace, approvalPath(configRel)), 'utf8')) as Partial<Approval>;
    return a.config === configRel && typeof a.checksum === 'string' && /^[0-9a-f]{64}$/.test(a.checksum) ? a.checksum : undefined;
  } catch {
    return undefined;
  }
}
