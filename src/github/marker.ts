// Hidden markers in comments and pull request bodies. The plan marker finds rollcall's one comment per config
// again and records the checksum that was reviewed; the destructive marker records which destructive changes
// the reviewer saw, as hashes, so a merge can tell whether they grew.
//
// A plain hash of `suspend user:student:1042` is no secret: MIS ids are few and guessable, so anyone can hash
// every candidate and read the list back. Where the world reads the marker (a public repository) the hashes are
// HMACs keyed by a secret the school sets (input `marker-key`), or, without one, not written at all: the merge
// then lets a plan over the safety limits through only by its exact checksum. A private repository's readers
// see the plan itself, so there the plain hash hides nothing they could not read anyway.
import { createHash, createHmac } from 'node:crypto';
import type { Change } from '../plan/types.js';

/** How the destructive changes are recorded: keyed, plain, or withheld (a public repository without a key). */
export type MarkerScheme = { kind: 'hmac'; secret: string } | { kind: 'sha256' } | { kind: 'withheld' };

export function markerScheme(secret: string | undefined, publicRepository: boolean): MarkerScheme {
  if (secret) return { kind: 'hmac', secret };
  return publicRepository ? { kind: 'withheld' } : { kind: 'sha256' };
}

export interface PlanMarker {
  config: string;
  checksum: string;
  /** Hashes of the destructive changes shown; `undefined` when there were too many to list, or none were written. */
  destructive?: Set<string>;
  /** How `destructive` was hashed ('overflow': too many to list). Markers written before schemes are `sha256`. */
  scheme?: MarkerScheme['kind'] | 'overflow';
}

/** Past this many, the list would crowd the comment; a merge then needs the exact checksum or to be within limits. */
export const MAX_DESTRUCTIVE_HASHES = 2000;

const SHA256: MarkerScheme = { kind: 'sha256' };

/** The hash of one destructive change under a scheme (`withheld` has none: it is never compared). */
export function destructiveHash(c: Pick<Change, 'action' | 'key'>, scheme: MarkerScheme = SHA256): string {
  const text = `${c.action} ${c.key}`;
  if (scheme.kind === 'hmac') return createHmac('sha256', scheme.secret).update(text).digest('hex').slice(0, 24);
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

const enc = (config: string) => encodeURIComponent(config);

export function planMarkerPrefix(config: string): string {
  return `<!-- rollcall:plan config=${enc(config)} `;
}

/** `checksum` undefined: nothing was planned (a fork's pull request, an invalid config); a merge then finds no review. */
export function planMarker(config: string, checksum: string | undefined, changes: Change[], scheme: MarkerScheme = SHA256): string {
  const destructive = changes.filter((c) => c.destructive);
  const hashes = () => destructive.map((c) => destructiveHash(c, scheme)).sort().join(' ');
  const list = scheme.kind === 'withheld' ? 'withheld'
    : destructive.length > MAX_DESTRUCTIVE_HASHES ? 'overflow'
    : scheme.kind === 'hmac' ? `hmac ${hashes()}`.trimEnd() : hashes();
  return `${planMarkerPrefix(config)}checksum=${checksum ?? 'none'} -->\n<!-- rollcall:destructive ${list} -->\n`;
}

export function parsePlanMarker(body: string, config: string): PlanMarker | undefined {
  const at = body.indexOf(planMarkerPrefix(config));
  if (at < 0) return undefined;
  const m = /checksum=([0-9a-f]{64}) -->/.exec(body.slice(at, at + 400));
  if (!m) return undefined;
  const d = /<!-- rollcall:destructive ([^>]*?) ?-->/.exec(body.slice(at));
  const words = d ? d[1].split(/\s+/).filter(Boolean) : [];
  if (words[0] === 'overflow' || words[0] === 'withheld') return { config, checksum: m[1], scheme: words[0] };
  const scheme = words[0] === 'hmac' ? 'hmac' : 'sha256';
  return { config, checksum: m[1], destructive: new Set(scheme === 'hmac' ? words.slice(1) : words), scheme };
}

/** The outcome of a merge run, one comment per config on the merged pull request. */
export function mergeMarker(config: string): string {
  return `<!-- rollcall:merge config=${enc(config)} -->\n`;
}
