/**
 * The addresses an import has seen so far, to find duplicates inside a file: an open-addressing hash table of
 * 64-bit hashes in typed arrays (12 bytes a slot, about 24 MB for a million rows, outside the JS heap), each
 * pointing at the data row that first had the address. A hash match is confirmed by the caller (that row's key,
 * or the key being in the stage), so a hash collision can never mark a row as a duplicate by mistake; at worst
 * (two different addresses with the same 64-bit hash, odds about 1 in 10^7 for a million rows) a duplicate's
 * message could name the wrong earlier row.
 */

/**
 * Two independent 32-bit hashes of a string (cyrb53's mixing, split in halves). The row builder computes them
 * (in the import worker, beside the parsing), so the thread that writes only probes the table.
 */
export function hashKey(s: string): [number, number];
/** …or writes them to `out[at]` and `out[at + 1]` (sparing an array a row). */
export function hashKey(s: string, out: Int32Array, at: number): void;
export function hashKey(s: string, out?: Int32Array, at = 0): [number, number] | void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  if (!out) return [h1 | 0, h2 | 0];
  out[at] = h1;
  out[at + 1] = h2;
}

export class KeySet {
  private h1: Int32Array;
  private h2: Int32Array;
  /** Data row number + 1; 0 marks an empty slot. */
  private rows: Int32Array;
  private size = 0;

  /** `expected`: about how many keys will come (sized for them at once, rather than growing step by step). */
  constructor(expected = 0) {
    let slots = 1 << 16;
    while (slots < expected * 2 && slots < 1 << 26) slots *= 2;
    this.h1 = new Int32Array(slots);
    this.h2 = new Int32Array(slots);
    this.rows = new Int32Array(slots);
  }

  /**
   * Adds the key whose hashes (`hashKey`) are `a` and `b` for `row`, unless an earlier row had it: then returns
   * that row. `sameKey(earlier)` confirms a hash match (does that earlier row really have the key?).
   */
  addOrFind(a: number, b: number, row: number, sameKey: (earlier: number) => boolean): number | undefined {
    if ((this.size + 1) * 2 > this.rows.length) this.grow();
    const mask = this.rows.length - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const r = this.rows[i]!;
      if (r === 0) {
        this.h1[i] = a;
        this.h2[i] = b;
        this.rows[i] = row + 1;
        this.size++;
        return undefined;
      }
      if (this.h1[i] === a && this.h2[i] === b && sameKey(r - 1)) return r - 1;
      i = (i + 1) & mask;
    }
  }

  /** The row that first had `key` (by hash), if any. */
  rowOf(key: string): number | undefined {
    const [a, b] = hashKey(key);
    const mask = this.rows.length - 1;
    for (let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask; this.rows[i] !== 0; i = (i + 1) & mask) {
      if (this.h1[i] === a && this.h2[i] === b) return this.rows[i]! - 1;
    }
    return undefined;
  }

  private grow(): void {
    const { h1, h2, rows } = this;
    const n = rows.length * 2;
    this.h1 = new Int32Array(n);
    this.h2 = new Int32Array(n);
    this.rows = new Int32Array(n);
    const mask = n - 1;
    for (let j = 0; j < rows.length; j++) {
      if (rows[j] === 0) continue;
      let i = (h1[j]! ^ Math.imul(h2[j]!, 0x9e3779b1)) & mask;
      while (this.rows[i] !== 0) i = (i + 1) & mask;
      this.h1[i] = h1[j]!;
      this.h2[i] = h2[j]!;
      this.rows[i] = rows[j]!;
    }
  }
}
