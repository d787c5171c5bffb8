import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { encryptPasswords, generatePassword, unknowablePassword } from './passwords.js';

/** Entra's rule: at least 8 characters and three of the four classes. */
const complex = (p: string) => p.length >= 8 && [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length >= 3;

describe('first passwords', () => {
  it('makes memorable ones from words, meeting the complexity rule even without digits', () => {
    const p = generatePassword({ words: 2, digits: 2 });
    expect(p).toMatch(/^[A-Z][a-z]+-[A-Z][a-z]+-\d\d$/);
    expect(complex(p)).toBe(true);
    expect(complex(generatePassword({ words: 3, digits: 0 }))).toBe(true);
  });

  it('makes random ones of the asked length with every class, and never the same twice', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword({ length: 16 })));
    expect(seen.size).toBe(200);
    for (const p of seen) { expect(p).toHaveLength(16); expect(complex(p)).toBe(true); }
    expect(unknowablePassword()).toHaveLength(40);
  });

  it('encrypts them to the school\'s age key so only its identity can read them', async () => {
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const sealed = await encryptPasswords([{ userPrincipalName: 'a@t.example', password: 'Secret-Word-42' }], recipient);
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('Secret-Word-42');
    const d = new Decrypter();
    d.addIdentity(identity);
    expect(await d.decrypt(sealed, 'text')).toBe('userPrincipalName,password\na@t.example,Secret-Word-42\n');
  });
});
