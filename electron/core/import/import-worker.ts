/**
 * The import's worker thread: reads, decodes, parses and checks the rows of a file and posts them to the
 * thread that writes them to the database. So the file's work and SQLite's work run side by side, and the
 * process that started the import (the desktop app's main process, the browser host) only does the writing.
 *
 * At most MAX_IN_FLIGHT (48) batches wait unacknowledged, so a fast reader can't fill memory with a slow writer
 * (a batch is one 64 KB piece of the file, some 150 KB packed: 7 MB at most). The writer commits the batches it
 * finds waiting together (importer.ts, GROUP_ROWS), so room for many makes its commits few when it is the slower
 * one (test/bench/README.md, "Import").
 * Built to dist/import-worker.cjs by scripts/build.mjs (found by ../worker-files.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSource, type SourceOptions } from './source';
import { batchTransfers, RowBuilder, type BuiltBatch, type RowPlan } from './row-builder';
import { PostroomError } from '../../../shared/errors';
import { headForWire, previewHead, rowsInputOf, type HeadOnWire } from './head';
import type { ImportPreview, ReadOptions } from '../../../shared/contract/recipients';

export interface WorkerInput {
  path: string;
  source: SourceOptions;
  plan: RowPlan;
  /** The suppression list's keys, when small enough to hold (see importer.ts). */
  suppressed?: string[];
}

/** A preview: read the head of the file here, answer, and end. */
export interface WorkerPreviewInput {
  preview: ReadOptions;
}

/**
 * An import's first step: read the head of the file here and answer; the WorkerInput follows. With `rowsAhead`
 * (an import certain to follow, the command line's), the worker sets out on the rows at once, as the head says
 * (head.ts, rowsInputOf), and its 'head' answer says so: the import then sends only a WorkerGoOn.
 */
export interface WorkerHeadInput {
  head: ReadOptions;
  rowsAhead?: boolean;
}

/** What the import tells a worker already reading its rows ahead: the suppression list (see WorkerInput). */
export interface WorkerGoOn {
  goOn: true;
  suppressed?: string[];
}

export type WorkerMessage =
  | { type: 'preview'; preview: ImportPreview }
  | { type: 'head'; head: HeadOnWire; rowsAhead: boolean }
  | { type: 'batch'; batch: BuiltBatch; bytesRead: number }
  | { type: 'done'; bytesRead: number; decode: number; parse: number; validate: number }
  | { type: 'error'; code: string; message: string };

const MAX_IN_FLIGHT = 48;

/**
 * Reads and builds the rows, at most MAX_IN_FLIGHT batches ahead of the import's 'more's. Ahead of the import
 * (`input.suppressed` 'later'), the batches say they weren't checked against the suppression list until its
 * WorkerGoOn comes.
 */
async function run(port: NonNullable<typeof parentPort>, input: Omit<WorkerInput, 'suppressed'> & { suppressed?: string[] | 'later' }): Promise<void> {
  let credits = MAX_IN_FLIGHT;
  let wake: (() => void) | undefined;
  let told: WorkerGoOn | undefined;
  let waitingForImport = input.suppressed === 'later';
  port.on('message', (m: 'more' | WorkerGoOn) => {
    if (m === 'more') credits++;
    else {
      told = m;
      waitingForImport = false;
    }
    wake?.();
  });
  try {
    const source = await openSource(input.path, input.source);
    const suppressed = input.suppressed;
    const builder = new RowBuilder(input.plan, suppressed === 'later' ? 'later' : suppressed ? new Set(suppressed) : undefined);
    let validate = 0;
    for await (const rows of source.batches()) {
      if (told) {
        builder.knowSuppressed(told.suppressed ? new Set(told.suppressed) : undefined);
        told = undefined;
      }
      const t = performance.now();
      const batch = builder.build(rows);
      validate += performance.now() - t;
      while (credits === 0) await new Promise<void>((r) => (wake = r));
      credits--;
      port.postMessage({ type: 'batch', batch, bytesRead: source.bytesRead() } satisfies WorkerMessage, batchTransfers(batch));
    }
    port.postMessage({ type: 'done', bytesRead: source.bytesRead(), decode: source.timings.decode, parse: source.timings.parse, validate } satisfies WorkerMessage);
    // Read ahead to the end: the thread stays until its import takes it (a thread that ended is no spare).
    while (waitingForImport) await new Promise<void>((r) => (wake = r));
  } catch (err) {
    const code = err instanceof PostroomError ? err.code : 'IMPORT_FAILED';
    port.postMessage({ type: 'error', code, message: (err as Error).message } satisfies WorkerMessage);
  }
  port.close();
}

/**
 * Answers the head of the file, and with `rowsAhead` sets out on its rows (when it has an e-mail column: without
 * one, the import fails). False (and the port closed) when it can't be read; 'ahead' when reading the rows.
 */
async function head(port: NonNullable<typeof parentPort>, input: WorkerHeadInput): Promise<boolean | 'ahead'> {
  try {
    const wire = await headForWire(input.head);
    const ahead = Boolean(input.rowsAhead) && wire.emailColumn !== null;
    port.postMessage({ type: 'head', head: wire, rowsAhead: ahead } satisfies WorkerMessage);
    if (!ahead) return true;
    void run(port, { ...rowsInputOf(input.head.path, wire, wire.info), suppressed: 'later' });
    return 'ahead';
  } catch (err) {
    const code = err instanceof PostroomError ? err.code : 'IMPORT_FAILED';
    port.postMessage({ type: 'error', code, message: (err as Error).message } satisfies WorkerMessage);
    port.close();
    return false;
  }
}

async function preview(port: NonNullable<typeof parentPort>, opts: ReadOptions): Promise<void> {
  try {
    port.postMessage({ type: 'preview', preview: await previewHead(opts) } satisfies WorkerMessage);
  } catch (err) {
    const code = err instanceof PostroomError ? err.code : 'IMPORT_FAILED';
    port.postMessage({ type: 'error', code, message: (err as Error).message } satisfies WorkerMessage);
  }
  port.close();
}

// Started before the importer knows what to read: its first message says (see importer.ts, WorkerFeed).
if (parentPort && (workerData as { postroomImport?: boolean } | undefined)?.postroomImport) {
  const port = parentPort;
  const first = (input: WorkerInput | WorkerPreviewInput | WorkerHeadInput) => {
    // (A WorkerGoOn comes only to a worker reading ahead, whose `run` takes it.)
    if ('preview' in input) void preview(port, input.preview);
    else if ('head' in input) void head(port, input).then((ok) => ok === true && port.once('message', first));
    else void run(port, input);
  };
  port.once('message', first);
}
