// Every secret the config refers to is masked in the log before anything can print it (Graph errors echo
// request details; a SOAP fault may echo credentials).
import { isSecretRef } from '../config/secrets.js';

export function maskConfigSecrets(config: unknown, mask: (value: string) => void, env: NodeJS.ProcessEnv = process.env): number {
  let masked = 0;
  const walk = (v: unknown): void => {
    if (isSecretRef(v)) {
      const value = env[v.env];
      if (value) { mask(value); masked++; }
      return;
    }
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(config);
  return masked;
}
