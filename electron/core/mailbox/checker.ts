/**
 * One check of a mailbox: reads the messages not read before, classifies them, records each with its effects in
 * one transaction, then moves the recognised ones to the processed folder. Never deletes; leaves what it doesn't
 * recognise where it was, unread (BODY.PEEK).
 *
 * Idempotent across restarts and processes: a message is recorded by mailbox + folder + UIDVALIDITY + UID and by
 * its Message-ID in the same transaction as its effects, so it counts once. The move comes after the commit: a
 * process killed between the two leaves `moved = 0` rows, and the next check finishes those moves first (a move
 * that had already happened finds nothing to move). A process killed before the commit leaves nothing: the
 * messages are read again.
 */
import type { ImapFlow } from 'imapflow';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import type { MailboxCheckResult } from '../../../shared/contract/mailboxes';
import { classifyMessage, type Classification } from './classify';
import { describeImapError, ensureFolder, type MailboxAuth } from './imap';
import { connectMailbox } from './auth';
import { applyEffects, matchFeedback, pauseIfBouncing } from './effects';
import { mailboxError } from './notes';
import { noteOfError } from '../notes';
import { advance, isMoved, markMoved, pendingMoves, recordMessage, setChecked, startUid, type MailboxRecord, type ReadMessage } from './store';

/** Messages larger than this are not downloaded: a report is small; a big message is a person's, left alone. */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

export interface CheckOptions {
  /** Messages fetched, recorded and moved together (one transaction, one MOVE). */
  batchSize?: number;
  /** The login to use instead of the stored one (a test with a draft password). */
  auth?: MailboxAuth;
  env?: NodeJS.ProcessEnv;
  /** Called after a batch is committed and before it is moved (tests stop the process here). */
  afterCommit?: (batch: number) => void | Promise<void>;
  /** Where the time goes, in ms per stage (benchmarks read it). */
  timings?: CheckTimings;
}

export interface CheckTimings {
  list: number;
  fetch: number;
  classify: number;
  commit: number;
  move: number;
}

export function emptyResult(mailbox: string): MailboxCheckResult {
  return { mailbox, read: 0, bounces: { hard: 0, soft: 0 }, complaints: 0, unsubscribes: 0, autoReplies: 0, unrecognised: 0, suppressed: 0, paused: [] };
}

function count(r: MailboxCheckResult, kind: ReadMessage['kind']): void {
  r.read++;
  switch (kind) {
    case 'hard':
      r.bounces.hard++;
      break;
    case 'soft':
    case 'delayed':
      r.bounces.soft++;
      break;
    case 'complaint':
      r.complaints++;
      break;
    case 'unsubscribe':
      r.unsubscribes++;
      break;
    case 'auto-reply':
      r.autoReplies++;
      break;
    case 'unrecognised':
      r.unrecognised++;
      break;
  }
}

/** Checks one mailbox once. Records the time and, on failure, the reason (shown on the relay page). */
export async function checkMailbox(ctx: CoreContext, m: MailboxRecord, opts: CheckOptions = {}): Promise<MailboxCheckResult> {
  let client: ImapFlow | null = null;
  try {
    client = await connectMailbox(ctx, m, { ...(opts.auth ? { auth: opts.auth } : {}), ...(opts.env ? { env: opts.env } : {}) });
    const result = await readFolder(ctx, client, m, opts);
    setChecked(ctx.db, m.id, ctx.clock.now(), null);
    return result;
  } catch (err) {
    const e = err instanceof PostroomError ? err : describeImapError(err, m);
    setChecked(ctx.db, m.id, ctx.clock.now(), e.message, noteOfError(e));
    throw e;
  } finally {
    if (client) await client.logout().catch(() => client?.close());
  }
}

async function readFolder(ctx: CoreContext, client: ImapFlow, m: MailboxRecord, opts: CheckOptions): Promise<MailboxCheckResult> {
  const { db } = ctx;
  const result = emptyResult(m.name);
  let lock;
  try {
    lock = await client.getMailboxLock(m.folder);
  } catch (err) {
    const e = err as { serverResponseCode?: string; responseText?: string };
    if (e.serverResponseCode === 'NONEXISTENT' || /doesn't exist|does not exist|not found|unknown mailbox/i.test(e.responseText ?? '')) {
      throw mailboxError('NOT_FOUND.mailboxFolder', { mailbox: m.name, folder: m.folder });
    }
    throw describeImapError(err, m);
  }
  try {
    const box = client.mailbox;
    if (!box) throw mailboxError('NOT_FOUND.mailboxFolderOpen', { mailbox: m.name, folder: m.folder });
    const uidValidity = Number(box.uidValidity);
    let processed: string | null = null;
    const processedPath = async () => (processed ??= await ensureFolder(client, m.processedFolder));
    const move = async (rows: Array<{ rowId: number; uid: number }>) => {
      if (!rows.length) return;
      await client.messageMove(rows.map((r) => r.uid).join(','), await processedPath(), { uid: true });
      markMoved(
        db,
        rows.map((r) => r.rowId),
      );
    };

    // First what an earlier run recorded but didn't get to move (it stopped between its commit and its MOVE).
    const pending = pendingMoves(db, m.id, m.folder);
    await move(pending.filter((p) => p.uidValidity === uidValidity));
    markMoved(
      db,
      pending.filter((p) => p.uidValidity !== uidValidity).map((p) => p.rowId), // renumbered: those UIDs name nothing now
    );

    const start = startUid(db, m.id, uidValidity);
    if (box.uidNext !== undefined && Number(box.uidNext) <= start) return result;
    // `n:*` always includes the last message, even below n (RFC 3501 §6.4.8): filtered out here.
    const t = opts.timings;
    const lap = (stage: keyof CheckTimings, since: number) => {
      if (t) t[stage] += performance.now() - since;
      return performance.now();
    };
    let mark = performance.now();
    const listing = (await client.fetchAll(`${start}:*`, { uid: true, size: true }, { uid: true })).filter((x) => x.uid >= start).sort((a, b) => a.uid - b.uid);
    mark = lap('list', mark);
    const batchSize = opts.batchSize ?? 200;
    const touched = new Set<number>();
    const chunks: Array<typeof listing> = [];
    for (let i = 0; i < listing.length; i += batchSize) chunks.push(listing.slice(i, i + batchSize));
    // The next batch is fetched, and the last one moved, while this one is classified: the server works while we do.
    // A MOVE still comes only after its batch's commit, and is recorded only once it happened.
    const fetchChunk = (chunk: typeof listing) => {
      const small = chunk.filter((x) => (x.size ?? 0) <= MAX_REPORT_BYTES).map((x) => x.uid);
      const p = small.length ? client.fetchAll(small.join(','), { uid: true, source: true, internalDate: true }, { uid: true }) : Promise.resolve([]);
      p.catch(() => undefined); // awaited in its turn; this only keeps a failure meanwhile from going unhandled
      return p;
    };
    let nextFetch = chunks.length ? fetchChunk(chunks[0]!) : null;
    let moving: Promise<void> = Promise.resolve();
    for (let n = 0; n < chunks.length; n++) {
      const chunk = chunks[n]!;
      const fetched = await nextFetch!;
      nextFetch = n + 1 < chunks.length ? fetchChunk(chunks[n + 1]!) : null;
      const byUid = new Map(fetched.map((f) => [f.uid, f]));
      mark = lap('fetch', mark);
      const classified: Array<{ uid: number; c: Classification | null; at: number }> = [];
      for (const x of chunk) {
        const f = byUid.get(x.uid);
        const at = f?.internalDate ? new Date(f.internalDate).getTime() : ctx.clock.now();
        classified.push({ uid: x.uid, c: f?.source ? await classifyMessage(f.source) : null, at: Number.isFinite(at) ? at : ctx.clock.now() });
      }
      mark = lap('classify', mark);
      const toMove: Array<{ rowId: number; uid: number }> = [];
      const now = ctx.clock.now();
      db.transaction(() => {
        for (const { uid, c, at } of classified) {
          const feedback = c ? matchFeedback(db, c, now) : [];
          // A report about mail Postroom didn't send (a person's own mail bounced) is theirs to read.
          const kind = c && feedback.length ? c.kind : 'unrecognised';
          const read: ReadMessage = { uid, messageId: c?.messageId ?? null, kind, at, feedback: kind === 'unrecognised' ? [] : feedback };
          const r = recordMessage(db, m.id, m.folder, uidValidity, read, now);
          if (r.outcome === 'known') {
            if (!isMoved(db, r.rowId)) toMove.push({ rowId: r.rowId, uid });
            continue;
          }
          // A Message-ID read before, under another UID: the folder was renumbered (a new UIDVALIDITY) or the
          // same report came twice. Read once means counted once; a recognised copy still goes to the processed folder.
          if (r.outcome === 'duplicate') {
            if (kind !== 'unrecognised') toMove.push({ rowId: r.rowId, uid });
            continue;
          }
          count(result, kind);
          if (kind === 'unrecognised') continue;
          toMove.push({ rowId: r.rowId, uid });
          if (r.outcome === 'new') {
            result.suppressed += applyEffects(db, read, now);
            for (const f of read.feedback) if (f.kind === 'hard' && f.campaignId !== null) touched.add(f.campaignId);
          }
        }
        advance(db, m.id, uidValidity, chunk[chunk.length - 1]!.uid);
      }).immediate();
      mark = lap('commit', mark);
      await opts.afterCommit?.(n);
      moving = moving.then(() => move(toMove));
      moving.catch(() => undefined); // awaited below
    }
    await moving;
    mark = lap('move', mark);
    for (const id of touched) {
      const paused = pauseIfBouncing(db, id, ctx.clock.now());
      if (paused) result.paused.push(paused);
    }
    return result;
  } finally {
    lock.release();
  }
}

/** What changed, in a sentence for a notification; null when nothing did. */
export function describeCheck(r: MailboxCheckResult): string | null {
  const parts: string[] = [];
  const n = (x: number, one: string, many: string) => `${x} ${x === 1 ? one : many}`;
  if (r.bounces.hard) parts.push(n(r.bounces.hard, 'bounce', 'bounces'));
  if (r.bounces.soft) parts.push(n(r.bounces.soft, 'temporary failure', 'temporary failures'));
  if (r.complaints) parts.push(n(r.complaints, 'complaint', 'complaints'));
  if (r.unsubscribes) parts.push(n(r.unsubscribes, 'unsubscribe request', 'unsubscribe requests'));
  if (!parts.length && !r.paused.length) return null;
  let s = parts.length ? `${parts.join(', ')} came back to ${r.mailbox}` : `Checked ${r.mailbox}`;
  if (r.suppressed) s += `; ${n(r.suppressed, 'address', 'addresses')} won't be mailed again`;
  s += '.';
  for (const c of r.paused) s += ` Campaign "${c}" paused: too many of its messages bounced.`;
  return s;
}
