// `rollcall emulator --state FILE [--port N] [--domain D]… [--education|--no-education] [--check-tokens] [--time-scale N]
//  [--replication-delay-ms N] [--faults SEED:RATE[:kind,kind…]] [--permission P]… [--ca-out FILE]`
// Runs the Graph emulator until SIGINT/SIGTERM, then saves its state. Prints one line with its URL on stdout.
import { startEmulator, type EmulatorOptions, type FaultKind } from '../tenant/emulator/index.js';
import { KNOWN_PERMISSIONS } from '../tenant/permissions.js';

export interface EmulatorArgs {
  statePath: string;
  port: number;
  domains: string[];
  /** undefined: the state file's choice, or not an Education tenant for a new state. */
  education?: boolean;
  checkTokens: boolean;
  timeScale?: number;
  replicationDelayMs?: number;
  faults?: { seed: number; rate: number; kinds?: FaultKind[] };
  caOut?: string;
  /** Application permissions its tokens grant (tenant.local.permissions); default: everything rollcall needs. */
  permissions?: string[];
}

const FAULT_KINDS: FaultKind[] = ['429', '429-no-retry-after', '503', 'reset', 'timeout'];

const USAGE =
  'usage: rollcall emulator --state FILE [--port N] [--domain D]... [--education|--no-education] [--check-tokens] [--time-scale N]\n' +
  '                         [--replication-delay-ms N] [--faults SEED:RATE[:429,429-no-retry-after,503,reset,timeout]] [--permission P]... [--ca-out FILE]';

export function parseEmulatorArgs(argv: string[]): EmulatorArgs {
  const out: Partial<EmulatorArgs> & { domains: string[] } = { domains: [], checkTokens: false, port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--state':
        out.statePath = value();
        break;
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`--port must be a number 0-65535, not '${v}'`);
        out.port = Number(v);
        break;
      }
      case '--domain':
        out.domains.push(value());
        break;
      case '--education':
        out.education = true;
        break;
      case '--no-education':
        out.education = false;
        break;
      case '--check-tokens':
        out.checkTokens = true;
        break;
      case '--time-scale': {
        const v = Number(value());
        if (!(v > 0)) throw new Error('--time-scale must be a positive number');
        out.timeScale = v;
        break;
      }
      case '--replication-delay-ms': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new Error(`--replication-delay-ms must be a whole number of milliseconds, not '${v}'`);
        out.replicationDelayMs = Number(v);
        break;
      }
      case '--faults': {
        const v = value();
        const m = /^(\d+):(0(?:\.\d+)?|1(?:\.0+)?)(?::([\w,-]+))?$/.exec(v);
        if (!m) throw new Error(`--faults must be SEED:RATE[:kinds] with RATE between 0 and 1, not '${v}'`);
        const kinds = m[3]?.split(',') as FaultKind[] | undefined;
        const bad = kinds?.find((k) => !FAULT_KINDS.includes(k));
        if (bad) throw new Error(`--faults: unknown kind '${bad}' (known: ${FAULT_KINDS.join(', ')})`);
        out.faults = { seed: Number(m[1]), rate: Number(m[2]), ...(kinds ? { kinds } : {}) };
        break;
      }
      case '--permission': {
        const v = value();
        if (!KNOWN_PERMISSIONS.has(v)) throw new Error(`--permission: '${v}' is not a Microsoft Graph application permission the emulator knows (see tenant.local.permissions in the schema)`);
        (out.permissions ??= []).push(v);
        break;
      }
      case '--ca-out':
        out.caOut = value();
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (!out.statePath) throw new Error('--state FILE is required');
  return out as EmulatorArgs;
}

export async function emulatorCommand(argv: string[]): Promise<number> {
  let args: EmulatorArgs;
  try {
    args = parseEmulatorArgs(argv);
  } catch (e) {
    console.error(`rollcall emulator: ${(e as Error).message}\n${USAGE}`);
    return 1;
  }
  const opts: EmulatorOptions = {
    statePath: args.statePath,
    port: args.port,
    domains: args.domains.length ? args.domains : undefined,
    education: args.education,
    checkTokens: args.checkTokens,
    throttle: args.timeScale ? { timeScale: args.timeScale } : false,
    ...(args.replicationDelayMs !== undefined ? { replicationDelayMs: args.replicationDelayMs } : {}),
    ...(args.faults ? { faults: args.faults } : {}),
    ...(args.permissions ? { permissions: args.permissions } : {}),
  };
  let emu;
  try {
    emu = await startEmulator(opts);
  } catch (e) {
    console.error(`rollcall emulator: ${(e as Error).message}`);
    return 1;
  }
  if (args.caOut) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(args.caOut, emu.ca);
  }
  console.log(`rollcall emulator listening on ${emu.url}`);
  const running = emu;
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.stop().then(
        () => {
          console.error(`rollcall emulator: ${signal}, state saved to ${args.statePath}`);
          resolve(0);
        },
        (e) => {
          console.error(`rollcall emulator: could not save state: ${(e as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
