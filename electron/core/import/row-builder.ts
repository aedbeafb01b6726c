/**
 * Turns a file's records into recipients: the per-row work of an import that needs no database (address
 * check, name, merge-field JSON). It runs in the import worker thread, or on the calling thread when no worker
 * can be started; both give exactly the same result.
 */
import { parseAddress } from '../../../shared/email-address';
import { RowPacker, type PackedRows } from '../store/packed-rows';
import { isBlank, type ColumnPlan } from './headers';
import { hashKey } from './key-set';

/** Everything the builder needs to know about the columns (plain data: it crosses to the worker). */
export interface RowPlan {
  /** Index of the record that is data row 1. */
  dataBase: number;
  width: number;
  emailCol: number;
  /** `{"field":` / `,"field":` for each merge field except email, in column order. */
  keyPrefixes: string[];
  fieldIdx: number[];
  nameIdx: number | null;
  firstIdx: number | null;
  lastIdx: number | null;
}

export function makeRowPlan(plans: ColumnPlan[], emailCol: number, width: number, dataBase: number): RowPlan {
  const fieldPlans = plans.filter((p) => p.field !== null && p.field !== 'email');
  const idx = (f: string) => fieldPlans.find((p) => p.field === f)?.index ?? null;
  return {
    dataBase,
    width,
    emailCol,
    keyPrefixes: fieldPlans.map((p, i) => `${i === 0 ? '{' : ','}${JSON.stringify(p.field)}:`),
    fieldIdx: fieldPlans.map((p) => p.index),
    nameIdx: idx('name'),
    firstIdx: idx('first_name'),
    lastIdx: idx('last_name'),
  };
}

/** What a batch of records came to. Flat arrays: they cross threads and spare the garbage collector. */
export interface BuiltBatch {
  /** Data rows (not empty) in the batch. */
  rows: number;
  emptyLines: number;
  /** The first row with more non-empty cells than there are columns, if any. */
  raggedRow: number | null;
  invalid: Array<{ row: number; reason: string; cells?: string[] }>;
  /**
   * The valid rows, packed (address as written, key, name or "", fields JSON): they cross between threads as one
   * transferred buffer, where four million strings would each be cloned. (None of the values can hold a NUL:
   * addresses are checked, JSON escapes it, names drop it.)
   */
  packed: PackedRows;
  /** Their data-row numbers, ascending. */
  validRows: Int32Array;
  /** Their keys' two hashes (`hashKey`), 2 a row: the writing thread only probes its table of keys seen. */
  hashes: Int32Array;
  /** 1 for each valid row whose address is on the suppression list (when the builder was given it). */
  suppressed: Uint8Array;
  /**
   * Whether the builder knew how to check the suppression list when it built the batch: told its keys, or told the
   * caller checks (a list too long to hold). False for a worker's rows read ahead, before the list came: the writing
   * thread checks those (importer.ts).
   */
  suppressionKnown: boolean;
}

/** The buffers of a batch, to hand over to another thread rather than copy. */
export function batchTransfers(b: BuiltBatch): ArrayBuffer[] {
  return [b.packed.text.buffer, b.packed.ends.buffer, b.validRows.buffer, b.hashes.buffer, b.suppressed.buffer] as ArrayBuffer[];
}

/** What JSON.stringify escapes in a string (quote, backslash, control characters; surrogates when lone). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A skipped row keeps its cells for the skipped-rows CSV when they are not too long. */
export function keepCells(cells: string[]): string[] | undefined {
  let n = 0;
  for (const c of cells) n += c.length;
  return n <= 10_000 ? cells : undefined;
}

export class RowBuilder {
  private record = 0;
  private readonly packer = new RowPacker();

  private suppressed: ReadonlySet<string> | undefined;
  private suppressionKnown: boolean;
  /** The plan's `keyPrefixes` as UTF-8. */
  private readonly prefixes: Uint8Array[];

  /**
   * `suppressed`: the suppression list's keys, when it is small enough to hold (else the caller checks);
   * `'later'`: not known yet (rows read ahead): `knowSuppressed` tells them, and batches built before say so.
   */
  constructor(
    private readonly plan: RowPlan,
    suppressed?: ReadonlySet<string> | 'later',
  ) {
    this.suppressionKnown = suppressed !== 'later';
    this.suppressed = suppressed !== 'later' && suppressed?.size ? suppressed : undefined;
    this.prefixes = plan.keyPrefixes.map((k) => new Uint8Array(Buffer.from(k, 'utf8')));
  }

  /** The suppression list's keys (undefined: the caller checks), for the batches built from now on. */
  knowSuppressed(suppressed: ReadonlySet<string> | undefined): void {
    this.suppressionKnown = true;
    this.suppressed = suppressed?.size ? suppressed : undefined;
  }

  build(batch: string[][]): BuiltBatch {
    const { dataBase, width, emailCol, keyPrefixes, fieldIdx, nameIdx, firstIdx, lastIdx } = this.plan;
    const rows = new Int32Array(batch.length);
    const hashes = new Int32Array(batch.length * 2);
    const suppressed = new Uint8Array(batch.length);
    let n = 0;
    const out = { rows: 0, emptyLines: 0, raggedRow: null as number | null, invalid: [] as BuiltBatch['invalid'] };
    for (const cells of batch) {
      const rec = this.record++;
      if (rec < dataBase) continue;
      const row = rec - dataBase + 1;
      if (isBlank(cells)) {
        out.emptyLines++;
        continue;
      }
      out.rows++;
      if (cells.length > width && out.raggedRow === null) {
        for (let i = width; i < cells.length; i++) {
          if (cells[i]!.trim() !== '') {
            out.raggedRow = row;
            break;
          }
        }
      }
      const parsed = parseAddress(cells[emailCol] ?? '');
      if (!parsed.ok) {
        out.invalid.push({ row, reason: parsed.reason, cells: keepCells(cells) });
        continue;
      }
      let name: string | null = nameIdx !== null ? (cells[nameIdx] ?? '').trim() : '';
      const nameFromAddress = !name && parsed.name !== null;
      if (!name) name = parsed.name;
      if (!name && (firstIdx !== null || lastIdx !== null)) {
        const first = firstIdx === null ? '' : (cells[firstIdx] ?? '').trim();
        const last = lastIdx === null ? '' : (cells[lastIdx] ?? '').trim();
        name = first && last ? `${first} ${last}` : first || last;
      }
      const p = this.packer;
      p.text(parsed.address);
      p.end();
      p.text(parsed.key);
      p.end();
      // The name column drops NULs (SQLite text would end there); the name field's JSON escapes them.
      if (name) p.text(name.includes('\0') ? name.replace(/\0/g, '') : name);
      p.end();
      // The fields' JSON, written piece by piece: `{"first_name":"Anna","city":"Wien"}`.
      if (!keyPrefixes.length) p.text('{}');
      for (let i = 0; i < keyPrefixes.length; i++) {
        // "Anna <anna@example.com>" with an empty name cell: the name field gets "Anna" too.
        const v = nameFromAddress && fieldIdx[i] === nameIdx ? name! : (cells[fieldIdx[i]!] ?? '').trim();
        p.bytes(this.prefixes[i]!);
        if (NEEDS_ESCAPE.test(v)) p.text(JSON.stringify(v));
        else {
          p.ascii(0x22);
          p.text(v);
          p.ascii(0x22);
        }
      }
      if (keyPrefixes.length) p.ascii(0x7d);
      p.end();
      rows[n] = row;
      hashKey(parsed.key, hashes, n * 2);
      if (this.suppressed?.has(parsed.key)) suppressed[n] = 1;
      n++;
    }
    return { ...out, packed: this.packer.take(), validRows: rows.slice(0, n), hashes: hashes.slice(0, n * 2), suppressed: suppressed.slice(0, n), suppressionKnown: this.suppressionKnown };
  }
}
