// Account ids → their numbers, for the 860,000 tenant memberships of a trust. A Map of 100,000 id strings misses
// the processor's caches three or four times a lookup (its bucket, its entry, then the key string to compare,
// somewhere in a heap of hundreds of megabytes). This table keeps a Graph object id (a lower-case GUID: 32 hex
// digits, 128 bits) in its entry, so that a lookup reads the id it is given and one entry of the table. Any other
// id (a test's, the local tenant's short ones) is kept in one string of such ids end to end, and a lookup reads
// that too: for short ids that string is small and stays in the caches.

/** A 32-bit hash of a string, two characters a step in two lanes: for ids that do not pack. */
function hashOf(s: string): number {
  let a = s.length;
  let b = 0x2545f491;
  const n = s.length - 3;
  let i = 0;
  for (; i < n; i += 4) {
    a = Math.imul(a ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x9e3779b1);
    b = Math.imul(b ^ (s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16)), 0x85ebca6b);
  }
  for (; i < s.length; i++) a = Math.imul(a ^ s.charCodeAt(i), 0x9e3779b1);
  return finish(a ^ ((b << 7) | (b >>> 25)));
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** A hex digit's value, lower case only (so that packing stays one to one: `A` and `a` are different ids); else -1. */
function hexValue(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

/**
 * `s` packed into `w` (four 32-bit words) when it is a lower-case GUID (36 characters, hyphens at 8, 13, 18 and
 * 23): its 32 hex digits. Equal words are then the same id.
 */
function pack(s: string, w: Int32Array): boolean {
  if (s.length !== 36) return false;
  let word = 0;
  let k = 0;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
      continue;
    }
    const v = hexValue(c);
    if (v < 0) return false;
    word = (word << 4) | v;
    // Eight digits a word: after the 8th, 16th, 24th and 32nd digit.
    if ((k & 7) === 7) w[k >> 3] = word;
    k++;
  }
  return true;
}

/** The hash of a packed id: its words and length. */
function packedHash(w: Int32Array, n: number): number {
  return finish(Math.imul(w[0] ^ n, 0x9e3779b1) ^ Math.imul(w[1], 0x85ebca6b) ^ Math.imul(w[2], 0xc2b2ae35) ^ Math.imul(w[3], 0x27d4eb2f));
}

// An entry is eight numbers side by side (32 bytes, two to a cache line): the position + 1 (0: empty), the id's
// length, where it starts in the text (-1: packed), its hash, then the four words of a packed id.
const STRIDE = 8;
const POS = 0, LEN = 1, FROM = 2, HASH = 3, WORDS = 4;

/** Strings → their position in the list the index was made from (the first, for a string listed twice). */
export class IdIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  /** The ids that do not pack, end to end. */
  private readonly text: string;
  /** Scratch: the words of the id at hand. */
  private readonly w = new Int32Array(4);
  /**
   * By position in the list: the position `get` gives for the id there (its own, or its first listing's). A caller
   * that holds an id's position reads it here instead of looking the id up again.
   */
  readonly first: Int32Array;

  constructor(ids: readonly string[]) {
    let size = 1024;
    while (size < ids.length * 2) size *= 2;
    this.table = new Int32Array(size * STRIDE);
    this.mask = size - 1;
    this.first = new Int32Array(ids.length);
    const { table, mask, w } = this;
    // The ids that do not pack, end to end; while the index is made, a repeat of one is compared with the list.
    const unpacked: string[] = [];
    let from = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const n = id.length;
      const packed = pack(id, w);
      const hash = packed ? packedHash(w, n) : hashOf(id);
      let h = hash & mask;
      let at = i;
      for (; table[STRIDE * h + POS] !== 0; h = (h + 1) & mask) {
        const e = STRIDE * h;
        if (table[e + HASH] !== hash || table[e + LEN] !== n) continue;
        const same = packed
          ? table[e + FROM] === -1 && table[e + WORDS] === w[0] && table[e + WORDS + 1] === w[1] && table[e + WORDS + 2] === w[2] && table[e + WORDS + 3] === w[3]
          : table[e + FROM] >= 0 && ids[table[e + POS] - 1] === id;
        if (same) { at = table[e + POS] - 1; break; }
      }
      this.first[i] = at;
      if (at !== i) continue;
      const e = STRIDE * h;
      table[e + POS] = i + 1;
      table[e + LEN] = n;
      table[e + HASH] = hash;
      if (packed) {
        table[e + FROM] = -1;
        table[e + WORDS] = w[0];
        table[e + WORDS + 1] = w[1];
        table[e + WORDS + 2] = w[2];
        table[e + WORDS + 3] = w[3];
      } else {
        table[e + FROM] = from;
        unpacked.push(id);
        from += n;
      }
    }
    this.text = unpacked.join('');
  }

  /** The id's position, or -1. */
  get(id: string): number {
    const at = this.find(id);
    return at < 0 ? -1 : this.table[at + POS] - 1;
  }

  /** The entry (its index in the table) holding `id`, or -1. */
  private find(id: string): number {
    const { table, mask, w } = this;
    const n = id.length;
    const packed = pack(id, w);
    const hash = packed ? packedHash(w, n) : hashOf(id);
    const w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
    for (let h = hash & mask; ; h = (h + 1) & mask) {
      const e = STRIDE * h;
      if (table[e + POS] === 0) return -1;
      if (table[e + HASH] !== hash || table[e + LEN] !== n) continue;
      const from = table[e + FROM];
      if (packed) {
        if (from === -1 && table[e + WORDS] === w0 && table[e + WORDS + 1] === w1 && table[e + WORDS + 2] === w2 && table[e + WORDS + 3] === w3) return e;
      } else if (from >= 0 && this.textIs(from, id)) return e;
    }
  }

  /** Whether the text from `from` is `id`, compared a code unit at a time (a third of `startsWith` at an offset). */
  private textIs(from: number, id: string): boolean {
    const { text } = this;
    for (let k = 0; k < id.length; k++) if (text.charCodeAt(from + k) !== id.charCodeAt(k)) return false;
    return true;
  }
}
