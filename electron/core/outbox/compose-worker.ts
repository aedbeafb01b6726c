/**
 * The compose worker: a worker thread that merges and writes messages (prepareComposer/compose) so that
 * composition, the most CPU-hungry step, runs beside the engine's thread instead of on it. Built to
 * dist/compose-worker.cjs; the engine falls back to composing on its own thread when the file isn't there.
 *
 * It opens its own connection to the database (read only in practice: templates, DKIM keys) and unseals secrets
 * with the data folder's key file, so it is used only where the host's SecretBox keeps its key in that file (not
 * where the OS keychain seals it: the desktop app's safeStorage).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/db';
import { EventBus } from '../events';
import { systemClock, type CoreContext, type HostKind } from '../context';
import { fileSecretBox } from '../secrets';
import { mergeRecipient, prepareComposer, warmUpComposing, type CampaignComposeOptions, type CampaignComposer, type PreparedLayout, type RecipientToCompose } from '../compose';
import { PostroomError } from '../../../shared/errors';
import { VERSION } from '../version';
import { dotStuffed } from '../relay/dot-stuffing';

/** The campaign a compose worker composes for. */
export interface ComposeWorkerSetUp {
  options: CampaignComposeOptions;
  /** The template's layout as the engine made it (null: the worker lays it out). */
  layout: PreparedLayout | null;
}

export interface ComposeWorkerData {
  dataDir: string;
  host: HostKind;
  /** Absent for a worker started ahead of its campaign (compose-pool.ts, WarmComposeWorkers): it comes as the first message. */
  campaign?: ComposeWorkerSetUp;
}

export type ComposeRequest = { id: number; recipient: RecipientToCompose; messageId: string };

export type ComposeReply =
  | {
      id: number;
      ok: true;
      raw: Uint8Array;
      /** The message dot-stuffed for DATA: `raw` itself (no line starts with a dot), other bytes, or null (see dotStuffed). */
      stuffed: 'raw' | Uint8Array | null;
      envelope: { from: string; to: string[] };
      messageId: string;
      subject: string;
    }
  | { id: number; ok: false; code: string; message: string };
export type WorkerHello = { ready: true } | { ready: false; message: string };

function start(port: NonNullable<typeof parentPort>, data: ComposeWorkerData): void {
  let ctx: CoreContext | null = null;
  let failure: unknown = null;
  try {
    ctx = {
      db: openDatabase(data.dataDir),
      dataDir: data.dataDir,
      // Nobody listens to a compose worker's events (composing emits none): a bus without the contract's check,
      // so that the worker doesn't load zod and every schema (~0.1 s of its start, which a send waits for).
      events: new EventBus(),
      clock: systemClock,
      secrets: fileSecretBox(data.dataDir),
      host: data.host,
      version: VERSION,
    };
  } catch (err) {
    failure = err;
  }
  const composeFor = (setUp: ComposeWorkerSetUp) => {
    try {
      if (!ctx) throw failure;
      serve(port, prepareComposer(ctx, setUp.options, setUp.layout));
    } catch (err) {
      port.postMessage({ ready: false, message: (err as Error).message } satisfies WorkerHello);
    }
  };
  if (data.campaign) return composeFor(data.campaign);
  // Started ahead of its campaign: loads what every message needs meanwhile, then waits to be told the campaign.
  try {
    warmUpComposing();
  } catch {
    // nothing lost: the first message loads it
  }
  port.once('message', composeFor);
}

function serve(port: NonNullable<typeof parentPort>, composer: CampaignComposer): void {
  port.postMessage({ ready: true } satisfies WorkerHello);
  port.on('message', (req: ComposeRequest) => {
    // (Through a promise, so that fields that aren't JSON are answered like any other failure.)
    Promise.resolve(req.recipient).then(mergeRecipient).then((r) => composer.compose(r, req.messageId)).then(
      (m) => {
        const raw = new Uint8Array(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
        // Dot-stuffed here, off the engine's thread (the engine's thread bounds a send: ~2.5 % of it went to this).
        const s = dotStuffed(m.raw);
        const stuffed = s === m.raw ? 'raw' : s && new Uint8Array(s.buffer, s.byteOffset, s.byteLength);
        const reply: ComposeReply = { id: req.id, ok: true, raw, stuffed, envelope: m.envelope, messageId: m.messageId, subject: m.subject };
        // Bytes that own their memory are handed over instead of copied (small ones share Node's buffer pool).
        const owns = (b: Buffer) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
        const transfer = [m.raw, ...(s && s !== m.raw ? [s] : [])].filter(owns).map((b) => b.buffer as ArrayBuffer);
        port.postMessage(reply, transfer);
      },
      (err: unknown) => {
        const reply: ComposeReply = { id: req.id, ok: false, code: err instanceof PostroomError ? err.code : 'INTERNAL', message: (err as Error)?.message ?? String(err) };
        port.postMessage(reply);
      },
    );
  });
}

if (parentPort && (workerData as { postroomCompose?: ComposeWorkerData } | null)?.postroomCompose) {
  start(parentPort, (workerData as { postroomCompose: ComposeWorkerData }).postroomCompose);
}
