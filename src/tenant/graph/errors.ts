// Graph's answers turned into rollcall's typed errors, keeping status, code and request id (never bodies we sent).
import { GraphError } from '@microsoft/microsoft-graph-client';
import { TenantError } from '../../errors.js';

export interface GraphErrorInfo { status: number; code: string; message: string; requestId?: string }

/** Reads Graph's error envelope {error: {code, message, innerError: {request-id}}} from a response body. */
export function errorInfo(status: number, body: unknown, headers?: Record<string, string>): GraphErrorInfo {
  const err = (typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined) as
    { code?: unknown; message?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> } | undefined;
  const inner = err?.innerError ?? err?.innererror;
  const requestId = (inner?.['request-id'] as string | undefined) ?? headers?.['request-id'] ?? headers?.['client-request-id'];
  return {
    status,
    code: typeof err?.code === 'string' ? err.code : status === 0 ? 'NoResponse' : `Http${status}`,
    message: typeof err?.message === 'string' ? err.message : typeof body === 'string' && body ? body.slice(0, 300) : `HTTP ${status}`,
    ...(requestId ? { requestId } : {}),
  };
}

export function infoOfThrown(e: unknown): GraphErrorInfo {
  if (e instanceof GraphError) {
    // The SDK parses a JSON answer itself; a body cut off on the way (a dropped connection mid-page) surfaces as its
    // SyntaxError under a 2xx status. It is a malformed answer, never data, and is read again like a lost connection.
    if (e.code === 'SyntaxError' && e.statusCode >= 200 && e.statusCode < 300) {
      return { status: e.statusCode, code: 'MalformedAnswer', message: `the answer is not complete JSON (${e.message})` };
    }
    const status = e.statusCode > 0 ? e.statusCode : 0;
    return { status, code: e.code ?? (status ? `Http${status}` : 'NoResponse'), message: e.message, ...(e.requestId ? { requestId: e.requestId } : {}) };
  }
  return { status: 0, code: 'NoResponse', message: e instanceof Error ? e.message : String(e) };
}

export function tenantError(what: string, info: GraphErrorInfo, cause?: unknown): TenantError {
  const retryable = info.status === 0 || info.status === 429 || info.status >= 500;
  return new TenantError(`${what}: ${info.status || 'no response'} ${info.code}: ${info.message}`,
    { status: info.status, code: info.code, ...(info.requestId ? { requestId: info.requestId } : {}) },
    { cause, retryable });
}

/** "Another object with the same value for property userPrincipalName already exists." and friends. */
export function isConflict(info: GraphErrorInfo, property?: string): boolean {
  if (info.status !== 400 && info.status !== 409) return false;
  const m = info.message.toLowerCase();
  if (!/already exist/.test(m) && info.code !== 'ObjectConflict' && info.status !== 409) return false;
  return property === undefined || m.includes(property.toLowerCase()) || info.status === 409;
}

/** "One or more added object references already exist for the following modified properties: 'members'." */
export function isAlreadyReferenced(info: GraphErrorInfo): boolean {
  return info.status === 400 && /added object references already exist/i.test(info.message);
}

/** Replication delay on a just-created object: 404, or 400 "… do not exist". */
export function isNotYetReplicated(info: GraphErrorInfo): boolean {
  return info.status === 404 || (info.status === 400 && /do(es)? not exist/i.test(info.message) && !/property/i.test(info.message));
}
