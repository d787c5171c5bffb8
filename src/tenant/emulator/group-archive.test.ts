// What archiving a group writes (groups.onEnd: archive), with Graph's rules for hideFromAddressLists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { RawGraph } from '../../../test/support/emulator-kit.js';

let emu: RunningEmulator;
let g: RawGraph;
beforeAll(async () => {
  emu = await startEmulator();
  g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
});
afterAll(async () => {
  g.close();
  await emu.stop();
});

describe('hideFromAddressLists', () => {
  it('is set on a Microsoft 365 group in a PATCH of its own, and read back with $select', async () => {
    const m365 = await g.post('groups', { displayName: '8A', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'ts-registration-70', securityEnabled: false, description: '8A [rollcall:ts:group]' });
    expect((await g.patch(`groups/${m365.body.id}`, { displayName: '2025-26 8A', description: '8A [rollcall:ts:released 2025-26]' })).status).toBe(204);
    expect((await g.patch(`groups/${m365.body.id}`, { hideFromAddressLists: true })).status).toBe(204);
    const read = await g.get(`groups/${m365.body.id}?$select=displayName,description,hideFromAddressLists`);
    expect(read.body).toMatchObject({ displayName: '2025-26 8A', description: '8A [rollcall:ts:released 2025-26]', hideFromAddressLists: true });
  });

  it('is refused with other properties, at creation, and on a security group, as Graph refuses it', async () => {
    const m365 = await g.post('groups', { displayName: '8B', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'ts-registration-71', securityEnabled: false });
    const mixed = await g.patch(`groups/${m365.body.id}`, { displayName: 'x', hideFromAddressLists: true });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toBe('The request is currently not supported on the targeted entity set');
    const atCreate = await g.post('groups', { displayName: '8C', groupTypes: ['Unified'], mailEnabled: true, mailNickname: 'ts-registration-72', securityEnabled: false, hideFromAddressLists: true });
    expect(atCreate.status).toBe(400);
    const sec = await g.post('groups', { displayName: 'All Staff', mailEnabled: false, mailNickname: 'ts-sg-all-staff', securityEnabled: true });
    expect((await g.patch(`groups/${sec.body.id}`, { hideFromAddressLists: true })).status).toBe(400);
  });
});
