/**
 * Turns a file's records into recipients: the per-row work of an import that needs no database (address
 * check, name, merge-field JSON). It runs in the import worker thread, or on the calling thread when no worker
 * can be started; both give exactly the same result.
 */
import { parseAddress } from '../../../shared/email-address';
import { isBlank, type ColumnPlan } from './headers';

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
   * The valid rows as one string, four values a row (address as written, key, name or "", fields JSON), each
   * followed by a NUL: one string crosses between threads in a single copy where four million would each be
   * cloned. (None of the values can hold a NUL: addresses are checked, JSON escapes it, names drop it.)
   */
  valid: string;
  /** Their data-row numbers, ascending. */
  validRows: Int32Array;
}

/** Splits `BuiltBatch.valid` back into its values (4 a row). */
export function splitValid(valid: string): string[] {
  return valid === '' ? [] : valid.split('\0');
}

/** A skipped row keeps its cells for the skipped-rows CSV when they are not too long. */
export function keepCells(cells: string[]): string[] | undefined {
  let n = 0;
  for (const c of cells) n += c.length;
  return n <= 10_000 ? cells : undefined;
}

export class RowBuilder {
  private record = 0;

  constructor(private readonly plan: RowPlan) {}

  build(batch: string[][]): BuiltBatch {
    const { dataBase, width, emailCol, keyPrefixes, fieldIdx, nameIdx, firstIdx, lastIdx } = this.plan;
    const out: BuiltBatch = { rows: 0, emptyLines: 0, raggedRow: null, invalid: [], valid: '', validRows: new Int32Array(0) };
    const rows: number[] = [];
    let valid = '';
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
      let json = keyPrefixes.length ? '' : '{}';
      for (let i = 0; i < keyPrefixes.length; i++) {
        // "Anna <anna@example.com>" with an empty name cell: the name field gets "Anna" too.
        const v = nameFromAddress && fieldIdx[i] === nameIdx ? name! : (cells[fieldIdx[i]!] ?? '').trim();
        json += keyPrefixes[i] + JSON.stringify(v);
      }
      if (keyPrefixes.length) json += '}';
      if (name && name.includes('\0')) name = name.replace(/\0/g, '');
      valid += `${parsed.address}\0${parsed.key}\0${name ?? ''}\0${json}\0`;
      rows.push(row);
    }
    out.valid = valid;
    out.validRows = Int32Array.from(rows);
    return out;
  }
}
