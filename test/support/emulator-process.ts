// The Graph emulator in its own process, started through the CLI (`rollcall emulator`) as a school would run it:
// reached over HTTPS with the CA it writes, as a real tenant is. Shared by the end-to-end, resilience and attack tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../bin/rollcall.js');

export interface EmulatorProcessOptions {
  /** The tenant's state file. */
  state: string;
  /** Where the emulator writes its CA certificate (for NODE_EXTRA_CA_CERTS). */
  ca: string;
  domains: string[];
  education?: boolean;
  /** The child's stderr: inherited (seen in the test's output) unless a test reads it. */
  stderr?: 'inherit' | 'pipe';
}

/** Starts the emulator and resolves with its https://127.0.0.1:PORT address once it listens; rejects if it exits first. */
export async function startEmulatorProcess(o: EmulatorProcessOptions): Promise<{ child: ChildProcess; url: string }> {
  const args = [bin, 'emulator', '--state', o.state, '--ca-out', o.ca, ...(o.education ? ['--education'] : []), ...o.domains.flatMap((d) => ['--domain', d])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', o.stderr ?? 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => { const m = /https:\/\/127\.0\.0\.1:\d+/.exec(chunk); if (m) resolve(m[0]); });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, url };
}
