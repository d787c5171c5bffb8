import type { Hash } from 'node:crypto';

/** Text handed to the hash at once: one update per record cost a trust's digest more than the records' JSON. */
const CHUNK = 1 << 16;

/**
 * UTF-8 bytes into a hash through one reused buffer, handed over about 64 KB at a time: the same hash as of the
 * text written, without a string made for each record or the hash's own flatten-and-encode of each piece (the
 * roster digest writes 60 MB of JSON for a trust; the plan checksum, a million changes at apply time). Strings are encoded here, in JavaScript: most values are short
 * and ASCII, where a call into Buffer's encoder per value would cost more than the bytes.
 */
export class HashBytes {
  private buf = Buffer.allocUnsafe(2 * CHUNK);
  private at = 0;
  constructor(private readonly hash: Hash) {}

  /** Room for n more bytes, the full piece handed over first; a value longer than the buffer gets a larger one. */
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  private flush(): void {
    if (this.at) this.hash.update(this.buf.subarray(0, this.at));
    this.at = 0;
  }

  /** Hands the piece over once it holds CHUNK bytes: called between records, so a record is never split for nothing. */
  mark(): void {
    if (this.at >= CHUNK) this.flush();
  }

  /** One ASCII character. */
  byte(c: number): void {
    this.room(1);
    this.buf[this.at++] = c;
  }

  /**
   * Bytes encoded once (a key, a shared part of a line), copied by the typed array's own set: measured faster than
   * a loop of byte stores even for a key's 8 to 30 bytes (the digest copies 2.5 million of them for a trust).
   */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  /**
   * Any text, as UTF-8 (lone surrogates as U+FFFD, as hash.update(text) encodes them). Each call's text is encoded
   * on its own: a surrogate pair must not be split between two calls (JSON text, whole values, never is).
   */
  text(s: string): void {
    if (s.length > CHUNK) { this.flush(); this.hash.update(s); return; }
    this.room(3 * s.length);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /**
   * A string as JSON.stringify writes it, in UTF-8. Written byte by byte; the rare string JSON escapes (a quote, a
   * backslash, a control character, a lone surrogate) is written as JSON.stringify gives it.
   */
  jsonString(s: string): void {
    const n = s.length;
    // At most 3 bytes per UTF-16 unit (a pair's 4 bytes are 2 units), and the quotes.
    this.room(3 * n + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x22 || c === 0x5c) { this.text(JSON.stringify(s)); return; }
        buf[at++] = c;
      } else if (c < 0x800) {
        buf[at++] = 0xc0 | (c >> 6);
        buf[at++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[at++] = 0xe0 | (c >> 12);
        buf[at++] = 0x80 | ((c >> 6) & 0x3f);
        buf[at++] = 0x80 | (c & 0x3f);
      } else {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) { this.text(JSON.stringify(s)); return; }
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[at++] = 0xf0 | (cp >> 18);
        buf[at++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[at++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[at++] = 0x80 | (cp & 0x3f);
        i++;
      }
    }
    buf[at++] = 0x22;
    this.at = at;
  }

  /** Hands over what is left; call before digest(). */
  end(): void { this.flush(); }
}
