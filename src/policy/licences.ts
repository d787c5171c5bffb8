// The licences a role's accounts should carry when the school assigns them directly (users.*.licences): the one
// reading of that setting, whether a SKU is written bare or with service plans switched off.
import type { Config } from '../config/load.js';

/** A SKU by its part number, with the service plans (by name) switched off, as the configuration names them. */
export interface DesiredLicence {
  sku: string;
  disabledPlans: string[];
}

type RoleConfig = NonNullable<Config['users']['students']>;

export function licencesOf(rc: Pick<RoleConfig, 'licences'>): DesiredLicence[] {
  return rc.licences.map((l) => (typeof l === 'string' ? { sku: l, disabledPlans: [] } : { sku: l.sku, disabledPlans: [...(l.disabledPlans ?? [])] }));
}

/** Whether any enabled role assigns licences directly: only then are SKUs and accounts' licences read. */
export function assignsLicences(config: Config): boolean {
  return [config.users.students, config.users.staff].some((rc) => rc !== undefined && rc.enabled && rc.licences.length > 0);
}
