import { ConfigError } from '../errors.js';

/** A secret is only ever written in config as a reference to an environment variable. */
export interface SecretRef { env: string }

export function isSecretRef(v: unknown): v is SecretRef {
  return typeof v === 'object' && v !== null && typeof (v as SecretRef).env === 'string';
}

/** Resolved at the moment a source or tenant needs it, never at load time, so `validate` needs no secrets. */
export function resolveSecret(ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[ref.env];
  if (value === undefined || value === '') {
    throw new ConfigError(`${what} refers to environment variable ${ref.env}, which is not set`);
  }
  return value;
}
