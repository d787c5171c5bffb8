import type { Problem } from './config/problems.js';

// Typed errors that carry their context and whether trying again can help (release-please style).

export class RollcallError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** The user's configuration is wrong; fixing the file fixes it. */
export class ConfigError extends RollcallError {
  constructor(message: string, readonly problems: Problem[] = []) {
    super(message);
  }
}

/** Data read from the MIS cannot be trusted (bad CSV, SOAP fault, DataSet missing). */
export class SourceError extends RollcallError {
  constructor(message: string, readonly where?: { file?: string; line?: number; record?: string }, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options);
  }
}

/** A permission Graph refused a request for lack of (403): which to grant, and for which operation. */
export interface MissingPermission {
  permission: string;
  /** Any of these would do (least privileged first). */
  anyOf: readonly string[];
  /** `PATCH users/{id}`, or the property: `employeeLeaveDateTime (write)`. */
  operation: string;
}

/** Microsoft Graph (or the emulator) answered with an error or could not be reached. */
export class TenantError extends RollcallError {
  constructor(message: string, readonly graph?: { status?: number; code?: string; requestId?: string; missingPermissions?: MissingPermission[] }, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options);
  }
}

/**
 * A plan may not be applied: a safety limit nobody approved (`approvable`), or a configuration problem or a plan
 * changed after planning, which no approval lets through. Exit 3, nothing written.
 */
export class BlockedError extends RollcallError {
  readonly approvable: boolean;
  constructor(message: string, options: { approvable?: boolean } = {}) {
    super(message);
    this.approvable = options.approvable ?? false;
  }
}

/** An `--only` selector (or the action's `only` input) that is malformed or names nothing pending. */
export class SelectionError extends RollcallError {}
