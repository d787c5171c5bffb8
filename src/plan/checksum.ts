import { createHash } from 'node:crypto';
import { canonicalJson } from '../roster/canonical.js';
import { HashBytes } from '../roster/hash-text.js';
import type { Plan } from './types.js';

/**
 * What a reviewer approves: the changes and the limits they cross, for this school and mode.
 * The date, warnings and counts are left out, so the same changes planned tomorrow keep their checksum.
 * The hash is of canonicalJson({ blocked, changes, mode, school, version }), written in pieces (it runs on a
 * million changes at apply time): the body's keys in their sorted order, then one change at a time.
 */
export function planChecksum(plan: Pick<Plan, 'version' | 'school' | 'mode' | 'changes' | 'blocked'>): string {
  const hash = createHash('sha256');
  const out = new HashBytes(hash);
  out.text(`{"blocked":${canonicalJson(plan.blocked.map((b) => b.rule))},"changes":`);
  const changes = plan.changes;
  out.text('[');
  for (let i = 0; i < changes.length; i++) out.text((i ? ',' : '') + (changes[i] === undefined ? 'null' : canonicalJson(changes[i])));
  out.text(']');
  // Left out when undefined, as canonical JSON leaves out an undefined value.
  for (const [key, value] of [['mode', plan.mode], ['school', plan.school.key], ['version', plan.version]] as const) {
    if (value !== undefined) out.text(`,"${key}":${canonicalJson(value)}`);
  }
  out.text('}');
  out.end();
  return hash.digest('hex');
}
