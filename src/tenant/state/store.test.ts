import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeState, encodeState, keyMismatch, type DeltaState } from './delta-state.js';
import { fileStore, sealedStore, stateKey, StateUnreadable } from './store.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'rollcall-store-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const state: DeltaState = {
  key: { tenantId: 't1', graphUrl: 'https://graph.microsoft.com', userSelect: 'id,userPrincipalName', groupSelect: 'id,members', domains: ['school.test'] },
  savedAt: '2026-03-02T01:00:00.000Z',
  users: { deltaLink: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc', fullReadAt: '2026-03-01T01:00:00.000Z', items: [{ id: 'u1', userPrincipalName: 'a@school.test', displayName: 'A', accountEnabled: true }] },
  deleted: { users: [], groups: [] },
};

describe('the delta state file', () => {
  it('reads back what was written, and refuses anything else', () => {
    expect(decodeState(encodeState(state)).state).toEqual(state);
    const text = encodeState(state).toString();
    expect(decodeState(Buffer.from(text.replace('"A"', '"B"'))).problem).toMatch(/checksum/);
    expect(decodeState(Buffer.from(text.replace('"format":"rollcall-delta-state"', '"format":"other"'))).problem).toMatch(/not a rollcall delta state/);
    // A well-formed file with a matching digest but a shape this version does not know.
    const odd = JSON.stringify({ ...state, users: { ...state.users, items: [{ id: 1 }] } });
    const forged = encodeState(state).toString().replace(/"state":.*}\n$/s, `"state":${odd}}\n`);
    const digest = createHash('sha256').update(odd).digest('hex');
    expect(decodeState(Buffer.from(forged.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${digest}"`))).problem).toMatch(/malformed/);
  });

  it('names what makes a state not fit this read', () => {
    expect(keyMismatch(state.key, state.key)).toBeUndefined();
    expect(keyMismatch(state.key, { ...state.key, userSelect: 'id,userPrincipalName,assignedLicenses' })).toMatch(/other properties/);
    expect(keyMismatch(state.key, { ...state.key, domains: ['school.test', 'staff.school.test'] })).toMatch(/other domains/);
  });
});

describe('file and sealed stores', () => {
  it('writes atomically, owner-only, leaving no temporary file', async () => {
    const store = fileStore(path.join(dir, '.rollcall', 'delta-state.json'));
    expect(await store.load()).toBeUndefined();
    await store.save(Buffer.from('one'));
    await store.save(Buffer.from('two'));
    expect((await store.load())!.toString()).toBe('two');
    expect((await stat(store.where)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(store.where))).toEqual(['delta-state.json']);
  });

  it('seals with AES-256-GCM: opens only with the same key and context', async () => {
    const file = path.join(dir, 'state.sealed');
    const sealed = sealedStore(fileStore(file), stateKey('secret'), 'tenant\nrollcall.yaml');
    await sealed.save(encodeState(state));
    expect((await readFile(file)).toString('latin1')).not.toContain('a@school.test');
    expect(decodeState((await sealed.load())!).state).toEqual(state);
    await expect(sealedStore(fileStore(file), stateKey('other'), 'tenant\nrollcall.yaml').load()).rejects.toBeInstanceOf(StateUnreadable);
    await expect(sealedStore(fileStore(file), stateKey('secret'), 'tenant\nother.yaml').load()).rejects.toBeInstanceOf(StateUnreadable);
    await fileStore(file).save(encodeState(state));
    await expect(sealed.load()).rejects.toThrow(/not sealed/);
    // The same secret gives another key here than anywhere else it is used.
    expect(stateKey('secret').equals(Buffer.from('secret'))).toBe(false);
    expect(stateKey('secret')).toHaveLength(32);
  });
});
