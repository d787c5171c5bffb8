// `rollcall check` (and the action's `mode: check`): read-only. Signs in and measures the access token's `roles`
// against the permissions the configuration's features need (the Graph calls it makes, through the one
// permissions table), and reads a little of the source: for Bromcom each entity it needs, with no rows; file
// exports are local and read whole. Says what is missing, naming each permission or entity.
import { assignsLicences } from '../policy/licences.js';
import path from 'node:path';
import type { Config, LoadedConfig } from '../config/load.js';
import { checkSecretsSet } from '../config/secrets.js';
import { RollcallError } from '../errors.js';
import type { Logger } from '../log.js';
import { todayIn } from '../policy/academic-year.js';
import { countRoster } from '../roster/counts.js';
import { checkBromcom } from '../sources/bromcom/check.js';
import { entitiesNeeded } from '../sources/bromcom/entities.js';
import type { SourceConfig } from '../sources/config.js';
import { openTenant, type TenantConfig } from '../tenant/index.js';
import { graphNeeds, type GraphFeatures } from '../tenant/needs.js';
import { permissionToGrant, requirementsOfRequest, ROLLCALL_PERMISSIONS } from '../tenant/permissions.js';
import { readRosterFor } from './run.js';

export interface PermissionCheck {
  /** The permission granted that covers it, or the one to grant. */
  permission: string;
  ok: boolean;
  /** Any of these would do. */
  anyOf: readonly string[];
  /** The features that need it. */
  neededFor: string[];
}

export interface SourceItemCheck {
  name: string;
  ok: boolean;
  problem?: string;
}

export interface CheckReport {
  tenant: { where: string; problem?: string; granted: string[]; permissions: PermissionCheck[] };
  source: { kind: string; problem?: string; items: SourceItemCheck[] };
  /** Permissions, entities and problems that stop a run: 0 means the configuration can run as it stands. */
  missing: number;
}

/** The features of a configuration that decide which Graph calls it makes. */
export function graphFeatures(config: Config): GraphFeatures {
  const policies = [config.users.students, config.users.staff].filter((p) => p !== undefined);
  const classes = config.tenant.education && (config.classes?.from.length ?? 0) > 0;
  return {
    usersMode: config.users.mode,
    deletesUsers: config.users.leavers.action === 'delete' || config.users.leavers.deleteAfterDays !== undefined,
    groups: config.groups.from.length > 0 || policies.some((p) => p.securityGroups.length > 0 || p.licenseGroups.length > 0),
    education: config.tenant.education,
    classes,
    teams: classes && config.classes?.team === true,
    archivesTeams: classes && config.classes?.team === true && config.classes.onEnd === 'archive',
    calendar: config.calendar.enabled,
    summaryMail: config.report.summaryTo !== undefined,
    guardians: config.tenant.education && config.guardians !== undefined,
    licences: assignsLicences(config),
  };
}

/** Each permission the features need, against the token's roles (pure). */
export function permissionChecks(features: GraphFeatures, roles: readonly string[]): PermissionCheck[] {
  const granted = new Set(roles.map((r) => r.toLowerCase()));
  const byName = new Map<string, PermissionCheck>();
  for (const need of graphNeeds(features)) {
    const prefer = need.request.method === 'GET' ? [] : ROLLCALL_PERMISSIONS;
    for (const r of requirementsOfRequest(need.request)) {
      const have = r.anyOf.find((p) => granted.has(p.toLowerCase()));
      const name = have ?? permissionToGrant(r, prefer);
      const line = byName.get(name) ?? { permission: name, ok: have !== undefined, anyOf: r.anyOf, neededFor: [] };
      if (!line.neededFor.includes(need.why)) line.neededFor.push(need.why);
      byName.set(name, line);
    }
  }
  // A missing read permission is not asked for when a missing write permission covers it (User.ReadWrite.All
  // also reads): its features move to that line.
  const lines = [...byName.values()];
  return lines.filter((l) => {
    if (l.ok) return true;
    const cover = lines.find((o) => o !== l && !o.ok && l.anyOf.includes(o.permission));
    if (!cover) return true;
    for (const why of l.neededFor) if (!cover.neededFor.includes(why)) cover.neededFor.push(why);
    return false;
  });
}

export async function runCheck(loaded: LoadedConfig, opts: { log: Logger; env?: NodeJS.ProcessEnv; asOf?: string }): Promise<CheckReport> {
  const config = loaded.config;
  checkSecretsSet(config, opts.env);
  const [tenant, source] = await Promise.all([checkTenant(loaded, opts), checkSource(loaded, opts)]);
  const missing = (tenant.problem ? 1 : 0) + tenant.permissions.filter((p) => !p.ok).length + (source.problem ? 1 : 0) + source.items.filter((i) => !i.ok).length;
  return { tenant, source, missing };
}

async function checkTenant(loaded: LoadedConfig, opts: { log: Logger; env?: NodeJS.ProcessEnv }): Promise<CheckReport['tenant']> {
  const config = loaded.config;
  const features = graphFeatures(config);
  const where = config.tenant.local ? 'the local tenant' : `tenant ${config.tenant.graph?.tenantId ?? ''}`;
  let granted: string[];
  try {
    const tenant = await openTenant(config.tenant as TenantConfig, { baseDir: path.dirname(loaded.file), log: opts.log, env: opts.env });
    try {
      granted = await tenant.grantedPermissions();
    } finally {
      await tenant.close();
    }
  } catch (err) {
    if (!(err instanceof RollcallError)) throw err;
    return { where, problem: `signing in failed: ${err.message}`, granted: [], permissions: permissionChecks(features, []) };
  }
  return { where, granted, permissions: permissionChecks(features, granted) };
}

async function checkSource(loaded: LoadedConfig, opts: { log: Logger; env?: NodeJS.ProcessEnv; asOf?: string }): Promise<CheckReport['source']> {
  const config = loaded.config;
  const source = config.source as SourceConfig;
  const kind = Object.keys(source).find((k) => source[k as keyof SourceConfig] !== undefined) ?? 'none';
  try {
    if (source.bromcom) {
      const items = await checkBromcom(source.bromcom, entitiesNeeded(config), { log: opts.log, env: opts.env ?? process.env });
      return { kind: `bromcom school ${source.bromcom.schoolId}`, items: items.map((i) => ({ name: i.entity, ok: i.ok, ...(i.problem ? { problem: i.problem } : {}) })) };
    }
    // File exports are on this machine: read whole, as a run reads them, so a bad line is found now.
    const roster = await readRosterFor(loaded, opts.asOf ?? todayIn(config.school.timeZone), opts.log, opts.env);
    const counts = countRoster(roster);
    return { kind, items: [{ name: `${counts.students} students, ${counts.staff} staff, ${counts.groups} groups`, ok: true }] };
  } catch (err) {
    if (!(err instanceof RollcallError)) throw err;
    return { kind, problem: err.message, items: [] };
  }
}
