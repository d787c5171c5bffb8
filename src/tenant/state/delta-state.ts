// What a warm run keeps of the last tenant read: the users and groups as read (members and owners included) and the
// deltaLink of each collection, so the next run asks Graph only for what changed. Pure: bytes in, bytes out.
// The file holds personal data (names, addresses): it stays beside the config in .rollcall/ (or, in the Action, in
// the cache, encrypted). A file that is not exactly what rollcall wrote is never used: a full read is.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TenantGroup, TenantUser } from '../types.js';

export const STATE_FORMAT = 'rollcall-delta-state';
export const STATE_VERSION = 1;

/**
 * Which reads a state may stand in for: the same tenant, through the same Graph, with the same $select and domains.
 * A config that selects more (or manages another domain) needs objects and properties the state never saw.
 */
export interface DeltaKey {
  tenantId: string;
  graphUrl: string;
  userSelect: string;
  groupSelect: string;
  domains: string[];
}

/** One collection as last read: its objects, the deltaLink that continues from that read, and when it was last read in full. */
export interface CollectionState<T> {
  deltaLink: string;
  /** ISO time of the last full read; a warm read carries it over, so a full read comes back every `maxAge`. */
  fullReadAt: string;
  items: T[];
}

export interface DeltaState {
  key: DeltaKey;
  savedAt: string;
  users?: CollectionState<TenantUser>;
  groups?: CollectionState<TenantGroup>;
  /**
   * Ids in /directory/deletedItems at the time of the read. Graph's delta does not report a restore when a $select
   * is used, so a warm read compares this list with today's: an id that left it without being reported is restored.
   */
  deleted: { users: string[]; groups: string[] };
}

const nullableText = z.string().nullable().optional();
const userShape = z.object({
  id: z.string(), userPrincipalName: z.string(), displayName: z.string(), accountEnabled: z.boolean(),
  givenName: nullableText, surname: nullableText, mail: nullableText, employeeId: nullableText, employeeType: nullableText,
  extensionAttributes: z.record(z.string(), z.string().nullable()).optional(), employeeLeaveDateTime: nullableText, usageLocation: nullableText,
}).strict();
const groupShape = z.object({
  id: z.string(), displayName: z.string(), mailNickname: z.string(), mail: nullableText, description: nullableText,
  groupTypes: z.array(z.string()), securityEnabled: z.boolean(), mailEnabled: z.boolean(), members: z.array(z.string()), owners: z.array(z.string()),
}).strict();
const collection = <T extends z.ZodType>(item: T) => z.object({ deltaLink: z.string().url(), fullReadAt: z.string().datetime(), items: z.array(item) }).strict();
const stateShape = z.object({
  key: z.object({ tenantId: z.string(), graphUrl: z.string(), userSelect: z.string(), groupSelect: z.string(), domains: z.array(z.string()) }).strict(),
  savedAt: z.string().datetime(),
  users: collection(userShape).optional(),
  groups: collection(groupShape).optional(),
  deleted: z.object({ users: z.array(z.string()), groups: z.array(z.string()) }).strict(),
}).strict();

const envelope = z.object({ format: z.literal(STATE_FORMAT), version: z.number(), sha256: z.string(), state: z.unknown() }).strict();

const digest = (json: string) => createHash('sha256').update(json).digest('hex');

/** The file's bytes: the state with its format, version and a digest of the state as written. */
export function encodeState(state: DeltaState): Buffer {
  const json = JSON.stringify(state);
  return Buffer.from(`{"format":${JSON.stringify(STATE_FORMAT)},"version":${STATE_VERSION},"sha256":"${digest(json)}","state":${json}}\n`);
}

/**
 * The state in `bytes`, or why it cannot be used. The digest is over the state's text exactly as written: a file cut
 * short, edited by hand or written by another version is refused, never half-used.
 */
export function decodeState(bytes: Uint8Array): { state: DeltaState; problem?: undefined } | { state?: undefined; problem: string } {
  const text = Buffer.from(bytes).toString('utf8');
  let outer: unknown;
  try {
    outer = JSON.parse(text);
  } catch {
    return { problem: 'not a complete JSON document (cut short or corrupt)' };
  }
  const env = envelope.safeParse(outer);
  if (!env.success) return { problem: 'not a rollcall delta state' };
  if (env.data.version !== STATE_VERSION) return { problem: `format version ${env.data.version}, this rollcall reads version ${STATE_VERSION}` };
  // The state's own text, as it sits in the file (encodeState writes it last, before the closing brace).
  const at = text.indexOf('"state":');
  const inner = at < 0 ? '' : text.slice(at + 8, text.lastIndexOf('}'));
  if (digest(inner) !== env.data.sha256) return { problem: 'its checksum does not match (edited or corrupt)' };
  const parsed = stateShape.safeParse(env.data.state);
  if (!parsed.success) return { problem: `malformed (${parsed.error.issues[0]?.path.join('.') || 'state'})` };
  return { state: parsed.data as DeltaState };
}

/** Why a state kept under `stored` cannot stand in for a read under `wanted`, or undefined when it can. */
export function keyMismatch(stored: DeltaKey, wanted: DeltaKey): string | undefined {
  if (stored.tenantId !== wanted.tenantId) return 'it is another tenant\'s';
  if (stored.graphUrl !== wanted.graphUrl) return 'it was read through another Graph address';
  if (stored.userSelect !== wanted.userSelect || stored.groupSelect !== wanted.groupSelect) return 'it was read with other properties ($select)';
  if (stored.domains.join(',') !== wanted.domains.join(',')) return 'it was read for other domains';
  return undefined;
}

/** Hours since `fullReadAt` at `now`. */
export function ageHours(fullReadAt: string, now: Date): number {
  return (now.getTime() - Date.parse(fullReadAt)) / 3_600_000;
}
