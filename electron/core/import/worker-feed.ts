/**
 * The import worker's thread (import-worker.ts) as the calling thread sees it: the batches it sends, and the one
 * started ahead of an import. Apart from the importer, on purpose: a host starts the worker ahead
 * (prestartImportWorker) before it loads the contract and the database, and this module reaches neither, so the
 * worker's thread comes up on the other core meanwhile.
 */
import { Worker } from 'node:worker_threads';
import { PostroomError } from '../../../shared/errors';
import type { ReadOptions } from '../../../shared/contract/recipients';
import type { WorkerGoOn, WorkerHeadInput, WorkerInput, WorkerMessage, WorkerPreviewInput } from './import-worker';
import { importWorkerFile } from './worker-file';

/**
 * The import worker (import-worker.ts) and the batches it sends. Started before the head of the file is read
 * (a thread takes a tenth of a second to come up); `start` then tells it what to read.
 */
export class WorkerFeed {
  private readonly worker: Worker;
  private readonly queue: WorkerMessage[] = [];
  failure: Error | undefined;
  private exited = false;
  private notify: (() => void) | undefined;

  /** Why the worker stopped, in our words (a hostile file can fill even a bounded worker's memory). */
  failureFor(fileName: string): Error | undefined {
    const f = this.failure as (Error & { code?: string }) | undefined;
    if (f?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new PostroomError(
        'IMPORT_FAILED',
        `${fileName} can't be imported: reading it took more memory than an import may use, which no ordinary spreadsheet does. Postroom stopped reading it; nothing was imported. Open it in its program and export it again as CSV or XLSX.`,
      );
    }
    return f;
  }

  /** Did the worker fail to come up at all (its script unloadable here), rather than fail on the file? */
  get couldNotStart(): boolean {
    const f = this.failure as (Error & { code?: string }) | undefined;
    return (this.exited || f !== undefined) && f?.code !== 'ERR_WORKER_OUT_OF_MEMORY';
  }

  constructor(file: string) {
    // A small heap of its own: the worker holds a few batches at a time, and the import must stay within its
    // memory budget (300 MB at a million rows) with both threads counted. Its young generation is roomy, though:
    // a batch's cells then die young instead of being promoted, which costs the worker less time.
    this.worker = new Worker(file, { workerData: { postroomImport: true }, resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 48 } });
    this.worker.on('message', (m: WorkerMessage) => (this.queue.push(m), this.notify?.()));
    this.worker.on('error', (e) => ((this.failure = e), this.notify?.()));
    this.worker.on('exit', () => ((this.exited = true), this.notify?.()));
  }

  start(input: WorkerInput | WorkerPreviewInput | WorkerHeadInput | WorkerGoOn): void {
    this.worker.postMessage(input);
  }

  /** The worker's next message; undefined when it failed or stopped. */
  async next(): Promise<WorkerMessage | undefined> {
    while (this.queue.length === 0 && !this.failure && !this.exited) await new Promise<void>((r) => (this.notify = r));
    return this.queue.shift();
  }

  /** Takes the next message if it is a batch already here (none is waited for). */
  takeReadyBatch(): Extract<WorkerMessage, { type: 'batch' }> | undefined {
    const m = this.queue[0];
    if (m?.type !== 'batch') return undefined;
    this.queue.shift();
    return m;
  }

  /** Is its thread still there (not failed, not ended)? */
  get alive(): boolean {
    return !this.failure && !this.exited;
  }

  /** Whether the worker keeps the process alive (a spare one must not: see prestartImportWorker). */
  hold(yes: boolean): void {
    if (yes) this.worker.ref();
    else this.worker.unref();
  }

  /** Lets the worker send one more batch. */
  more(): void {
    this.worker.postMessage('more');
  }

  close(): void {
    if (!this.exited) void this.worker.terminate();
  }
}

/** How long a worker started ahead waits for its import before it ends. */
const SPARE_IDLE_MS = 5 * 60_000;
/**
 * The worker started ahead of the next import, if any (see prestartImportWorker), and the head it was asked to read
 * ahead (the request, as JSON), if it was.
 */
let spare: { feed: WorkerFeed; file: string; timer: NodeJS.Timeout; head?: string } | undefined;

/** What a worker needs to read a file's head: only what reading needs (the options also hold functions, which can't cross to a thread). */
export function headRequest(opts: ReadOptions): ReadOptions {
  return { path: opts.path, sheet: opts.sheet, encoding: opts.encoding, delimiter: opts.delimiter, map: opts.map, columns: opts.columns };
}

/** Two reads ask for the same head when these are equal. */
const headKey = (opts: ReadOptions): string => JSON.stringify(headRequest(opts));

/**
 * Starts the import worker ahead of an import, for the next `importFile` to take: its thread takes some 40 ms to
 * come up (a V8 isolate, Node's bootstrap, the script), time the import would otherwise spend waiting for its
 * first rows. Hosts call it when an import is coming: the app and the browser host when a file is previewed (the
 * wizard's step before importing), the command line's `import` before it opens the database. Started without
 * `readAhead`, it holds no data and reads nothing until an import gives it a file; unused, it never keeps the
 * process alive and ends after five minutes.
 *
 * `readAhead`: the import's options when they are known already (the command line's `import`): the worker reads the
 * file's head meanwhile, and then its rows (a few MB ahead at most: import-worker.ts), which the import takes if it
 * asks for the same head (otherwise the worker is dropped).
 */
export async function prestartImportWorker(workerFile?: string, readAhead?: ReadOptions): Promise<void> {
  const file = workerFile ?? (await importWorkerFile());
  if (!file) return;
  const head = readAhead && headKey(readAhead);
  const waiting = spare && spare.file === file && spare.feed.alive ? spare : undefined;
  if (waiting && (!head || waiting.head === head)) return;
  if (waiting && readAhead && waiting.head === undefined) {
    waiting.feed.start({ head: headRequest(readAhead), rowsAhead: true });
    waiting.head = head;
    return;
  }
  discardSpare();
  const feed = new WorkerFeed(file);
  feed.hold(false);
  if (readAhead) feed.start({ head: headRequest(readAhead), rowsAhead: true });
  const timer = setTimeout(discardSpare, SPARE_IDLE_MS);
  timer.unref();
  spare = { feed, file, timer, head };
}

/** Is a worker started ahead waiting, alive, for its import (for tests)? */
export function spareWorkerWaiting(): boolean {
  return spare?.feed.alive ?? false;
}

function discardSpare(): void {
  const s = spare;
  spare = undefined;
  if (!s) return;
  clearTimeout(s.timer);
  s.feed.close();
}

/**
 * Takes the spare worker for `file` and an import with options `opts`, if there is one still alive: `headAsked` says
 * it was asked to read the head these options read (its answer is the first message). A spare that was asked for
 * another file's head is dropped.
 */
export function takeSpare(file: string, opts: ReadOptions): { feed: WorkerFeed; headAsked: boolean } | undefined {
  const s = spare;
  if (!s || s.file !== file) return undefined;
  const headAsked = s.head !== undefined;
  if (headAsked && s.head !== headKey(opts)) {
    discardSpare();
    return undefined;
  }
  spare = undefined;
  clearTimeout(s.timer);
  if (!s.feed.alive) return undefined;
  s.feed.hold(true);
  return { feed: s.feed, headAsked };
}
