// Where a delta state's bytes live: a file written atomically (a crash leaves the old file or the new one, never
// half of one), optionally sealed with AES-256-GCM for places others may read (the Action's cache).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeAtomic } from '../write-atomic.js';

export interface StateStore {
  /** Where, for messages (a path, never a secret). */
  readonly where: string;
  /** The bytes last saved, or undefined when there are none. Throws StateUnreadable when they cannot be opened. */
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
}

/** A stored state that cannot be opened (wrong key, tampered, not sealed): the run reads in full instead. */
export class StateUnreadable extends Error {}

export function fileStore(path: string): StateStore {
  return {
    where: path,
    async load() {
      try {
        return await readFile(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    // Personal data: written atomically, readable by the owner only.
    save: (bytes) => writeAtomic(path, bytes),
  };
}

const MAGIC = Buffer.from('rollcall-sealed-state/1\n');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A 256-bit key from a secret the caller holds (the Action's `state-key`), for this purpose only: the same secret
 * used elsewhere (an HMAC) gives an unrelated key here.
 */
export function stateKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('rollcall'), Buffer.from('delta-state v1'), 32));
}

/**
 * `inner` sealed with AES-256-GCM under `key`; `context` (tenant and config) is authenticated with it, so an entry
 * sealed for another tenant or config, or by anyone without the key, fails to open instead of being read.
 */
export function sealedStore(inner: StateStore, key: Buffer, context: string): StateStore {
  if (key.length !== 32) throw new Error('a sealed state needs a 256-bit key');
  const aad = Buffer.from(context, 'utf8');
  return {
    where: inner.where,
    async load() {
      const bytes = await inner.load();
      if (bytes === undefined) return undefined;
      const buf = Buffer.from(bytes);
      if (buf.length < MAGIC.length + IV_BYTES + TAG_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new StateUnreadable('it is not sealed by rollcall');
      const iv = buf.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
      const tag = buf.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(buf.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        throw new StateUnreadable('it does not open with this key for this tenant and configuration (tampered, or sealed by someone else)');
      }
    },
    async save(bytes) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(bytes), cipher.final()]);
      await inner.save(Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]));
    },
  };
}
