// users.passwords.recipient decides who can read every first password rollcall hands out, so a key that is not the
// school's own is refused at load, not discovered when nobody can open the file.
import { Encrypter } from 'age-encryption';

/**
 * Public keys printed in documentation. Their identities are not the school's: a school that copies an example
 * unchanged would encrypt its pupils' passwords to someone else.
 */
const PUBLISHED: Record<string, string> = {
  age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p: "the example key from age's README and rollcall's design example",
};

/** Why a recipient string cannot be used, or undefined when it is a real age public key of someone's own. */
export function recipientProblem(recipient: string): string | undefined {
  const published = PUBLISHED[recipient.toLowerCase()];
  if (published) return `${recipient.slice(0, 12)}… is ${published}, not your school's: make your own with age-keygen -o key.txt (keep key.txt safe, outside git) and put the public key it prints here`;
  try {
    // The age library's own parser: the bech32 checksum catches a mistyped or truncated key.
    new Encrypter().addRecipient(recipient);
  } catch {
    return `${recipient.slice(0, 12)}… is not an age public key (its checksum does not match: mistyped or cut short?); age-keygen prints one as "Public key: age1…"`;
  }
  return undefined;
}
