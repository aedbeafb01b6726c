/**
 * The form in which an import hands rows to its stage (store/recipients.ts, StagingList.write): four values a
 * row (address as written, key, name or "", fields JSON) as UTF-8 bytes, each followed by a NUL, and where each
 * value ends. The row builder packs them (in the import worker) so that they cross threads as one transferred
 * buffer, and the stage binds slices of it: binding bytes costs SQLite a copy, where binding a JavaScript string
 * costs a UTF-8 conversion too. Free of the database, so that the
 * import worker packs rows without loading SQLite.
 */

export interface PackedRows {
  text: Uint8Array;
  /** The offset of the NUL after each value (4 a row). */
  ends: Int32Array;
}

/** Packs values (4 a row; none may hold a NUL) for `StagingList.write`. */
export function packRows(values: ReadonlyArray<string>): PackedRows {
  const packer = new RowPacker();
  for (const v of values) {
    packer.text(v);
    packer.end();
  }
  return packer.take();
}

/**
 * Packs rows as they come, value by value, straight into one growing buffer: the row builder writes the pieces of
 * a row (an address, a JSON key, a cell) where they go, rather than joining them into strings that are then
 * flattened and converted (less time a row, and far less garbage). `take` hands the
 * rows over.
 */
export class RowPacker {
  private buf = Buffer.allocUnsafeSlow(1 << 16);
  private ends = new Int32Array(1 << 12);
  private at = 0;
  private n = 0;

  /** Appends `s` as UTF-8 to the value being written. */
  text(s: string): void {
    const len = s.length;
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    if (this.at + len * 3 >= this.buf.length) this.grow(len * 3 + 1);
    const buf = this.buf;
    let at = this.at;
    // ASCII byte by byte (nearly every cell of most lists); the rest by Node's encoder, from the first non-ASCII
    // character on (lone surrogates become U+FFFD, as everywhere else).
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        at += buf.write(i === 0 ? s : s.slice(i), at, 'utf8');
        break;
      }
      buf[at++] = c;
    }
    this.at = at;
  }

  /** Appends bytes (already UTF-8) to the value being written. */
  bytes(b: Uint8Array): void {
    if (this.at + b.length >= this.buf.length) this.grow(b.length + 1);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
    this.at = at;
  }

  /** Appends one ASCII character (by its code) to the value being written. */
  ascii(code: number): void {
    if (this.at >= this.buf.length - 1) this.grow(2);
    this.buf[this.at++] = code;
  }

  /** Ends the value being written (the next text starts the next value). */
  end(): void {
    if (this.at >= this.buf.length) this.grow(1);
    if (this.n === this.ends.length) {
      const more = new Int32Array(this.ends.length * 2);
      more.set(this.ends);
      this.ends = more;
    }
    this.ends[this.n++] = this.at;
    this.buf[this.at++] = 0;
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.at + need, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  /** The rows added since the last `take`, in memory of their own (so they can be handed to another thread). */
  take(): PackedRows {
    const rows = { text: new Uint8Array(this.buf.subarray(0, this.at)), ends: this.ends.slice(0, this.n) };
    this.at = 0;
    this.n = 0;
    return rows;
  }
}

function startOf(rows: PackedRows, k: number): number {
  return k === 0 ? 0 : rows.ends[k - 1]! + 1;
}

/** Value `k` of packed rows as a string (for messages about a row; the stage binds the bytes themselves). */
export function packedValue(rows: PackedRows, k: number): string {
  const start = startOf(rows, k);
  return Buffer.from(rows.text.buffer, rows.text.byteOffset + start, rows.ends[k]! - start).toString('utf8');
}

/** Do value `j` of `a` and value `k` of `b` hold the same bytes? */
export function samePackedValue(a: PackedRows, j: number, b: PackedRows, k: number): boolean {
  const aStart = startOf(a, j);
  const bStart = startOf(b, k);
  const len = a.ends[j]! - aStart;
  if (len !== b.ends[k]! - bStart) return false;
  return Buffer.compare(a.text.subarray(aStart, aStart + len), b.text.subarray(bStart, bStart + len)) === 0;
}
