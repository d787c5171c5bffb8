// Graph's answers turned into rollcall's typed errors, keeping status, code and request id (never bodies we sent).
import { GraphError } from '@microsoft/microsoft-graph-client';
import { TenantError, type MissingPermission } from '../../errors.js';
import { ROLLCALL_PERMISSIONS, permissionToGrant, requirementsOfRequest, unmet, type GraphRequest } from '../permissions.js';

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

/**
 * rollcall's error for Graph's answer to `what`. A 403 on a `request` the permissions table knows names the
 * permissions to grant: those the token's `roles` lack when they are known, else all the request needs.
 */
export function tenantError(what: string, info: GraphErrorInfo, cause?: unknown, request?: GraphRequest, roles?: readonly string[]): TenantError {
  if (info.status === 403 && request) {
    const lacking = roles ? missingPermissions(request, roles) : [];
    const missing = lacking.length ? lacking : missingPermissions(request);
    if (missing.length) return permissionsError(what, missing, info, cause);
  }
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

/**
 * The permissions a request Graph refused with 403 needs, from the permissions table (tenant/permissions.ts); with
 * the token's roles, only those it lacks. Reads name the least privileged permission, writes the one README's write
 * app has.
 */
export function missingPermissions(request: GraphRequest, roles?: readonly string[]): MissingPermission[] {
  const needs = requirementsOfRequest(request);
  const prefer = request.method.toUpperCase() === 'GET' ? [] : ROLLCALL_PERMISSIONS;
  return (roles ? unmet(needs, roles) : needs).map((r) => ({ permission: permissionToGrant(r, prefer), anyOf: r.anyOf, operation: r.what }));
}

/** "User-LifeCycleInfo.ReadWrite.All (for employeeLeaveDateTime (write)), User.ReadWrite.All (for PATCH users/{id})". */
export function describePermissions(missing: readonly MissingPermission[]): string {
  const byPermission = new Map<string, Set<string>>();
  for (const m of missing) {
    const ops = byPermission.get(m.permission) ?? new Set<string>();
    ops.add(m.operation);
    byPermission.set(m.permission, ops);
  }
  return [...byPermission].map(([p, ops]) => `${p} (for ${[...ops].join(', ')})`).join(', ');
}

/**
 * A refusal for lack of permission, as an error that says what to grant: an administrator can act on it without
 * reading Graph's documentation. Final: sending again cannot help until someone grants it.
 */
export function permissionsError(what: string, missing: MissingPermission[], info?: GraphErrorInfo, cause?: unknown): TenantError {
  const n = new Set(missing.map((m) => m.permission)).size;
  return new TenantError(
    `${what}: Microsoft Graph refused it (403 ${info?.code ?? 'Authorization_RequestDenied'}): rollcall's app registration lacks the application permission${n > 1 ? 's' : ''} ` +
      `${describePermissions(missing)}. Grant ${n > 1 ? 'them' : 'it'} in Entra (App registrations > API permissions > Microsoft Graph > Application permissions) with admin consent; \`rollcall check\` lists everything the configuration needs`,
    { status: 403, code: info?.code ?? 'Authorization_RequestDenied', ...(info?.requestId ? { requestId: info.requestId } : {}), missingPermissions: missing },
    { cause, retryable: false },
  );
}
