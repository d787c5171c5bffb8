import * as core from '@actions/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskConfigSecrets } from './secrets.js';

describe('maskConfigSecrets', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('masks the value of every secret reference the config makes, wherever it sits', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
    const config = {
      source: { bromcom: { password: { env: 'BROMCOM_PASSWORD' } } },
      tenant: { graph: { clientSecret: { env: 'GRAPH_SECRET' }, certificatePassword: { env: 'UNSET_ONE' } } },
      list: [{ token: { env: 'LIST_TOKEN' } }],
    };
    const n = maskConfigSecrets(config, core.setSecret, { BROMCOM_PASSWORD: 'hunter2', GRAPH_SECRET: 's3cr3t', LIST_TOKEN: 'tok' });
    expect(n).toBe(3);
    expect(written.join('')).toBe('::add-mask::hunter2\n::add-mask::s3cr3t\n::add-mask::tok\n');
  });
});
