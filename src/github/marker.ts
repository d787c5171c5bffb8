// Hidden markers in comments and pull request bodies. The plan marker finds rollcall's one comment per config
// again and records the checksum that was reviewed; the destructive marker records which destructive changes
// the reviewer saw, as short hashes (no names, no MIS ids in clear), so a merge can tell whether they grew.
import { createHash } from 'node:crypto';
import type { Change } from '../plan/types.js';

export interface PlanMarker {
  config: string;
  checksum: string;
  /** Hashes of the destructive changes shown; `undefined` when there were too many to list. */
  destructive?: Set<string>;
}

/** Past this many, the list would crowd the comment; a merge then needs the exact checksum or to be within limits. */
export const MAX_DESTRUCTIVE_HASHES = 2000;

export const destructiveHash = (c: Pick<Change, 'action' | 'key'>) => createHash('sha256').update(`${c.action} ${c.key}`).digest('hex').slice(0, 12);

const enc = (config: string) => encodeURIComponent(config);

export function planMarkerPrefix(config: string): string {
  return `<!-- rollcall:plan config=${enc(config)} `;
}

/** `checksum` undefined: nothing was planned (a fork's pull request, an invalid config); a merge then finds no review. */
export function planMarker(config: string, checksum: string | undefined, changes: Change[]): string {
  const destructive = changes.filter((c) => c.destructive);
  const list = destructive.length > MAX_DESTRUCTIVE_HASHES ? 'overflow' : destructive.map(destructiveHash).sort().join(' ');
  return `${planMarkerPrefix(config)}checksum=${checksum ?? 'none'} -->\n<!-- rollcall:destructive ${list} -->\n`;
}

export function parsePlanMarker(body: string, config: string): PlanMarker | undefined {
  const at = body.indexOf(planMarkerPrefix(config));
  if (at < 0) return undefined;
  const m = /checksum=([0-9a-f]{64}) -->/.exec(body.slice(at, at + 400));
  if (!m) return undefined;
  const d = /<!-- rollcall:destructive ([^>]*?) ?-->/.exec(body.slice(at));
  let destructive: Set<string> | undefined = new Set();
  if (d) destructive = d[1].trim() === 'overflow' ? undefined : new Set(d[1].split(/\s+/).filter(Boolean));
  return { config, checksum: m[1], ...(destructive ? { destructive } : {}) };
}

/** The outcome of a merge run, one comment per config on the merged pull request. */
export function mergeMarker(config: string): string {
  return `<!-- rollcall:merge config=${enc(config)} -->\n`;
}
