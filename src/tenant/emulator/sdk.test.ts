// The emulator through Microsoft's own SDK (@microsoft/microsoft-graph-client v3) and its own HTTPMessageHandler
// (global fetch) with an undici dispatcher that trusts exactly the emulator's CA: paging with PageIterator, $batch with
// BatchRequestContent/BatchResponseContent, RetryHandler honouring a fractional Retry-After, errors as GraphError.
import { AuthenticationHandler, BatchRequestContent, BatchResponseContent, Client, HTTPMessageHandler, PageIterator, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { newUser } from '../../../test/support/emulator-kit.js';

let emu: RunningEmulator;
let client: Client;
let agent: Agent;
beforeAll(async () => {
  emu = await startEmulator({ throttle: { timeScale: 2, limits: { writesPerSecond: 3 } } });
  agent = new Agent({ connect: { ca: emu.ca } });
  const auth = new AuthenticationHandler({ getAccessToken: async () => emu.issueToken() });
  const retry = new RetryHandler(new RetryHandlerOptions(0, 3));
  auth.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  client = Client.initWithMiddleware({ middleware: auth, baseUrl: `${emu.url}/`, customHosts: new Set(['127.0.0.1']), fetchOptions: { dispatcher: agent } as RequestInit });
});
afterAll(async () => {
  await agent.close();
  await emu.stop();
});

describe('@microsoft/microsoft-graph-client against the emulator', () => {
  it('pages with PageIterator across absolute nextLinks', async () => {
    for (let i = 0; i < 7; i++) emu.state.addUser({ userPrincipalName: `sdk${i}@rollcall.test`, employeeId: `s${i}` });
    const first = await client.api('/users').top(3).select('id,employeeId').get();
    const seen: string[] = [];
    await new PageIterator(client, first, (u: { employeeId: string }) => {
      seen.push(u.employeeId);
      return true;
    }).iterate();
    expect(seen.sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
  });

  it('batches with BatchRequestContent and reads BatchResponseContent', async () => {
    const batch = new BatchRequestContent([
      { id: 'a', request: new Request(`${emu.url}/v1.0/users`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(newUser('sdk.batch')) }) },
      { id: 'b', request: new Request(`${emu.url}/v1.0/users/sdk.batch@rollcall.test?$select=id,userPrincipalName`, { method: 'GET' }), dependsOn: ['a'] },
    ]);
    const res = new BatchResponseContent(await client.api('/$batch').post(await batch.getContent()));
    expect(res.getResponseById('a').status).toBe(201);
    const b = res.getResponseById('b');
    expect(b.status).toBe(200);
    expect(((await b.json()) as { userPrincipalName: string }).userPrincipalName).toBe('sdk.batch@rollcall.test');
  });

  it('retries 429 using the fractional Retry-After, and surfaces Graph errors as GraphError', async () => {
    const u = emu.state.addUser({ userPrincipalName: 'sdk.retry@rollcall.test' });
    emu.resetCounts();
    // Three writes per second, which at timeScale 2 is half a real second: later ones are throttled and retried.
    for (let i = 0; i < 5; i++) await client.api(`/users/${u.id}`).patch({ jobTitle: `j${i}` });
    expect(emu.counts().throttled).toBeGreaterThan(0);
    expect(u.props.jobTitle).toBe('j4');
    await expect(client.api('/users').post(newUser('sdk.retry'))).rejects.toMatchObject({
      statusCode: 400,
      code: 'Request_BadRequest',
      message: 'Another object with the same value for property userPrincipalName already exists.',
    });
  });
});
