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
import { headForWire, previewHead, type HeadOnWire } from './head';
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

/** An import's first step: read the head of the file here and answer; the WorkerInput follows. */
export interface WorkerHeadInput {
  head: ReadOptions;
}

export type WorkerMessage =
  | { type: 'preview'; preview: ImportPreview }
  | { type: 'head'; head: HeadOnWire }
  | { type: 'batch'; batch: BuiltBatch; bytesRead: number }
  | { type: 'done'; bytesRead: number; decode: number; parse: number; validate: number }
  | { type: 'error'; code: string; message: string };

const MAX_IN_FLIGHT = 48;

async function run(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  let credits = MAX_IN_FLIGHT;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  try {
    const source = await openSource(input.path, input.source);
    const builder = new RowBuilder(input.plan, input.suppressed ? new Set(input.suppressed) : undefined);
    let validate = 0;
    for await (const rows of source.batches()) {
      const t = performance.now();
      const batch = builder.build(rows);
      validate += performance.now() - t;
      while (credits === 0) await new Promise<void>((r) => (wake = r));
      credits--;
      port.postMessage({ type: 'batch', batch, bytesRead: source.bytesRead() } satisfies WorkerMessage, batchTransfers(batch));
    }
    port.postMessage({ type: 'done', bytesRead: source.bytesRead(), decode: source.timings.decode, parse: source.timings.parse, validate } satisfies WorkerMessage);
  } catch (err) {
    const code = err instanceof PostroomError ? err.code : 'IMPORT_FAILED';
    port.postMessage({ type: 'error', code, message: (err as Error).message } satisfies WorkerMessage);
  }
  port.close();
}

/** Answers the head of the file; false (and the port closed) when it can't be read. */
async function head(port: NonNullable<typeof parentPort>, opts: ReadOptions): Promise<boolean> {
  try {
    port.postMessage({ type: 'head', head: await headForWire(opts) } satisfies WorkerMessage);
    return true;
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
    if ('preview' in input) void preview(port, input.preview);
    else if ('head' in input) void head(port, input.head).then((ok) => ok && port.once('message', first));
    else void run(port, input);
  };
  port.once('message', first);
}
