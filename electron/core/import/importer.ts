/**
 * Spreadsheet import: preview a file, then stream it into a list, accounting for every row.
 *
 * Every data row ends in exactly one bucket (`rows = imported + updated + duplicates + invalid + suppressed`):
 * invalid (the address cell is empty or not an address), duplicate (an earlier row of the file has the same
 * address, compared case-insensitively), suppressed (the address is on the suppression list, even when it is
 * already on the list), updated (already on the list: fields refreshed) or imported. Empty lines are skipped
 * and not counted; row numbers are 1-based data-row numbers (first row after the header = 1), counting empty
 * lines so they match what the user sees.
 *
 * Two threads, side by side. The import worker (import-worker.ts) first reads the head of the file (its header,
 * the plan for its columns: head.ts), so that the calling thread never parses a file itself; then it reads,
 * decodes and parses the file and checks
 * each row (row-builder.ts); the calling thread takes its batches, drops suppressed addresses and duplicates,
 * and writes the rest to a hidden staging list (store/recipients.ts), committing each chunk on a connection of
 * its own. The calling thread — the desktop app's main process, the browser host — thus only ever runs short
 * steps of a few milliseconds and answers other requests between them. When the whole file is read, one short
 * transaction makes the staged rows the list (for a new list: a single UPDATE); until then the list is as it
 * was, so a cancel or a failure leaves it untouched. Without a worker (its script missing) the same row builder
 * runs on the calling thread, yielding between chunks. A worker started ahead with the import's options (the
 * command line's: worker-feed.ts) reads the rows too while this thread loads; it doesn't have the suppression list
 * yet, so the rows it built before the import told it are checked here.
 */
import path from 'node:path';
import type { Db } from '../store/db';
import { StagingList } from '../store/recipients';
import { packedValue, samePackedValue } from '../store/packed-rows';
import { getList, updateListAfterImport } from '../store/lists';
import { addSuppressions, importedFrom } from '../store/suppressions';
import { parseAddress, quoteForReason } from '../../../shared/email-address';
import { PostroomError, type ErrorCode } from '../../../shared/result';
import type { ImportPreview, ImportProgress, ImportSummary, ReadOptions, SkipKind, SkippedRow } from '../../../shared/contract/recipients';
import { dataBaseOf, fieldsOf, headFromWire, noEmailColumn, previewHead, readHead, rowsInputOf, type Head } from './head';
import { isBlank } from './headers';
import { RowBuilder, type BuiltBatch } from './row-builder';
import { importWorkerFile } from './worker-file';
import { headRequest, takeSpare, WorkerFeed } from './worker-feed';
import { KeySet } from './key-set';

/**
 * The most rows written in one transaction, from the batches the worker has ready. The stage commits after each
 * group: a commit writes every page the group changed to the WAL, and with addresses in random order (a real
 * list) a batch touches most pages of the list's address index, so committing each small batch wrote the whole
 * index over and over (test/bench/README.md, "Import"). A group is written in one synchronous step on the
 * calling thread, never across awaits.
 */
const GROUP_ROWS = 40_000;

/** How many skipped rows a summary lists (all are counted). */
export const MAX_LISTED_ERRORS = 10_000;
const PROGRESS_INTERVAL_MS = 100;

export interface SkippedDetail extends SkippedRow {
  /** The row's cells, when short enough to keep (for the skipped-rows CSV). */
  cells?: string[];
}

export interface ImportTimings {
  decode: number;
  parse: number;
  /** Address checks and field JSON (in the worker when it runs). */
  validate: number;
  /** Suppression and duplicate checks (on the calling thread). */
  dedupe: number;
  /** Writing rows to the stage (on the calling thread). */
  insert: number;
  /** Time the calling thread waited for the worker's next batch. */
  waiting: number;
  merge: number;
  total: number;
}

export interface ImportOptions extends ReadOptions {
  listId?: number;
  listName?: string;
  importId: string;
  now: () => number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** `worker` (default): parse and check rows in the import worker thread when it can start; `calling`: here. */
  thread?: 'worker' | 'calling';
  /** The worker's script (tests); default: found by worker-file.ts. */
  workerFile?: string;
  /** A checked attachments folder to record with the list, in the import's own transaction. */
  attachmentsDir?: string;
}

export interface ImportResult {
  summary: ImportSummary;
  skipped: SkippedDetail[];
  headers: string[];
  timings: ImportTimings;
  /** Which thread built the rows: the import worker, or the calling thread (no worker, or it couldn't run). */
  thread: 'worker' | 'calling';
  /** The head of the file was read by a worker started ahead, before the import began (prestartImportWorker). */
  headReadAhead: boolean;
  /** That worker went on reading the rows, before the import told it the suppression list. */
  rowsReadAhead: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads the head of a file and answers how it would be imported, on a worker thread of its own: the calling
 * thread (the desktop app's main process, the browser host) never parses a file a person just dropped, however
 * it is made, and a file that fills the worker's memory ends that thread only. Without a worker script (see
 * worker-file.ts) it reads here.
 */
export async function previewImport(opts: ReadOptions, workerFile?: string): Promise<ImportPreview> {
  const file = workerFile ?? (await importWorkerFile());
  if (!file) return previewHead(opts);
  const feed = new WorkerFeed(file);
  try {
    feed.start({ preview: opts });
    const m = await feed.next();
    if (m?.type === 'preview') return m.preview;
    if (m?.type === 'error') throw new PostroomError(m.code as ErrorCode, m.message);
    if (feed.couldNotStart && !m) return previewHead(opts);
    throw feed.failureFor(path.basename(opts.path)) ?? new PostroomError('INTERNAL', 'The preview stopped without an answer. Try again.');
  } finally {
    feed.close();
  }
}

/** Imports a file into a list (see the top of this file). Throws CANCELLED when `signal` aborts before the end. */
export async function importFile(db: Db, opts: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const timings: ImportTimings = { decode: 0, parse: 0, validate: 0, dedupe: 0, insert: 0, waiting: 0, merge: 0, total: 0 };
  if (opts.listId !== undefined) getList(db, opts.listId); // fail early, before reading a million rows
  const workerFile = opts.thread === 'calling' ? undefined : (opts.workerFile ?? (await importWorkerFile()));
  // Started ahead (prestartImportWorker), or now, so that its thread comes up while this one reads the head.
  const ahead = workerFile ? takeSpare(workerFile, opts) : undefined;
  const feed = workerFile ? (ahead?.feed ?? new WorkerFeed(workerFile)) : undefined;
  try {
    return await importWithHead(db, opts, feed, ahead?.headAsked ?? false, started, timings);
  } finally {
    feed?.close();
  }
}

/**
 * The head of the file, read by the import worker when there is one: the calling thread (the app's main process,
 * serve) then never parses the file at all. Undefined when the worker couldn't come up (read it here then).
 */
async function headOnWorker(feed: WorkerFeed, opts: ReadOptions, asked: boolean): Promise<{ head: Head; rowsAhead: boolean } | undefined> {
  // (A worker started ahead may have been asked already, and be reading the rows already: prestartImportWorker.)
  if (!asked) feed.start({ head: headRequest(opts) });
  const m = await feed.next();
  if (m?.type === 'head') return { head: headFromWire(m.head), rowsAhead: m.rowsAhead };
  if (m?.type === 'error') throw new PostroomError(m.code as ErrorCode, m.message);
  if (!m && feed.couldNotStart) return undefined;
  throw feed.failureFor(path.basename(opts.path)) ?? new PostroomError('INTERNAL', 'The import worker stopped without finishing. Try the import again.');
}

async function importWithHead(db: Db, opts: ImportOptions, worker: WorkerFeed | undefined, headAsked: boolean, started: number, timings: ImportTimings): Promise<ImportResult> {
  const fromWorker = worker ? await headOnWorker(worker, opts, headAsked) : undefined;
  // A worker that couldn't come up: the same work on this thread.
  const feed = fromWorker ? worker : undefined;
  if (worker && !feed) worker.close();
  const head = fromWorker?.head ?? (await readHead(opts));
  const { source, plans } = head;
  if (head.emailColumn === null) {
    await head.rows.return(undefined);
    throw noEmailColumn(head);
  }
  const rowsInput = rowsInputOf(opts.path, head, source.info);
  let bytesRead = () => source.bytesRead();

  const counts = { rows: 0, invalid: 0, duplicates: 0, emptyLines: 0 };
  let skipped: SkippedDetail[] = [];
  let omitted = 0;
  const warnings = [...head.warnings];
  let raggedWarned = false;
  /** Records a skipped row (`cells` already left out by the row builder when they are too long to keep). */
  const skip = (row: number, kind: SkipKind, reason: string, cells?: string[]) => {
    skipped.push({ row, kind, reason, cells });
    if (skipped.length > 2 * MAX_LISTED_ERRORS) {
      skipped.sort((a, b) => a.row - b.row);
      omitted += skipped.length - MAX_LISTED_ERRORS;
      skipped = skipped.slice(0, MAX_LISTED_ERRORS);
    }
  };

  let lastProgress = 0;
  const t0 = Date.now();
  // While reading, at most one event per interval; a new phase (saving, done, failed, cancelled) is told at once:
  // there are only a few, and holding the import back to space them out cost it up to 0.2 s at its end.
  const progress = async (phase: ImportProgress['phase'], force = false) => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    const secs = Math.max(0.001, (Date.now() - t0) / 1000);
    opts.onProgress({
      importId: opts.importId,
      phase,
      bytesRead: Math.min(bytesRead(), source.info.bytes),
      bytesTotal: source.info.bytes,
      rows: counts.rows,
      invalid: counts.invalid,
      duplicates: counts.duplicates,
      rate: Math.round(counts.rows / secs),
    });
    // Measured after the listeners ran, so that they never see two events less than the interval apart.
    lastProgress = Date.now();
  };
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new PostroomError('CANCELLED', `The import of ${source.info.fileName} was cancelled. The list is as it was before.`);
  };

  // Suppressed addresses are checked row by row: by the row builder when the list is of a usual size (it gets
  // the keys), else here against the database. The final transaction checks again for any suppressed while the
  // import ran.
  const suppressionCount = db.prepare('SELECT count(*) FROM suppressions').pluck().get() as number;
  const suppressedKeys = suppressionCount <= 200_000 ? (db.prepare('SELECT email_key FROM suppressions').pluck().all() as string[]) : undefined;
  const isSuppressedStmt = db.prepare('SELECT 1 FROM suppressions WHERE email_key = ?').pluck();
  const suppressedCount = { n: 0 };
  /** The keys as a set, for rows the worker read ahead before it had them (made when such rows come). */
  let lateKeys: Set<string> | undefined;

  const stage = new StagingList(db, opts.now());
  // Sized for the rows the file seems to hold (judged by its head; a little under, so as not to double a big
  // table for nothing: it still grows when more come).
  const headBytes = source.bytesRead();
  const expectedRows = source.info.format === 'text' && headBytes > 0 ? Math.floor((0.9 * head.buffered.length * source.info.bytes) / headBytes) : 0;
  const seen = new KeySet(expectedRows);
  /** The batch being written, and which of its valid rows go to the stage (ascending). */
  let current: BuiltBatch | undefined;
  let picks: number[] = [];
  /** Does data row `row` (which had the same hash) really have the key of valid row `i` of the current batch? */
  const sameKey = (row: number, i: number): boolean => {
    const batch = current!;
    if (picks.length && row >= batch.validRows[picks[0]!]!) {
      let lo = 0;
      let hi = picks.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = batch.validRows[picks[mid]!]!;
        if (r === row) return samePackedValue(batch.packed, picks[mid]! * 4 + 1, batch.packed, i * 4 + 1);
        if (r < row) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    }
    return stage.has(packedValue(batch.packed, i * 4 + 1));
  };
  const consume = (batch: BuiltBatch) => {
    const tv = performance.now();
    counts.rows += batch.rows;
    counts.emptyLines += batch.emptyLines;
    if (batch.raggedRow !== null && !raggedWarned) {
      raggedWarned = true;
      warnings.push(`Some rows have more cells than there are columns (first: row ${batch.raggedRow}); the extra cells were left out.`);
    }
    for (const bad of batch.invalid) {
      counts.invalid++;
      skip(bad.row, 'invalid', bad.reason, bad.cells);
    }
    current = batch;
    picks = [];
    const { validRows, hashes, suppressed, packed } = batch;
    // Checked here, row by row: a suppression list too long to hold, or rows the worker built before it had it.
    const lateCheck = !suppressedKeys
      ? (i: number) => isSuppressedStmt.get(packedValue(packed, i * 4 + 1)) !== undefined
      : !batch.suppressionKnown && suppressedKeys.length
        ? (i: number) => (lateKeys ??= new Set(suppressedKeys)).has(packedValue(packed, i * 4 + 1))
        : undefined;
    let at = 0;
    const confirm = (earlier: number) => sameKey(earlier, at); // one function a batch, not one a row
    for (let i = 0; i < validRows.length; i++) {
      const row = validRows[i]!;
      if (suppressed[i] === 1 || lateCheck?.(i)) {
        suppressedCount.n++;
        skip(row, 'suppressed', `suppressed: ${quoteForReason(packedValue(packed, i * 4))} is on the suppression list`);
        continue;
      }
      at = i;
      const first = seen.addOrFind(hashes[i * 2]!, hashes[i * 2 + 1]!, row, confirm);
      if (first !== undefined) {
        counts.duplicates++;
        skip(row, 'duplicate', `duplicate: ${quoteForReason(packedValue(packed, i * 4))} is already on row ${first}`);
        continue;
      }
      picks.push(i);
    }
    timings.dedupe += performance.now() - tv;
    const t = performance.now();
    if (picks.length) stage.write(packed, picks);
    timings.insert += performance.now() - t;
    current = undefined;
    picks = [];
  };

  /** The suppression keys as a set, for a row builder on this thread (the worker builds its own). */
  const suppressedSet = () => (suppressedKeys ? new Set(suppressedKeys) : undefined);

  /** The file's rows, built on this thread (from the head already read), a batch a group. */
  async function* onThisThread(): AsyncGenerator<BuiltBatch[]> {
    const builder = new RowBuilder(rowsInput.plan, suppressedSet());
    const t = performance.now();
    const first = builder.build(head.buffered);
    timings.validate += performance.now() - t;
    head.buffered.length = 0;
    yield [first];
    if (head.done) return;
    for (;;) {
      const next = await head.rows.next();
      if (next.done) return;
      const t1 = performance.now();
      const batch = builder.build(next.value);
      timings.validate += performance.now() - t1;
      yield [batch];
    }
  }

  /** The file's rows, built by the import worker (it reads the file again from the start, maybe already has). */
  async function* onWorker(feed: WorkerFeed): AsyncGenerator<BuiltBatch[]> {
    // A worker reading the rows ahead (of the same head) only needs the suppression list.
    if (fromWorker?.rowsAhead) feed.start({ goOn: true, suppressed: suppressedKeys });
    else feed.start({ ...rowsInput, suppressed: suppressedKeys });
    let workerBytes = 0;
    bytesRead = () => workerBytes;
    try {
      for (;;) {
        const tw = performance.now();
        const m = await feed.next();
        timings.waiting += performance.now() - tw;
        // (A worker that couldn't run at all never gets here: it didn't answer the head, which was then read here.)
        if (!m) throw feed.failureFor(source.info.fileName) ?? new PostroomError('INTERNAL', 'The import worker stopped without finishing. Try the import again.');
        if (m.type === 'error') throw new PostroomError(m.code as ErrorCode, m.message);
        if (m.type === 'preview' || m.type === 'head') continue; // sent before the rows, taken by headOnWorker
        workerBytes = m.bytesRead;
        if (m.type === 'done') {
          Object.assign(workerTimings, { decode: m.decode, parse: m.parse, validate: m.validate });
          return;
        }
        feed.more();
        // With the batches already here: written together, in one transaction (see GROUP_ROWS).
        const group = [m.batch];
        let rows = m.batch.validRows.length;
        for (let more = feed.takeReadyBatch(); more; more = rows < GROUP_ROWS ? feed.takeReadyBatch() : undefined) {
          feed.more();
          group.push(more.batch);
          rows += more.batch.validRows.length;
          workerBytes = more.bytesRead;
        }
        yield group;
      }
    } finally {
      feed.close();
    }
  }

  const workerTimings = { decode: 0, parse: 0, validate: 0 };
  const workerUsed = Boolean(feed);
  if (feed) await head.rows.return(undefined);
  const batches = feed ? onWorker(feed) : onThisThread();

  let committed = false;
  try {
    for await (const group of batches) {
      checkCancel();
      stage.together(() => group.forEach(consume));
      await progress('reading');
      await yieldToEventLoop();
    }
    checkCancel();
    await progress('saving', true);
    checkCancel();

    const now = opts.now();
    const fileFields = fieldsOf(plans);
    let listFields: string[] = [];
    const tm = performance.now();
    const result = stage.commit({ id: opts.listId, name: opts.listName }, (conn, listId, existing) => {
      listFields = ['email', ...existing.filter((f) => f !== 'email'), ...fileFields.filter((f) => f !== 'email' && !existing.includes(f))];
      updateListAfterImport(conn, listId, listFields, source.info.fileName, now, opts.attachmentsDir);
    });
    committed = true;
    stage.close();
    timings.merge = performance.now() - tm;
    for (const s of result.suppressed) skip(seen.rowOf(s.key) ?? 0, 'suppressed', `suppressed: ${quoteForReason(s.email)} is on the suppression list`);
    skipped.sort((a, b) => a.row - b.row);
    if (skipped.length > MAX_LISTED_ERRORS) {
      omitted += skipped.length - MAX_LISTED_ERRORS;
      skipped = skipped.slice(0, MAX_LISTED_ERRORS);
    }
    if (workerUsed) Object.assign(timings, workerTimings);
    else if (!feed) Object.assign(timings, { decode: source.timings.decode, parse: source.timings.parse });
    timings.total = performance.now() - started;
    const summary: ImportSummary = {
      importId: opts.importId,
      listId: result.listId,
      list: result.listName,
      rows: counts.rows,
      imported: result.imported,
      updated: result.updated,
      duplicates: counts.duplicates,
      invalid: counts.invalid,
      suppressed: suppressedCount.n + result.suppressed.length,
      encoding: source.info.encoding,
      delimiter: source.info.delimiter,
      sheet: source.info.sheet,
      fields: listFields,
      errors: skipped.map(({ row, kind, reason }) => ({ row, kind, reason })),
      errorsOmitted: omitted,
      emptyLines: counts.emptyLines,
      warnings,
      durationMs: Math.round(timings.total),
    };
    await progress('done', true);
    return { summary, skipped, headers: head.headers, timings, thread: workerUsed ? 'worker' : 'calling', headReadAhead: headAsked && workerUsed, rowsReadAhead: Boolean(fromWorker?.rowsAhead) };
  } catch (err) {
    await head.rows.return(undefined).catch(() => undefined);
    if (!committed) await stage.discard();
    stage.close();
    await progress(err instanceof PostroomError && err.code === 'CANCELLED' ? 'cancelled' : 'failed', true);
    throw err;
  }
}

/** A file name for the skipped-rows CSV of an import from `file`. */
export function skippedFileName(file: string): string {
  return `${path.basename(file).replace(/\.[^.]+$/, '')}-skipped-rows.csv`;
}

/**
 * Suppresses every address in a file: a list export with an e-mail column, or a plain list of addresses, one a
 * line. Invalid rows are reported, never abort it. `rows = added + already + invalid` (empty lines aside).
 */
export async function importSuppressions(
  db: Db,
  opts: ReadOptions & { reason?: string },
  now: number,
): Promise<{ rows: number; added: number; already: number; invalid: number; encoding: string; delimiter: string | null; errors: SkippedRow[] }> {
  const head = await readHead(opts);
  if (head.emailColumn === null) {
    await head.rows.return(undefined);
    throw noEmailColumn(head);
  }
  const col = head.emailColumn;
  const dataBase = dataBaseOf(head);
  const result = { rows: 0, added: 0, already: 0, invalid: 0, encoding: head.source.info.encoding, delimiter: head.source.info.delimiter, errors: [] as SkippedRow[] };
  const imported = importedFrom(head.source.info.fileName);
  let record = 0;
  const handle = (batch: string[][]) => {
    const entries: Array<{ email: string; key: string }> = [];
    for (const cells of batch) {
      const rec = record++;
      if (rec < dataBase || isBlank(cells)) continue;
      result.rows++;
      const p = parseAddress(cells[col] ?? '');
      if (!p.ok) {
        result.invalid++;
        if (result.errors.length < MAX_LISTED_ERRORS) result.errors.push({ row: rec - dataBase + 1, kind: 'invalid', reason: p.reason });
        continue;
      }
      entries.push({ email: p.address, key: p.key });
    }
    const r = addSuppressions(db, entries, opts.reason ?? imported.text, now, { kind: 'import', detailNote: opts.reason === undefined ? imported.note : null });
    result.added += r.added;
    result.already += r.already;
  };
  handle(head.buffered);
  if (!head.done) {
    for (;;) {
      await yieldToEventLoop();
      const next = await head.rows.next();
      if (next.done) break;
      handle(next.value);
    }
  }
  return result;
}
