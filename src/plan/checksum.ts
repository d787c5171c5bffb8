import { createHash } from 'node:crypto';
import { canonicalJson } from '../roster/canonical.js';
import type { Plan } from './types.js';

/**
 * What a reviewer approves: the changes and the limits they cross, for this school and mode.
 * The date, warnings and counts are left out, so the same changes planned tomorrow keep their checksum.
 */
export function planChecksum(plan: Pick<Plan, 'version' | 'school' | 'mode' | 'changes' | 'blocked'>): string {
  const body = { version: plan.version, school: plan.school.key, mode: plan.mode, changes: plan.changes, blocked: plan.blocked.map((b) => b.rule) };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
