import type { Hash } from 'node:crypto';

/** Text handed to the hash at once: one update per record cost a trust's digest more than the records' JSON. */
const CHUNK = 1 << 16;

/**
 * Text into a hash in pieces of about 64 KB, so a trust's roster or a million changes never become one huge
 * string; the hash is the same as of the whole text at once.
 */
export class HashText {
  private chunk = '';
  constructor(private readonly hash: Hash) {}
  add(text: string): void {
    this.chunk += text;
    if (this.chunk.length >= CHUNK) { this.hash.update(this.chunk); this.chunk = ''; }
  }
  /** Hands over what is left; call before digest(). */
  end(): void { this.hash.update(this.chunk); this.chunk = ''; }
}
