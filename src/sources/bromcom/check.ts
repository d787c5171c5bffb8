// The Bromcom side of `rollcall check`: the entities this user may read (findEntitiesBySchoolID), then one read of
// each entity the configuration needs with `entityFilter` 1=0, which returns its columns and no rows: it proves the
// read works without moving any personal data.
import { resolveSecret } from '../../config/secrets.js';
import { RollcallError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { BromcomSourceConfig } from '../config.js';
import { BromcomClient } from './client.js';

export interface EntityCheck {
  entity: string;
  ok: boolean;
  /** Why not, in words an administrator can act on. */
  problem?: string;
}

const ENABLE_IT = 'enable it in Bromcom under Setup > Third Party Access Permissions & Logs for the user rollcall signs in as';

export async function checkBromcom(cfg: BromcomSourceConfig, entities: readonly string[], opts: { log: Logger; env: NodeJS.ProcessEnv; retryDelayMs?: number }): Promise<EntityCheck[]> {
  const username = resolveSecret(cfg.username, 'source.bromcom.username', opts.env);
  const password = resolveSecret(cfg.password, 'source.bromcom.password', opts.env);
  const client = await BromcomClient.connect({
    url: cfg.url, schoolId: cfg.schoolId, username, password,
    secretNames: { username: cfg.username.env, password: cfg.password.env },
    // A check needs no patience: one retry of a transient failure.
    timeoutMs: (cfg.timeoutSeconds ?? 120) * 1000, retries: Math.min(cfg.retries ?? 3, 1), retryDelayMs: opts.retryDelayMs ?? 1000, log: opts.log,
  });
  // Signing in and the school id fail here, for every entity at once: the caller reports that as the source's problem.
  const permitted = new Set((await client.findEntities()).map((e) => e.toLowerCase()));
  const out: EntityCheck[] = [];
  for (const entity of entities) {
    if (!permitted.has(entity.toLowerCase())) {
      out.push({ entity, ok: false, problem: `not among the entities this user may read for school ${cfg.schoolId}: ${ENABLE_IT}` });
      continue;
    }
    try {
      await client.getEntity(entity, { none: true });
      out.push({ entity, ok: true });
    } catch (err) {
      if (!(err instanceof RollcallError)) throw err;
      out.push({ entity, ok: false, problem: err.message });
    }
  }
  return out;
}
