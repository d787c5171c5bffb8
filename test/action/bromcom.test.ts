// The bundle reads a Bromcom MIS: the WSDL it carries in dist/assets is found from dist/index.js, soap is bundled,
// and the credentials a workflow passes in `env:` are masked before anything could print them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, TEST_CREDENTIALS, TEST_SCHOOL_ID } from '../emulators/bromcom/index.js';
import { FakeGitHub } from './fake-github.js';
import { configText, git, installAction, makeSchool, runAction, type School } from './harness.js';

let dir: string;
let actionDir: string;
let s: School;
const gh = new FakeGitHub();
let bromcom: Awaited<ReturnType<typeof startTestEmulator>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-action-'));
  actionDir = await installAction(dir);
  await gh.start();
  s = await makeSchool({ students: 10, seed: 4 });
  bromcom = await startTestEmulator({ students: 25, staff: 8, seed: 2, asOf: s.asOf });
});

afterAll(async () => {
  await bromcom?.close();
  await gh.stop();
  await rm(dir, { recursive: true, force: true });
  if (s) await rm(s.root, { recursive: true, force: true });
});

describe('the bundled action against the Bromcom emulator', () => {
  it('plans from Bromcom, with the MIS password masked', async () => {
    const source = `{ bromcom: { url: ${JSON.stringify(bromcom.url)}, schoolId: ${TEST_SCHOOL_ID}, username: { env: BROMCOM_USERNAME }, password: { env: BROMCOM_PASSWORD } } }`;
    await writeFile(path.join(s.workspace, 'rollcall.yaml'), configText(s, { source }));
    await git(s.workspace, 'commit', '-q', '-am', 'bromcom');
    const sha = await git(s.workspace, 'rev-parse', 'HEAD');
    const r = await runAction({
      actionDir, school: s, api: gh.url, event: 'workflow_dispatch', payload: {}, inputs: { mode: 'plan' }, sha, ref: 'refs/heads/main',
      env: TEST_CREDENTIALS,
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const created = (JSON.parse(r.outputs.summary) as Record<string, Record<string, number>>).user.create;
    expect(created).toBeGreaterThan(20);
    expect(bromcom.calls.length).toBeGreaterThan(0); // read from the SOAP service, through the WSDL in dist/assets
    // Masked first (the runner then hides the value everywhere), and never printed otherwise.
    const lines = r.stdout.split('\n');
    expect(lines[0]).not.toContain(TEST_CREDENTIALS.BROMCOM_PASSWORD);
    expect(lines.filter((l) => l.includes(TEST_CREDENTIALS.BROMCOM_PASSWORD))).toEqual([`::add-mask::${TEST_CREDENTIALS.BROMCOM_PASSWORD}`]);
    expect(r.stdout.indexOf(`::add-mask::${TEST_CREDENTIALS.BROMCOM_PASSWORD}`)).toBeLessThan(r.stdout.indexOf('tenant: local emulator'));
  });
});
