/**
 * The form in which an import hands rows to its stage (store/recipients.ts, StagingList.write): four values a
 * row (address as written, key, name or "", fields JSON) as UTF-8 bytes, each followed by a NUL, and where each
 * value ends. The row builder packs them (in the import worker) so that they cross threads as one transferred
 * buffer, and the stage binds slices of it: binding bytes costs SQLite a copy, where binding a JavaScript string
 * costs a UTF-8 conversion too (measured: about a quarter less time per row). Free of the database, so that the
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
  if (values.length) packer.addJoined(`${values.join('\0')}\0`);
  return packer.take();
}

/**
 * Packs rows as they come: each row's values are written as UTF-8 into one growing buffer (a native write a row,
 * rather than one huge string to flatten and convert at the end), and `take` hands them over.
 */
export class RowPacker {
  private buf = Buffer.allocUnsafeSlow(1 << 16);
  private ends = new Int32Array(1 << 12);
  private at = 0;
  private n = 0;

  /** Adds a row (none of the values may hold a NUL). */
  add(email: string, key: string, name: string, fields: string): void {
    this.addJoined(`${email}\0${key}\0${name}\0${fields}\0`);
  }

  /** Adds values already joined, each followed by a NUL. */
  addJoined(joined: string): void {
    const need = this.at + joined.length * 3;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    const start = this.at;
    this.at += this.buf.write(joined, start, 'utf8');
    for (let p = this.buf.indexOf(0, start); p !== -1 && p < this.at; p = this.buf.indexOf(0, p + 1)) {
      if (this.n === this.ends.length) {
        const more = new Int32Array(this.ends.length * 2);
        more.set(this.ends);
        this.ends = more;
      }
      this.ends[this.n++] = p;
    }
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
