// Drives the real yaml-language-server (the engine of VS Code's YAML extension) over LSP stdio,
// to prove the schema gives completion, hover and diagnostics as a school's IT lead will see them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const root = path.resolve(import.meta.dirname, '../..');
const schemaUri = pathToFileURL(path.join(root, 'schema/rollcall.schema.json')).href;
const docUri = pathToFileURL(path.join(root, 'examples/editor-probe/rollcall.yaml')).href;

const text = [
  `# yaml-language-server: $schema=${schemaUri}`,
  'version: 1',
  'school: { name: Probe School, key: probe }',
  'source:',
  '  oneroster: { dir: ./mis }',
  'tenant:',
  '  local: { state: .rollcall/t.json }',
  '  domains: [probe.example]',
  'users:',
  '  mode: creat',
  '  ',
  '  students:',
  '    userPrincipalName: "{first}.{last}@probe.example"',
  '',
].join('\n');

let server: ChildProcess;
let conn: MessageConnection;
const diagnostics = new Map<string, { range: { start: { line: number } }; message: string }[]>();
let diagnosticsArrived: () => void;
const gotDiagnostics = new Promise<void>((resolve) => { diagnosticsArrived = resolve; });

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve('yaml-language-server/package.json')), 'bin/yaml-language-server');
  server = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  conn = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const settings = { yaml: { validate: true, hover: true, completion: true, schemas: {}, schemaStore: { enable: false } } };
  conn.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((i) => (i.section === 'yaml' ? settings.yaml : i.section ? null : settings)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: [] }) => {
    diagnostics.set(p.uri, p.diagnostics);
    if (p.uri === docUri && p.diagnostics.length) diagnosticsArrived();
  });
  // The pipe can break when the server exits at the end; errors surface through the requests that need it.
  conn.onError(() => {});
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
    },
  });
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('workspace/didChangeConfiguration', { settings });
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: docUri, languageId: 'yaml', version: 1, text } });
});

afterAll(async () => {
  // LSP's orderly end: shutdown, then exit. The server closes its pipes on exit, so a late write may fail (EPIPE):
  // that is the end we asked for, not an error.
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit').catch(() => {});
  } catch { /* already gone */ }
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  conn.dispose();
  server.kill();
});

describe('yaml-language-server with rollcall.schema.json', () => {
  it('offers the documented keys when completing under users:', async () => {
    const result = await conn.sendRequest<{ items: { label: string; documentation?: unknown }[] } | { label: string }[]>('textDocument/completion', {
      textDocument: { uri: docUri },
      position: { line: 10, character: 2 },
    });
    const items = Array.isArray(result) ? result : result.items;
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['anchor', 'match', 'manualMatches', 'staff', 'exclusions', 'leavers', 'passwords']));
    const anchor = items.find((i) => i.label === 'anchor') as { documentation?: unknown } | undefined;
    expect(JSON.stringify(anchor?.documentation ?? '')).toContain('Where the MIS id is stored');
  });

  it('shows the description on hover', async () => {
    const hover = await conn.sendRequest<{ contents: unknown }>('textDocument/hover', {
      textDocument: { uri: docUri },
      position: { line: 11, character: 4 },
    });
    expect(JSON.stringify(hover.contents)).toContain('Accounts for students');
  });

  it('puts a diagnostic on the line of a wrong value', async () => {
    await gotDiagnostics;
    const found = diagnostics.get(docUri) ?? [];
    const onMode = found.filter((d) => d.range.start.line === 9);
    expect(onMode.length).toBeGreaterThan(0);
    expect(onMode.map((d) => d.message).join('\n')).toMatch(/create|link/);
  });
});
