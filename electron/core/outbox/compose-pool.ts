/**
 * Composition off the engine's thread: worker threads (compose-worker.ts) compose messages while the engine's
 * thread talks SMTP and commits. When no worker can be used (the file isn't built, the desktop app's keychain
 * secrets, a worker fails to start or dies), messages are composed on this thread with the same composer.
 */
import os from 'node:os';
import { builtWorkerFile } from '../worker-files';
import { protectionOf } from '../secrets';
import { Worker } from 'node:worker_threads';
import type { CoreContext } from '../context';
import { mergeRecipient, type CampaignComposeOptions, type CampaignComposer, type ComposedMessage, type RecipientToCompose } from '../compose';
import { PostroomError, ErrorCode } from '../../../shared/result';
import type { ComposeReply, ComposeWorkerData, ComposeWorkerSetUp, WorkerHello } from './compose-worker';

/** The compose worker as the build made it (dist/compose-worker.cjs, see ../worker-files.ts), or null. */
export function defaultWorkerFile(): string | null {
  return builtWorkerFile('compose-worker');
}

/** One worker per spare CPU (at least one, at most four): composing is the most CPU-hungry step of sending. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, os.cpus().length - 1));
}

/** Whether this host's compose workers can be used: a worker unseals secrets with the data folder's key file. */
function workersUsable(ctx: CoreContext, workerFile: string | null): workerFile is string {
  // A key kept by the OS keychain (the desktop app's safeStorage) is out of a worker's reach: such a host composes
  // on the engine's thread.
  return workerFile !== null && protectionOf(ctx.secrets) === 'key-file';
}

/** Starts a compose worker (compose-worker.ts) that doesn't keep the process alive by itself. */
function startWorker(workerFile: string, data: ComposeWorkerData): Worker {
  const worker = new Worker(workerFile, { workerData: { postroomCompose: data } });
  worker.unref();
  return worker;
}

/**
 * Compose workers started before their campaign is known: `postroom send --follow` starts them while it reviews
 * the campaign and fixes its recipients, so that they have loaded their code (and opened the database) by the
 * time the first messages are wanted, instead of the engine's thread composing those while they start (the best
 * part of a second of a 20,000-message send on a 2-core machine). The engine's first ComposePool takes them.
 */
export class WarmComposeWorkers {
  private workers: Array<{ worker: Worker; alive: boolean }> = [];

  constructor(
    ctx: CoreContext,
    readonly workerFile: string | null = defaultWorkerFile(),
    count = defaultWorkerCount(),
  ) {
    if (!workersUsable(ctx, workerFile)) return;
    const data: ComposeWorkerData = { dataDir: ctx.dataDir, host: ctx.host };
    for (let i = 0; i < count; i++) {
      try {
        const worker = startWorker(workerFile, data);
        const w = { worker, alive: true };
        // One that fails before it is taken is simply not handed out (a pool then starts its own).
        worker.on('error', () => (w.alive = false));
        worker.on('exit', () => (w.alive = false));
        this.workers.push(w);
      } catch {
        break;
      }
    }
  }

  /** Whether any of them is still running for `workerFile`. */
  has(workerFile: string | null): boolean {
    return workerFile === this.workerFile && this.workers.some((w) => w.alive);
  }

  /** Up to `n` of them still running, for a pool of the same worker file; they are the pool's from then on. */
  take(workerFile: string, n: number): Worker[] {
    if (workerFile !== this.workerFile) return [];
    const taken = this.workers.filter((w) => w.alive).slice(0, n);
    this.workers = this.workers.filter((w) => !taken.includes(w));
    return taken.map((w) => w.worker);
  }

  /** Stops those no pool took. */
  async close(): Promise<void> {
    const rest = this.workers;
    this.workers = [];
    await Promise.all(rest.map((w) => w.worker.terminate()));
  }
}

type Pending = { resolve: (m: ComposedMessage) => void; reject: (e: unknown) => void };

interface ComposeWorker {
  worker: Worker;
  ready: Promise<boolean>;
  /** Said it is ready (its `ready` resolved true). */
  up: boolean;
  /** Started ahead (WarmComposeWorkers): it has its code loaded, so it is worth waiting for. */
  warm: boolean;
  alive: boolean;
  pending: Map<number, Pending>;
}

const STOPPED = 'The compose worker stopped.';

export class ComposePool {
  private workers: ComposeWorker[] = [];
  private nextId = 1;
  /** Why a worker isn't used, when one was tried and failed. */
  failure: string | null = null;

  private made: CampaignComposer | null;

  /**
   * `local`: the composer of this thread, or how to make it when this thread first composes (a pool with warm
   * workers may never need it). A made one's layout goes to the workers, which then don't lay the template out again.
   */
  constructor(
    ctx: CoreContext,
    options: CampaignComposeOptions,
    private readonly local: CampaignComposer | (() => CampaignComposer),
    workerFile: string | null,
    count = defaultWorkerCount(),
    warm?: WarmComposeWorkers | null,
  ) {
    this.made = typeof local === 'function' ? null : local;
    if (!workersUsable(ctx, workerFile)) return;
    const campaign: ComposeWorkerSetUp = { options, layout: this.made?.layout ?? null };
    const started = warm?.take(workerFile, count) ?? [];
    for (let i = 0; i < count; i++) {
      let worker: Worker;
      try {
        if (i < started.length) {
          worker = started[i]!;
          worker.postMessage(campaign);
        } else {
          worker = startWorker(workerFile, { dataDir: ctx.dataDir, host: ctx.host, campaign });
        }
      } catch (err) {
        this.failure = (err as Error).message;
        return;
      }
      const w: ComposeWorker = { worker, ready: Promise.resolve(false), up: false, warm: i < started.length, alive: true, pending: new Map() };
      w.ready = new Promise<boolean>((resolve) => {
        const fail = (why: string) => {
          this.failure = why;
          this.drop(w);
          resolve(false);
        };
        worker.once('message', (hello: WorkerHello) => {
          if (!hello.ready) return fail(hello.message);
          worker.on('message', (reply: ComposeReply) => this.answer(w, reply));
          w.up = true;
          resolve(true);
        });
        worker.once('error', (err) => fail(err.message));
        // One that stops before it said it is ready (closed meanwhile) is waited for no longer.
        worker.once('exit', () => fail(STOPPED));
      });
      worker.on('error', () => this.drop(w));
      worker.on('exit', () => this.drop(w));
      this.workers.push(w);
    }
  }

  private answer(w: ComposeWorker, reply: ComposeReply): void {
    const p = w.pending.get(reply.id);
    if (!p) return;
    w.pending.delete(reply.id);
    if (reply.ok) {
      const raw = Buffer.from(reply.raw.buffer, reply.raw.byteOffset, reply.raw.byteLength);
      const stuffed = reply.stuffed === 'raw' ? raw : reply.stuffed && Buffer.from(reply.stuffed.buffer, reply.stuffed.byteOffset, reply.stuffed.byteLength);
      p.resolve({ raw, stuffed, envelope: reply.envelope, messageId: reply.messageId, subject: reply.subject });
    } else {
      const code = ErrorCode.safeParse(reply.code);
      p.reject(new PostroomError(code.success ? code.data : 'INTERNAL', reply.message));
    }
  }

  /** A worker that died: what it had in hand is composed on this thread instead. */
  private drop(w: ComposeWorker): void {
    if (!w.alive) return;
    w.alive = false;
    void w.worker.terminate();
    const orphans = [...w.pending.values()];
    w.pending.clear();
    for (const o of orphans) o.reject(new PostroomError('INTERNAL', STOPPED));
  }

  /** This thread's composer, made when first needed. */
  private composer(): CampaignComposer {
    return (this.made ??= (this.local as () => CampaignComposer)());
  }

  /** The worker that is up with the least in hand, or null. */
  private pick(): ComposeWorker | null {
    let best: ComposeWorker | null = null;
    for (const w of this.workers) {
      if (!w.alive || !w.up) continue;
      if (!best || w.pending.size < best.pending.size) best = w;
    }
    return best;
  }

  /**
   * When no worker is up: a worker started ahead has only the campaign to prepare, so it is waited for (the first
   * to say it is ready or fails); one starting cold is not (this thread composes meanwhile: the first messages of a
   * send would otherwise wait for the worker's start, some 0.1 s). Null when none comes up.
   */
  private async warmOneUp(): Promise<ComposeWorker | null> {
    const warm = this.workers.filter((w) => w.alive && w.warm);
    if (!warm.length) return null;
    await Promise.race(warm.map((w) => w.ready));
    return this.pick();
  }

  /**
   * Composes a message for `recipient`: on a worker when one is up, else here. A recipient as the outbox stores it
   * (fields as JSON) is parsed where the message is composed, off the engine's thread.
   */
  async compose(recipient: RecipientToCompose, messageId: string): Promise<ComposedMessage> {
    const w = this.pick() ?? (await this.warmOneUp());
    if (w) {
      const id = this.nextId++;
      try {
        return await new Promise<ComposedMessage>((resolve, reject) => {
          w.pending.set(id, { resolve, reject });
          w.worker.postMessage({ id, recipient, messageId });
        });
      } catch (err) {
        if (!(err instanceof PostroomError && err.message === STOPPED)) throw err;
      }
    }
    return this.composer().compose(mergeRecipient(recipient), messageId);
  }

  /** How many worker threads compose (0: on this thread), for tests and the benchmark's report. */
  async workersInUse(): Promise<number> {
    let n = 0;
    for (const w of this.workers) if ((await w.ready) && w.alive) n++;
    return n;
  }

  /** Whether messages are composed on worker threads. */
  async usesWorker(): Promise<boolean> {
    return (await this.workersInUse()) > 0;
  }

  async close(): Promise<void> {
    const all = this.workers;
    this.workers = [];
    await Promise.all(all.map((w) => (w.alive = false, w.worker.terminate())));
  }
}
