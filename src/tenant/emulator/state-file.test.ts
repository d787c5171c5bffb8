// The local tenant's state file under a long apply: saves serialise the state when they write it, one at a time
// (a queue of serialised copies ran a 73,000-change first sync out of memory), and temporaries a killed process
// left are cleared at the next start.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemporaries, startEmulator } from './index.js';

describe('the emulator state file', () => {
  it('serialises the state only as each write starts, never one copy per save asked for', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-state-'));
    const file = path.join(dir, 'tenant.json');
    const emu = await startEmulator({ statePath: file, domains: ['state.test'] });
    try {
      const toJSON = emu.state.toJSON.bind(emu.state);
      let copies = 0;
      emu.state.toJSON = () => { copies++; return toJSON(); };
      for (let i = 0; i < 200; i++) emu.state.addUser({ userPrincipalName: `u${i}@state.test` });
      const saves = Array.from({ length: 20 }, () => emu.save());
      // Twenty saves asked for while writes are pending hold no serialised copy yet: each is made when its write starts.
      expect(copies).toBe(0);
      await Promise.all(saves);
      expect(copies).toBeLessThanOrEqual(20);
      const saved = JSON.parse(await readFile(file, 'utf8')) as { users: unknown[] };
      expect(saved.users).toHaveLength(200);
      expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      await emu.stop();
    }
  });

  it('clears temporaries of a process that died mid-write, keeps a live one\'s', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-state-'));
    const file = path.join(dir, 'tenant.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(`${file}.${dead}.abc123.tmp`, '{"version":1,"users":[');
    await writeFile(`${file}.${process.pid}.def456.tmp`, '{');
    await writeFile(path.join(dir, 'other.json.1.x.tmp'), '{');
    const emu = await startEmulator({ statePath: file, domains: ['state.test'] });
    await emu.stop();
    expect((await readdir(dir)).sort()).toEqual(['other.json.1.x.tmp', 'tenant.json', `tenant.json.${process.pid}.def456.tmp`]);
    expect(await removeStaleTemporaries(file)).toEqual([]);
  });
});
