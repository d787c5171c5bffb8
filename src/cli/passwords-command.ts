import { readFile, writeFile } from 'node:fs/promises';
import { decryptPasswords } from '../apply/passwords.js';
import { RollcallError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { COMMAND_HELP } from './help.js';

/** Where a CI job (or a script) can hand over the identity instead of a file: the identity file's contents. */
export const IDENTITY_ENV = 'ROLLCALL_AGE_IDENTITY';

const USAGE = COMMAND_HELP.passwords;

const ownErr = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/** The identities in an age identity file: `AGE-SECRET-KEY-…` lines; `#` lines are comments (age-keygen writes them). */
export function identitiesIn(text: string, from: string): string[] {
  const keys = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const bad = keys.find((k) => !/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(k));
  if (bad !== undefined || !keys.length) throw new RollcallError(`${from} is not an age identity file (expected lines AGE-SECRET-KEY-1…, as age-keygen writes them)`);
  return keys;
}

/** `rollcall passwords open FILE --identity KEY-FILE [--out CSV]`: the first passwords, decrypted, for the slips. */
export async function passwordsCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // One parse of the whole line, so `passwords --bogus` is named like any other command's unknown option.
  const { values, positionals } = parseCommandArgs('passwords', argv, { identity: { type: 'string' }, out: { type: 'string' } }, 2);
  const [sub, file] = positionals;
  if (sub !== 'open') {
    process.stderr.write(sub === undefined ? USAGE : `rollcall passwords: unknown subcommand "${sub}"\n${USAGE}`);
    return EXIT.error;
  }
  if (file === undefined) throw new RollcallError(`passwords open takes one file\n${USAGE}`);
  if (values.identity?.startsWith('AGE-SECRET-KEY-')) {
    throw new RollcallError(`--identity takes the path of an identity file, not the key itself (a key on the command line stays in the shell's history); or set ${IDENTITY_ENV}`);
  }
  let identities: string[];
  if (values.identity !== undefined) {
    const text = await readFile(values.identity, 'utf8').catch((err) => { throw new RollcallError(`--identity: cannot read ${values.identity} (${ownErr(err)})`); });
    identities = identitiesIn(text, values.identity);
  } else if (env[IDENTITY_ENV]) {
    identities = identitiesIn(env[IDENTITY_ENV], IDENTITY_ENV);
  } else {
    throw new RollcallError(`passwords open needs the school's age identity: --identity KEY-FILE, or ${IDENTITY_ENV}\n${USAGE}`);
  }
  const sealed = await readFile(file).catch((err) => { throw new RollcallError(`cannot read ${file} (${ownErr(err)})`); });
  let csv: string;
  try {
    csv = await decryptPasswords(sealed, identities);
  } catch (err) {
    const message = (err as Error).message;
    if (/no identity matched/i.test(message)) throw new RollcallError(`${file} was not encrypted to ${values.identity ?? IDENTITY_ENV}: use the identity whose public key is users.passwords.recipient`);
    throw new RollcallError(`${file} is not a password file rollcall wrote (age: ${message})`);
  }
  if (values.out) {
    // Plaintext passwords: readable by the owner only, and never over an existing file.
    await writeFile(values.out, csv, { flag: 'wx', mode: 0o600 }).catch((err) => {
      throw new RollcallError(`--out: cannot write ${values.out} (${ownErr(err)}${(err as NodeJS.ErrnoException).code === 'EEXIST' ? ': it exists; rollcall does not overwrite it' : ''})`);
    });
    process.stderr.write(`rollcall: ${csv.split('\n').filter(Boolean).length - 1} password(s) written to ${values.out}; delete it once the slips are handed out\n`);
  } else {
    process.stdout.write(csv);
  }
  return EXIT.ok;
}
