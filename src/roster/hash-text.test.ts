// The digest's byte writer is held to Node's own: the bytes hashed must be exactly JSON.stringify's text, as UTF-8.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashBytes } from './hash-text.js';

const TEXTS = [
  '', 'a', ',"role":"member"}\n{"group":"group:455","person":"', 'Zoë Ní Bhriain', 'Ŵ€', '😀', 'a😀b', 'x\ud800y', '\udc00', 'end\ud83d',
  '\u07ff\u0800\uffff', 'q"uote\\back\u0001', 'Ŵ😀a'.repeat(30000),
];

describe('HashBytes', () => {
  it('jsonString gives JSON.stringify\'s text, escaped or not, long or short', () => {
    const hash = createHash('sha256');
    const out = new HashBytes(hash);
    let text = '';
    for (const t of TEXTS) {
      out.jsonString(t);
      out.bytes(Buffer.from(',"name":'));
      out.jsonString(t);
      out.mark();
      text += `${JSON.stringify(t)},"name":${JSON.stringify(t)}`;
    }
    out.end();
    expect(hash.digest('hex')).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
