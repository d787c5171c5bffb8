// Where rollcall connects and what it reads from the environment, kept apart from what it plans. On a pull
// request the connection is the base branch's, never the head's: a branch that could name the MIS address, the
// sign-in authority, the Graph address or an `{ env: … }` reference could send the runner's secrets anywhere.
// Pure: the flow reads both configs and hands them here.
import path from 'node:path';
import type { Config, LoadedConfig } from '../config/load.js';
import { isSecretRef } from '../config/secrets.js';

/** The connection: the whole `source` (which MIS, where, with which credentials) and the tenant's way in. */
export interface Connection {
  source: Config['source'];
  graph?: unknown;
  local?: unknown;
}

export function connectionOf(config: Config): Connection {
  const t = config.tenant as { graph?: unknown; local?: unknown };
  return { source: config.source, ...(t.graph !== undefined ? { graph: t.graph } : {}), ...(t.local !== undefined ? { local: t.local } : {}) };
}

/** Absolute paths under `from` moved under `to`: the base config is loaded from a temporary copy of its files. */
export function reroot<T>(value: T, from: string, to: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return path.isAbsolute(v) && (v === from || v.startsWith(from + path.sep)) ? path.join(to, path.relative(from, v)) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Leaf settings by dotted key; a secret reference is one leaf (its variable name is what may change). */
function leaves(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (isSecretRef(value)) out.set(prefix, `env:${value.env}`);
  else if (Array.isArray(value) || (value && typeof value === 'object')) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out.set(prefix, JSON.stringify(value));
  return out;
}

export interface SettingChange { key: string; change: 'added' | 'removed' | 'changed' }

/**
 * Which connection settings the head changes, by key only: values are never shown (a URL can carry a
 * password, and which variable a secret is read from is itself worth hiding from a diff that anyone can read).
 */
export function connectionDiff(head: Connection, base: Connection): SettingChange[] {
  const flat = (c: Connection) => leaves({ source: c.source, tenant: { graph: c.graph, local: c.local } }, '', new Map());
  const h = flat(head);
  const b = flat(base);
  const out: SettingChange[] = [];
  for (const [key, v] of h) if (!b.has(key)) out.push({ key, change: 'added' }); else if (b.get(key) !== v) out.push({ key, change: 'changed' });
  for (const key of b.keys()) if (!h.has(key)) out.push({ key, change: 'removed' });
  return out.sort((x, y) => x.key.localeCompare(y.key));
}

/**
 * The config a pull request is planned with: the head's policy (school, users, groups, classes, calendar,
 * safety, report, tenant.domains…) and the base's connection, its paths moved from the temporary copy to the
 * workspace. `clientId`, when given, is the read-only app registration a pull request signs in with.
 */
export function effectiveConfig(head: LoadedConfig, base: Connection, opts: { clientId?: string } = {}): LoadedConfig {
  const tenant = { ...(head.config.tenant as Record<string, unknown>) };
  delete tenant.graph;
  delete tenant.local;
  if (base.graph !== undefined) tenant.graph = opts.clientId ? { ...(base.graph as object), clientId: opts.clientId } : base.graph;
  if (base.local !== undefined) tenant.local = base.local;
  return { ...head, config: { ...head.config, source: base.source, tenant: tenant as Config['tenant'] } };
}

/** Whether the top file of a config writes any connection setting itself (rather than inheriting it). */
export function writesConnection(data: Record<string, unknown> | undefined): boolean {
  if (!data) return false;
  const tenant = data.tenant as Record<string, unknown> | undefined;
  return data.source !== undefined || tenant?.graph !== undefined || tenant?.local !== undefined;
}
