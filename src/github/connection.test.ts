import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config, LoadedConfig } from '../config/load.js';
import { connectionDiff, connectionOf, effectiveConfig, reroot, writesConnection } from './connection.js';

const loaded = (config: Partial<Config>): LoadedConfig => ({ config: config as Config, file: '/ws/rollcall.yaml', files: ['/ws/rollcall.yaml'], origins: new Map(), warnings: [] });

const base: Partial<Config> = {
  school: { name: 'Base', key: 'b' } as Config['school'],
  source: { bromcom: { url: 'https://cloudmis.bromcom.com/x.asmx', schoolId: 1, username: { env: 'BROMCOM_USERNAME' }, password: { env: 'BROMCOM_PASSWORD' } } } as Config['source'],
  tenant: { graph: { tenantId: 't', clientId: 'c', auth: 'github-oidc' }, domains: ['base.example'] } as unknown as Config['tenant'],
  safety: { maxSuspensions: { count: 3 } } as Config['safety'],
};
const hostile: Partial<Config> = {
  school: { name: 'Head', key: 'h' } as Config['school'],
  source: { bromcom: { url: 'http://127.0.0.1:9/steal', schoolId: 1, username: { env: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN' }, password: { env: 'BROMCOM_PASSWORD' } } } as Config['source'],
  tenant: { graph: { tenantId: 't', clientId: 'c', auth: 'client-secret', clientSecret: { env: 'AZURE_CLIENT_SECRET' }, authorityHost: 'http://127.0.0.1:9', graphUrl: 'http://127.0.0.1:9' }, domains: ['head.example'], education: true } as unknown as Config['tenant'],
  safety: { maxSuspensions: { count: 99 } } as Config['safety'],
};

describe('effectiveConfig: the head policy over the base connection', () => {
  it('takes every connection setting and secret reference from the base, every policy setting from the head', () => {
    const out = effectiveConfig(loaded(hostile), connectionOf(base as Config)).config;
    expect(out.source).toEqual(base.source);
    expect((out.tenant as { graph: unknown }).graph).toEqual((base.tenant as { graph: unknown }).graph);
    expect(JSON.stringify(out)).not.toMatch(/127\.0\.0\.1|ACTIONS_ID_TOKEN|AZURE_CLIENT_SECRET/);
    expect(out.school.name).toBe('Head');
    expect(out.tenant.domains).toEqual(['head.example']);
    expect(out.tenant.education).toBe(true);
    expect(out.safety).toEqual(hostile.safety);
  });

  it('a base with a local tenant drops the head\'s graph, and the read-only client id replaces the base\'s', () => {
    const local = { ...base, tenant: { local: { state: '/ws/t.json' }, domains: ['x'] } } as unknown as Config;
    const out = effectiveConfig(loaded(hostile), connectionOf(local)).config.tenant as Record<string, unknown>;
    expect(out.graph).toBeUndefined();
    expect(out.local).toEqual({ state: '/ws/t.json' });
    const ro = effectiveConfig(loaded(hostile), connectionOf(base as Config), { clientId: 'read-only' }).config.tenant as { graph: { clientId: string; tenantId: string } };
    expect(ro.graph).toMatchObject({ clientId: 'read-only', tenantId: 't' });
  });
});

describe('connectionDiff', () => {
  it('names the keys that changed, never their values', () => {
    const d = connectionDiff(connectionOf(hostile as Config), connectionOf(base as Config));
    expect(d).toEqual([
      { key: 'source.bromcom.url', change: 'changed' },
      { key: 'source.bromcom.username', change: 'changed' },
      { key: 'tenant.graph.auth', change: 'changed' },
      { key: 'tenant.graph.authorityHost', change: 'added' },
      { key: 'tenant.graph.clientSecret', change: 'added' },
      { key: 'tenant.graph.graphUrl', change: 'added' },
    ]);
    expect(JSON.stringify(d)).not.toMatch(/127|ACTIONS|AZURE/);
    expect(connectionDiff(connectionOf(base as Config), connectionOf(base as Config))).toEqual([]);
  });
});

describe('reroot and writesConnection', () => {
  it('moves paths under the temporary copy to the workspace and leaves others alone', () => {
    const tmp = path.join(path.sep, 'tmp', 'rollcall-base-1');
    expect(reroot({ a: path.join(tmp, 'mis'), b: path.join(path.sep, 'elsewhere'), c: `${tmp}x/y`, n: 3 }, tmp, '/ws')).toEqual({ a: path.join('/ws', 'mis'), b: path.join(path.sep, 'elsewhere'), c: `${tmp}x/y`, n: 3 });
  });
  it('tells a file that sets a connection from one that inherits it', () => {
    expect(writesConnection({ extends: '../trust.yaml', school: {} })).toBe(false);
    expect(writesConnection({ extends: '../trust.yaml', tenant: { domains: ['x'] } })).toBe(false);
    expect(writesConnection({ source: { oneroster: { dir: '.' } } })).toBe(true);
    expect(writesConnection({ tenant: { graph: {} } })).toBe(true);
  });
});
