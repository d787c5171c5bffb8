import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { decryptPasswords, encryptPasswords, generatePassword, passwordsCsv, unknowablePassword } from './passwords.js';

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
    const sealed = await encryptPasswords([{ misId: 'student:1042', name: 'Ava Edwards', yearGroup: '7', registrationGroup: '7A', userPrincipalName: 'a@t.example', password: 'Secret-Word-42' }], recipient);
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('Secret-Word-42');
    const d = new Decrypter();
    d.addIdentity(identity);
    const csv = 'misId,name,yearGroup,registrationGroup,userPrincipalName,password\nstudent:1042,Ava Edwards,7,7A,a@t.example,Secret-Word-42\n';
    expect(await d.decrypt(sealed, 'text')).toBe(csv);
    expect(await decryptPasswords(sealed, [identity])).toBe(csv);
  });

  it('never starts a password with what a spreadsheet takes for a formula, so the file shows it as it is typed', () => {
    for (let i = 0; i < 3000; i++) {
      const p = generatePassword({ length: 8 });
      expect(p).not.toMatch(/^[=+\-@]/);
      expect(p).not.toContain('#');
    }
  });

  it('writes a name from the MIS that holds a formula as text', () => {
    const csv = passwordsCsv([{ misId: 'student:1', name: '=HYPERLINK("http://x.example","Ava")', userPrincipalName: 'a@t.example', password: 'Pw-1' }]);
    expect(csv.split('\n')[1]).toBe('student:1,"\'=HYPERLINK(""http://x.example"",""Ava"")",,,a@t.example,Pw-1');
  });
});
