// The action bundle without the Graph emulator: a school's Action talks to a real tenant, so dist/index.js (and the
// chunks it imports statically) must not carry the emulator or its certificate chain (selfsigned, asn1). The emulator
// is dist/emulator.js, loaded by src/tenant/index.ts's dynamic import when the config asks for tenant.local; the
// action end-to-end tests (tenant.local) run through it. Built here with esbuild's metafile, which names every input
// of every output.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness.js';

interface Output { bytes: number; entryPoint?: string; inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }
let tmp: string | undefined;
let out: string;
let outputs: Record<string, Output>;

/** The outputs a file loads before its first line runs: itself and, transitively, its static imports. */
function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement' && !i.external && outputs[i.path]) visit(i.path);
  };
  visit(file);
  return [...seen];
}
const inputsOf = (files: string[]) => files.flatMap((f) => Object.keys(outputs[f].inputs));
const key = (name: string) => path.relative(REPO_ROOT, path.join(out, name)).split(path.sep).join('/');
const EMULATOR = /(^|\/)src\/tenant\/emulator\/|node_modules\/(selfsigned|@peculiar|asn1js|pkijs|pvtsutils)\//;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'rollcall-split-'));
  out = path.join(tmp, 'dist');
  const meta = path.join(tmp, 'meta.json');
  execFileSync(process.execPath, ['scripts/bundle-action.mjs', '--out', out, '--metafile', meta], { cwd: REPO_ROOT, stdio: 'pipe' });
  outputs = (JSON.parse(await readFile(meta, 'utf8')) as { outputs: Record<string, Output> }).outputs;
}, 120_000);
// Only the folder this file made, whatever failed above.
afterAll(async () => { if (tmp) await rm(tmp, { recursive: true, force: true }); });

describe('the action bundle', () => {
  it('loads no emulator code and no certificate chain when it starts', () => {
    const closure = staticClosure(key('index.js'));
    const inputs = inputsOf(closure);
    expect(inputs).toContain('src/action/main.ts');
    expect(inputs.filter((i) => EMULATOR.test(i))).toEqual([]);
  });

  it('has the emulator as dist/emulator.js, reached from index.js only by a dynamic import', () => {
    const emulator = key('emulator.js');
    const inputs = inputsOf(staticClosure(emulator));
    expect(inputs).toContain('src/tenant/emulator/index.ts');
    expect(inputs.some((i) => /node_modules\/selfsigned\//.test(i))).toBe(true);
    expect(outputs[key('index.js')].imports).toContainEqual(expect.objectContaining({ path: emulator, kind: 'dynamic-import' }));
    // The emulator's own code is in emulator.js alone, not copied into a chunk that index.js loads.
    for (const [file, o] of Object.entries(outputs)) {
      if (file === emulator || file.endsWith('.map')) continue;
      expect(Object.keys(o.inputs).filter((i) => EMULATOR.test(i)), file).toEqual([]);
    }
  });

  it('carries no test kit in any file', () => {
    const kit = Object.entries(outputs).flatMap(([file, o]) => Object.keys(o.inputs).filter((i) => /^test\/|(^|\/)(synth|testkit|sample-plan)(\/|\.)/.test(i)).map((i) => `${file}: ${i}`));
    expect(kit).toEqual([]);
    expect(Object.keys(outputs).length).toBeGreaterThan(2);
  });

  it('starts the emulator from the chunk, with its assets found beside the bundle', () => {
    const state = path.join(out, 'tenant.json');
    const script = `const { startEmulator } = await import(${JSON.stringify(pathToFileURL(path.join(out, 'emulator.js')).href)});
      const emu = await startEmulator({ statePath: ${JSON.stringify(state)}, domains: ['split.example'] });
      await emu.stop();
      console.log(emu.url.startsWith('https://127.0.0.1:') ? 'started' : emu.url);`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: out, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(stdout.trim()).toBe('started');
  });
});
