// Account ids → their numbers, for the 860,000 tenant memberships of a trust. A Map of 100,000 id strings misses
// the processor's caches three or four times a lookup (its bucket, its entry, then the key string to compare,
// somewhere in a heap of hundreds of megabytes); this table keeps the numbers in one Int32Array and the ids
// end to end in one string, so a lookup reads the id it is given, a table entry and one run of that string.

/** A 32-bit hash of a string, two characters a step in two lanes (a Graph id is a 36-character GUID). */
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
  let h = a ^ ((b << 7) | (b >>> 25));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

// An entry is three numbers side by side, so that one read of the table finds them: the position + 1 (0: empty),
// where the id starts in the text, and its length. A lookup then reads the table once and the text once.
const STRIDE = 3;

/** Strings → their position in the list the index was made from (the first, for a string listed twice). */
export class IdIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  /** The ids end to end. */
  private readonly text: string;
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
    this.text = ids.join('');
    this.first = new Int32Array(ids.length);
    let from = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      let h = hashOf(id) & this.mask;
      let at = i;
      for (; this.table[STRIDE * h] !== 0; h = (h + 1) & this.mask) {
        if (this.is(STRIDE * h, id)) { at = this.table[STRIDE * h] - 1; break; }
      }
      if (at === i) {
        this.table[STRIDE * h] = i + 1;
        this.table[STRIDE * h + 1] = from;
        this.table[STRIDE * h + 2] = id.length;
      }
      this.first[i] = at;
      from += id.length;
    }
  }

  /** The id's position, or -1. */
  get(id: string): number {
    const { table, mask } = this;
    for (let h = hashOf(id) & mask; ; h = (h + 1) & mask) {
      const e = table[STRIDE * h];
      if (e === 0) return -1;
      if (this.is(STRIDE * h, id)) return e - 1;
    }
  }

  /**
   * Whether the table's entry at `at` is `id`: compared a code unit at a time, which for ids of a few dozen
   * characters costs a third of what `startsWith` at an offset of a long string does.
   */
  private is(at: number, id: string): boolean {
    const n = id.length;
    if (this.table[at + 2] !== n) return false;
    const { text } = this;
    const from = this.table[at + 1];
    for (let k = 0; k < n; k++) if (text.charCodeAt(from + k) !== id.charCodeAt(k)) return false;
    return true;
  }
}
