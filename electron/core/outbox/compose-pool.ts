/**
 * Composition off the engine's thread: a worker thread (compose-worker.ts) composes messages while the engine's
 * thread talks SMTP and commits. When no worker can be used (the file isn't built, the desktop app's keychain
 * secrets, the worker fails to start), it composes on this thread with the same composer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CoreContext } from '../context';
import type { CampaignComposeOptions, CampaignComposer, ComposedMessage, MergeRecipient } from '../compose';
import { PostroomError, ErrorCode } from '../../../shared/result';
import type { ComposeReply, ComposeWorkerData, WorkerHello } from './compose-worker';

/** Where the built worker sits next to the bundle (dist/compose-worker.cjs), or null. */
export function defaultWorkerFile(): string | null {
  const file = path.join(__dirname, 'compose-worker.cjs');
  return fs.existsSync(file) ? file : null;
}

export class ComposePool {
  private worker: Worker | null = null;
  private ready: Promise<boolean> = Promise.resolve(false);
  private nextId = 1;
  /** Why the worker isn't used, when it was tried and failed. */
  failure: string | null = null;
  private readonly pending = new Map<number, { resolve: (m: ComposedMessage) => void; reject: (e: unknown) => void }>();

  constructor(
    ctx: CoreContext,
    options: CampaignComposeOptions,
    private readonly local: CampaignComposer,
    workerFile: string | null,
  ) {
    // The desktop app's secrets live in the OS keychain, which a worker can't reach.
    if (!workerFile || ctx.host === 'desktop') return;
    const data: ComposeWorkerData = { dataDir: ctx.dataDir, host: ctx.host, options };
    let worker: Worker;
    try {
      worker = new Worker(workerFile, { workerData: { postroomCompose: data } });
    } catch {
      return;
    }
    worker.unref();
    this.worker = worker;
    this.ready = new Promise<boolean>((resolve) => {
      const fail = (why: string) => {
        this.failure = why;
        this.dropWorker();
        resolve(false);
      };
      worker.once('message', (hello: WorkerHello) => {
        if (!hello.ready) return fail(hello.message);
        worker.on('message', (reply: ComposeReply) => this.answer(reply));
        resolve(true);
      });
      worker.once('error', (err) => fail(err.message));
    });
    worker.on('error', () => this.dropWorker());
    worker.on('exit', () => this.dropWorker());
  }

  private answer(reply: ComposeReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      p.resolve({ raw: Buffer.from(reply.raw.buffer, reply.raw.byteOffset, reply.raw.byteLength), envelope: reply.envelope, messageId: reply.messageId, subject: reply.subject });
    } else {
      const code = ErrorCode.safeParse(reply.code);
      p.reject(new PostroomError(code.success ? code.data : 'INTERNAL', reply.message));
    }
  }

  /** A worker that died: what it had in hand is composed here instead. */
  private dropWorker(): void {
    if (!this.worker) return;
    const w = this.worker;
    this.worker = null;
    void w.terminate();
    this.ready = Promise.resolve(false);
    const orphans = [...this.pending.values()];
    this.pending.clear();
    for (const o of orphans) o.reject(new PostroomError('INTERNAL', 'The compose worker stopped.'));
  }

  async compose(recipient: MergeRecipient, messageId: string): Promise<ComposedMessage> {
    if (this.worker && (await this.ready) && this.worker) {
      const id = this.nextId++;
      const w = this.worker;
      try {
        return await new Promise<ComposedMessage>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          w.postMessage({ id, recipient, messageId });
        });
      } catch (err) {
        if (!(err instanceof PostroomError && err.message === 'The compose worker stopped.')) throw err;
      }
    }
    return this.local.compose(recipient, messageId);
  }

  /** Whether messages are composed on a worker thread (for the benchmark's report). */
  async usesWorker(): Promise<boolean> {
    return (await this.ready) && this.worker !== null;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
