import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/load.js';
import { OptionsError, runOptions } from './options.js';
import { sameReads } from './replan.js';

describe('runOptions', () => {
  it('fills the same defaults for the CLI and the action', () => {
    expect(runOptions({})).toEqual({ configPath: 'rollcall.yaml', verbose: false, format: 'text', detailedExitcode: false });
    expect(runOptions({ configPath: '', asOf: '2026-01-12', approve: 'a'.repeat(64) })).toMatchObject({ configPath: 'rollcall.yaml', asOf: '2026-01-12', approve: 'a'.repeat(64) });
  });

  it('names the option as the caller spells it', () => {
    expect(() => runOptions({ format: 'xml' as 'text' }, { format: '--format' })).toThrow('--format must be text, markdown or json, not xml');
    expect(() => runOptions({ asOf: '12/01/2026' }, { asOf: 'input as-of' })).toThrow(OptionsError);
    expect(() => runOptions({ approve: 'abc' }, { approve: 'input approve' })).toThrow('input approve must be a plan checksum');
  });
});

describe('sameReads', () => {
  const loaded = (source: unknown, tenant: unknown) => ({ config: { source, tenant } }) as unknown as LoadedConfig;
  it('compares paths relative to each copy\'s root', () => {
    const head = loaded({ oneroster: { dir: '/work/repo/mis' } }, { local: { state: '/work/repo/.rollcall/t.json' }, domains: ['a.example'] });
    const base = loaded({ oneroster: { dir: '/tmp/base-1/mis' } }, { local: { state: '/tmp/base-1/.rollcall/t.json' }, domains: ['a.example'] });
    expect(sameReads({ loaded: head, root: '/work/repo' }, { loaded: base, root: '/tmp/base-1' })).toEqual({ source: true, tenant: true });
    const moved = loaded({ sds: { dir: path.join('/tmp/base-1', 'sds') } }, { local: { state: '/tmp/base-1/.rollcall/t.json' }, domains: ['b.example'] });
    expect(sameReads({ loaded: head, root: '/work/repo' }, { loaded: moved, root: '/tmp/base-1' })).toEqual({ source: false, tenant: false });
  });
});
