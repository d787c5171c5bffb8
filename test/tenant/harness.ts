// Starts the Graph emulator over HTTPS and connects rollcall's real Graph code to it (graph-client v3,
// Client.initWithMiddleware, TLS trusting exactly the emulator's certificate).
import type { TokenCredential } from '@azure/identity';
import { memoryLogger } from '../../src/log.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { createGraphClient } from '../../src/tenant/graph/client.js';
import { tenantOverGraph, type TenantInternals } from '../../src/tenant/index.js';
import type { RetryPolicy } from '../../src/tenant/graph/retry.js';

export const DOMAIN = 'school.test';

export const anyToken: TokenCredential = {
  getToken: async () => ({ token: 'contract-test', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface Local {
  emu: RunningEmulator;
  tenant: TenantInternals;
  log: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

export async function local(emuOpts: EmulatorOptions = {}, t: { writesPerSecond?: number; concurrency?: number; retryPolicy?: RetryPolicy; timeoutMs?: number; onResponse?: (status: number) => void; replicationDelaysMs?: number[]; ownersFromDelta?: boolean } = {}): Promise<Local> {
  const emu = await startEmulator({ domains: [DOMAIN, 'staff.school.test'], education: true, ...emuOpts });
  const graph = createGraphClient({ credential: anyToken, graphUrl: emu.url, ca: emu.ca, timeoutMs: t.timeoutMs ?? 3000, ...(t.onResponse ? { onResponse: t.onResponse } : {}) });
  const log = memoryLogger();
  const tenant = tenantOverGraph(graph, {
    domains: [DOMAIN, 'staff.school.test'], education: true, log,
    writesPerSecond: t.writesPerSecond ?? 10_000, concurrency: t.concurrency ?? 4,
    replicationDelaysMs: t.replicationDelaysMs ?? [50, 100, 200, 400],
    pollDelaysMs: [50, 100, 200, 400, 800],
    ...(t.ownersFromDelta !== undefined ? { ownersFromDelta: t.ownersFromDelta } : {}),
    retryPolicy: t.retryPolicy ?? { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 500 },
  });
  return { emu, tenant, log, close: async () => { await tenant.close(); await emu.stop(); } };
}

export function userBody(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accountEnabled: true,
    displayName: `Student ${n}`,
    mailNickname: `s${n}`,
    userPrincipalName: `s${n}@${DOMAIN}`,
    employeeId: `bts:s${n}`,
    employeeType: 'Student',
    usageLocation: 'GB',
    passwordProfile: { password: `Xy!${n}-long-Passw0rd`, forceChangePasswordNextSignIn: true },
    ...extra,
  };
}
