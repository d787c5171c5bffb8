// Planning a second configuration (a pull request's base) against the MIS and tenant reads already made, so
// the difference between two plans is the configuration's doing, not a read that changed in between.
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
