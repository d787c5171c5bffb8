// Shapes shared by the server, the batch executor and the resource handlers.
import type { EmulatorState } from './state.js';

export interface EmuRequest {
  method: string;
  /** Path below the version segment, decoded and normalised: `users/abc/events`, `teams/x/operations/y`. */
  segments: string[];
  params: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
  /** The app the bearer token was issued to ('default' when tokens are not checked). */
  appId: string;
  /**
   * The application permissions the token carries (its `roles`), checked against permissions.ts before the
   * handler runs; requests inside a $batch carry the outer request's. Undefined only for requests built directly
   * by tests, which are not checked.
   */
  roles?: readonly string[];
  inBatch: boolean;
  /** Set by $batch on an inner request beyond Outlook's per-mailbox concurrency: it is answered 429. */
  overConcurrency?: boolean;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Ctx {
  state: EmulatorState;
  /** `https://127.0.0.1:PORT/v1.0`: absolute links (nextLink, Location) start with it. */
  graphBase: string;
  now(): number;
  /** Replication delay: an object younger than this is invisible to reads and as a $ref target. */
  replicationDelayMs: number;
  /** Divides waits the emulator imposes (team provisioning, Retry-After); 1 = real time. */
  timeScale: number;
  /** Real milliseconds a team takes to provision (POST /teams → operation succeeded). */
  teamProvisioningMs: number;
  /** Outlook's concurrent requests per mailbox (4) when throttling is on; undefined when off. */
  mailboxConcurrency?: number;
  /** Re-enters the pipeline for one $batch inner request (routing, throttling, faults). */
  dispatch(req: EmuRequest): Promise<EmuResponse>;
}

export type Handler = (req: EmuRequest, ctx: Ctx, ids: string[]) => EmuResponse | Promise<EmuResponse>;

/** Which throttling budget a request draws on (see throttle.ts). */
export type Service = 'directory' | 'outlook' | 'teams' | 'none';

export interface Route {
  method: string;
  /** Segments with `{id}` placeholders, e.g. `groups/{id}/members/$ref`; also the request-count kind. */
  pattern: string;
  handler: Handler;
  service: Service;
  /** Resource units a GET costs before $select/$expand adjustments (writes always cost 1 RU + 1 write). */
  ru?: number;
}

export function visible(ctx: Ctx, rec: { createdAt: number }): boolean {
  return ctx.now() - rec.createdAt >= ctx.replicationDelayMs;
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>): EmuResponse => ({ status, body, headers });

/** The mailbox an Outlook request addresses (`users/{id}/events…`, `calendarView`, `sendMail`), lower-cased. */
export function mailboxOf(segments: string[]): string | undefined {
  if (segments[0]?.toLowerCase() !== 'users' || segments.length < 3) return undefined;
  const area = segments[2].toLowerCase();
  return ['events', 'calendar', 'calendarview', 'sendmail'].includes(area) ? segments[1].toLowerCase() : undefined;
}

export const MAILBOX_CONCURRENCY = 4;
