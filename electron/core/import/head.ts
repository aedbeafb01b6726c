/**
 * The head of a spreadsheet: its first rows, which row is the header, and how each column would be imported.
 * The preview is this alone; an import reads it first to plan its columns. Nothing here touches the database,
 * so the import worker runs it too (a preview reads the head there, off the calling thread: see importer.ts).
 */
import type { ImportPreview, ReadOptions } from '../../../shared/contract/recipients';
import { PostroomError } from '../../../shared/errors';
import { openSource, type RowSource, type SourceInfo, type SourceOptions } from './source';
import { findHeaderRow, isBlank, planColumns, type ColumnPlan } from './headers';
import { makeRowPlan, type RowPlan } from './row-builder';

export const HEAD_ROWS = 80;
const PREVIEW_ROWS = 20;

/** The head of a file: its header, the plan for its columns, and the rows read so far (to be processed first). */
export interface Head {
  source: RowSource;
  rows: AsyncGenerator<string[][]>;
  buffered: string[][];
  headerIndex: number | null;
  firstData: number;
  headers: string[];
  plans: ColumnPlan[];
  emailColumn: number | null;
  warnings: string[];
  done: boolean;
}

export async function readHead(opts: ReadOptions): Promise<Head> {
  const source = await openSource(opts.path, opts);
  const rows = source.batches();
  const buffered: string[][] = [];
  let done = false;
  while (buffered.length < HEAD_ROWS) {
    const next = await rows.next();
    if (next.done) {
      done = true;
      break;
    }
    for (const r of next.value) buffered.push(r);
  }
  const { index: headerIndex, firstData } = findHeaderRow(buffered.slice(0, HEAD_ROWS));
  if (firstData >= buffered.length && headerIndex === null) {
    await rows.return(undefined);
    throw new PostroomError('IMPORT_FAILED', `${source.info.fileName} has no rows: it contains only empty lines. Check that you chose the right file.`);
  }
  const headerCells = headerIndex === null ? [] : buffered[headerIndex]!.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h).trim());
  const width = Math.max(headerCells.length, ...buffered.slice(firstData, firstData + HEAD_ROWS).map((r) => r.length));
  const headers = headerIndex === null ? Array.from({ length: width }, () => '') : headerCells;
  const warnings: string[] = [];
  const samples = buffered.slice(firstData).filter((r) => !isBlank(r)).slice(0, 50);
  const plans = planColumns(headers, samples, opts, warnings);
  if (headerIndex === null) {
    for (const p of plans) if (p.field !== 'email' && p.source !== 'user' && p.field !== null) p.field = `column_${p.index + 1}`;
    warnings.unshift('The file has no header row: its first row is already data.');
  }
  const dupHeaders = headers.filter((h, i) => h !== '' && headers.findIndex((x) => x.toLowerCase() === h.toLowerCase()) !== i);
  if (dupHeaders.length) warnings.push(`Some column headers appear more than once (${[...new Set(dupHeaders)].map((h) => `"${h}"`).join(', ')}); each column still gets its own field.`);
  const emailPlan = plans.find((p) => p.field === 'email');
  return { source, rows, buffered, headerIndex, firstData, headers, plans, emailColumn: emailPlan ? emailPlan.index : null, warnings, done };
}

/** The record that is data row 1: the one after the header, or the first with data when there is no header. */
export function dataBaseOf(head: Pick<Head, 'headerIndex' | 'firstData'>): number {
  return head.headerIndex === null ? head.firstData : head.headerIndex + 1;
}

/**
 * How the rows after a head are read and built: the file read again as the head found it (encoding, delimiter,
 * sheet), each record by the plan for its columns. One function for both threads: the import worker may set out
 * on the rows before the importer has the head (rows ahead, import-worker.ts). The head must have an e-mail column.
 */
export function rowsInputOf(
  path: string,
  head: Pick<Head, 'plans' | 'emailColumn' | 'headers' | 'headerIndex' | 'firstData'>,
  info: SourceInfo,
): { path: string; source: SourceOptions; plan: RowPlan } {
  return {
    path,
    source: { encoding: info.format === 'text' ? info.encoding : undefined, delimiter: info.delimiter ?? undefined, sheet: info.sheet ?? undefined },
    plan: makeRowPlan(head.plans, head.emailColumn!, head.headers.length, dataBaseOf(head)),
  };
}

/** A head as it crosses from the import worker: everything but the open file. */
export interface HeadOnWire extends Omit<Head, 'source' | 'rows'> {
  info: SourceInfo;
  bytesRead: number;
}

/** Reads the head of a file for an import on another thread (import-worker.ts), and closes the file. */
export async function headForWire(opts: ReadOptions): Promise<HeadOnWire> {
  const { source, rows, ...rest } = await readHead(opts);
  await rows.return(undefined);
  return { ...rest, info: source.info, bytesRead: source.bytesRead() };
}

/** A head read on another thread, as readHead gives it (the file itself is read again by that thread). */
export function headFromWire(h: HeadOnWire): Head {
  const { info, bytesRead, ...rest } = h;
  const none = (async function* (): AsyncGenerator<string[][]> {})();
  return { ...rest, rows: none, source: { info, timings: { decode: 0, parse: 0 }, bytesRead: () => bytesRead, batches: () => none } };
}

/** Fields the file brings, `email` first. */
export function fieldsOf(plans: ColumnPlan[]): string[] {
  return ['email', ...plans.filter((p) => p.field !== null && p.field !== 'email').map((p) => p.field!)];
}

export function noEmailColumn(head: Head): PostroomError {
  const cols = head.headers.map((h, i) => (h ? `"${h}"` : `column ${i + 1}`)).join(', ');
  return new PostroomError(
    'IMPORT_FAILED',
    `None of the columns of ${head.source.info.fileName} holds e-mail addresses (columns: ${cols}). Tell Postroom which one does: --map "HEADER=email" on the command line, or choose it in the mapping step.`,
  );
}

/** Reads the head of a file and answers how it would be imported (on this thread: importer.ts's previewImport runs it on a worker). */
export async function previewHead(opts: ReadOptions): Promise<ImportPreview> {
  const head = await readHead(opts);
  await head.rows.return(undefined);
  const data = head.buffered.slice(head.firstData).filter((r) => !isBlank(r));
  const info: SourceInfo = head.source.info;
  const warnings = [...head.warnings];
  if (head.emailColumn === null) warnings.unshift(noEmailColumn(head).message);
  return {
    format: info.format,
    encoding: info.encoding,
    encodingDetected: info.encodingDetected,
    delimiter: info.delimiter,
    sheets: info.sheets,
    sheet: info.sheet,
    headerRow: head.headerIndex === null ? null : head.headerIndex + 1,
    columns: head.plans.map((p) => ({
      index: p.index,
      header: p.header,
      field: p.field,
      source: p.source,
      samples: data
        .map((r) => (r[p.index] ?? '').trim())
        .filter((v) => v !== '')
        .slice(0, 5)
        .map((v) => (v.length > 200 ? `${v.slice(0, 199)}…` : v)),
    })),
    emailColumn: head.emailColumn,
    fields: fieldsOf(head.plans),
    rows: data.slice(0, PREVIEW_ROWS).map((r) => head.headers.map((_h, i) => r[i] ?? '')),
    warnings,
    bytes: info.bytes,
  };
}

