// Strings that nearly always end in a plain number, found by that number: accounts by their stored anchor
// (`bt:s1001`) when matching a trust's 100,000 people, and people by id (`student:1001`) for the membership planners'
// account slots. A Map of 100,000 such strings misses the processor's caches several times a lookup (its bucket, its
// entry, the key to compare, somewhere in a heap of hundreds of megabytes). The numbers are MIS ids, dense: a key is
// found in an array by its number, one array per head (`bt:s`, `bt:t`; `student:`, `staff:`). Any other key goes to
// a Map, and the index answers as a Map of the keys would.

/** Heads given an array at most: a school has two (students, staff); a trust's accounts may carry a few more. */
const MAX_HEADS = 4;
/** Digits of a number an array holds (no sign, no leading zero), so that it is an index. */
const MAX_DIGITS = 9;

/** Where an anchor's trailing number starts, when it is a plain number of at most MAX_DIGITS digits; else -1. */
function numberStart(anchor: string): number {
  let i = anchor.length;
  while (i > 0) {
    const c = anchor.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    i--;
  }
  const digits = anchor.length - i;
  if (digits === 0 || digits > MAX_DIGITS || i === 0) return -1;
  // "0" is plain; "007" is not (it is another anchor than "7").
  if (digits > 1 && anchor.charCodeAt(i) === 48) return -1;
  return i;
}

function numberAt(anchor: string, from: number): number {
  let v = 0;
  for (let i = from; i < anchor.length; i++) v = v * 10 + (anchor.charCodeAt(i) - 48);
  return v;
}

/** Keys → their position in the list: the last one listed, as Map.set would leave it. */
export class KeyIndex {
  private readonly heads: string[] = [];
  /** Per head, position + 1 by number (0: none). */
  private readonly tables: Int32Array[] = [];
  private readonly rest = new Map<string, number>();
  /** The number route() found (a field, so that a lookup makes no pair). */
  private num = 0;

  /** `anchors[i]`: the key at position i (an account's anchor, a person's id), or undefined (none, or not to be found). */
  constructor(anchors: readonly (string | undefined)[]) {
    // Each key read once: by position, its head (its place among the heads seen, -1 for a key with no plain number)
    // and its number; the second pass files them without reading a key again.
    const n = anchors.length;
    const headAt = new Int32Array(n).fill(-1);
    const numAt = new Int32Array(n);
    // Per head seen: how many keys, and the largest number; an array only where the numbers are dense.
    const seen: { head: string; n: number; max: number }[] = [];
    const seenAt = new Map<string, number>();
    let last = -1;
    for (let i = 0; i < n; i++) {
      const a = anchors[i];
      if (a === undefined) continue;
      const at = numberStart(a);
      if (at < 0) continue;
      // Consecutive anchors mostly share their head: compared with the last one before a lookup.
      if (last < 0 || at !== seen[last].head.length || !a.startsWith(seen[last].head)) {
        const head = a.slice(0, at);
        let k = seenAt.get(head);
        if (k === undefined) { seenAt.set(head, (k = seen.length)); seen.push({ head, n: 0, max: 0 }); }
        last = k;
      }
      const h = seen[last];
      h.n++;
      const v = numberAt(a, at);
      if (v > h.max) h.max = v;
      headAt[i] = last;
      numAt[i] = v;
    }
    // The table of each head seen, or -1: the heads with the most keys first, as many as MAX_HEADS.
    const tableOf = new Int32Array(seen.length).fill(-1);
    for (const k of seen.map((_, k) => k).sort((a, b) => seen[b].n - seen[a].n)) {
      if (this.heads.length === MAX_HEADS) break;
      const { head, n: count, max } = seen[k];
      if (max > 4 * count + 4096) continue;
      tableOf[k] = this.heads.length;
      this.heads.push(head);
      this.tables.push(new Int32Array(max + 1));
    }
    for (let i = 0; i < n; i++) {
      const a = anchors[i];
      if (a === undefined) continue;
      const k = headAt[i] < 0 ? -1 : tableOf[headAt[i]];
      if (k < 0) this.rest.set(a, i);
      else this.tables[k][numAt[i]] = i + 1;
    }
  }

  /** The position of the account holding `anchor`, or undefined. */
  get(anchor: string): number | undefined {
    const k = this.route(anchor);
    if (k < 0) return this.rest.get(anchor);
    const table = this.tables[k];
    const at = this.num < table.length ? table[this.num] : 0;
    return at ? at - 1 : undefined;
  }

  /** The array an anchor is in (its number there in `num`), or -1 for the Map. An anchor always goes the same way. */
  private route(anchor: string): number {
    const at = numberStart(anchor);
    if (at >= 0) {
      for (let k = 0; k < this.heads.length; k++) {
        const h = this.heads[k];
        if (h.length === at && anchor.startsWith(h)) {
          this.num = numberAt(anchor, at);
          return k;
        }
      }
    }
    return -1;
  }
}
