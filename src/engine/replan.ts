// Planning a second configuration (a pull request's base) against the MIS and tenant reads already made, so
// the difference between two plans is the configuration's doing, not a read that changed in between.
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { readUserMatchFiles } from './manual-matches.js';
import type { Session } from './run.js';

export async function planAgainst(session: Pick<Session, 'roster' | 'snapshot' | 'asOf'>, loaded: LoadedConfig, now: Date = new Date()): Promise<Plan> {
  const config = loaded.config;
  const matchFiles = await readUserMatchFiles(config);
  return buildPlan({ config, roster: session.roster, snapshot: session.snapshot, ...matchFiles, asOf: session.asOf, now: now.toISOString() });
}

/**
 * Whether two configurations read the same MIS and the same tenant. Paths are compared relative to each file's
 * own root, so the base config written to a temporary folder matches the head config in the workspace.
 */
export function sameReads(a: { loaded: LoadedConfig; root: string }, b: { loaded: LoadedConfig; root: string }): { source: boolean; tenant: boolean } {
  const norm = (value: unknown, root: string): string => JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'string' && path.isAbsolute(v) && v.startsWith(root) ? `<root>/${path.relative(root, v)}` : v);
  const tenant = (l: LoadedConfig) => ({ ...l.config.tenant });
  return {
    source: norm(a.loaded.config.source, a.root) === norm(b.loaded.config.source, b.root),
    tenant: norm(tenant(a.loaded), a.root) === norm(tenant(b.loaded), b.root),
  };
}
