/**
 * Group commit: the writes the connections ask for within one turn of the event loop go into one IMMEDIATE
 * transaction, so one fsync (`synchronous=FULL`) covers several connections' acceptances. Each caller's promise
 * resolves only after the transaction holding its write is on disk: a connection awaits it before handing the
 * relay its next message.
 *
 * While other connections have a message with a near relay, their answers (and so their writes) are moments
 * away: the commit sleeps until the last of them is back (the engine pokes it), at most what a commit costs (the
 * break-even: a wait that saves a commit costs no more than the commit would; 1-2 ms with timer resolution), so
 * that one fsync covers more connections instead of the connections taking turns at it.
 *
 * The fsync itself runs off this thread: each group transaction commits to the WAL without syncing
 * (`synchronous=NORMAL` for that transaction only), then `fdatasync` of the WAL file runs on a libuv thread, and
 * the callers' promises resolve only when a sync that began after their commit has finished: as durable as a
 * FULL commit (the WAL holds the commit, synced to disk) before anyone counts on it. Meanwhile this thread goes
 * on with the other connections' replies, claims and progress; the writes asked for during a sync are committed
 * together when it ends, and covered by the next. Where the WAL can't be opened, each commit syncs itself (`synchronous=FULL`).
 */
import fs from 'node:fs';
import type { Db } from '../store/db';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class Committer {
  private queue: Pending[] = [];
  /** A commit is due: at the next turn (`soon`), or when the connections being waited for are back (`timer`). */
  private scheduled = false;
  private soon: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** After SQLITE_BUSY: the same writes again in a moment. */
  private retry: NodeJS.Timeout | null = null;
  private firstAt = 0;
  private avgCommitMs = 0;
  /** Time spent inside commits (ms) and how many commits / writes / WAL syncs, for the benchmark's breakdown. */
  readonly stats = { commitMs: 0, commits: 0, writes: 0, syncs: 0 };
  /** The WAL file's descriptor (null: commits sync themselves; undefined: not opened yet). */
  private walFd: number | null | undefined;
  /** Commits made since the running sync began: the next sync covers them. */
  private unsynced: Array<(syncError?: unknown) => void> = [];
  private syncing = false;
  private avgSyncMs = 0;
  private closed = false;

  /**
   * `othersInFlight`: how many writers will ask soon (connections with a message at the relay). `maxHoldMs`:
   * how long a commit may wait for them; by default what a commit costs, at most 2 ms (tests set it).
   */
  constructor(
    private readonly db: Db,
    private readonly othersInFlight: () => number = () => 0,
    private readonly maxHoldMs?: number,
  ) {}

  /** Runs `fn` inside the next group transaction; resolves with its result once that transaction is committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.firstAt = performance.now();
      }
      this.decide();
    });
  }

  /** A connection got its answer from the relay: a commit that was waiting for it may go now. */
  poke(): void {
    if (this.scheduled) this.decide();
  }

  /**
   * Commits at the next turn of the event loop (so the writes asked for in this turn join) when no other
   * connection has a message with the relay, or when waiting has lasted a commit's time; otherwise sleeps until
   * the last of them is back (poke) or that time is up. Sleeping, not polling: a busy wait would take the CPU
   * from the compose worker and the relay.
   */
  private decide(): void {
    // While the WAL is being synced, writes wait for it to end before they commit: they couldn't be on disk any
    // sooner, and committed together they write each page once (a commit per write wrote the same pages again).
    if (this.soon || this.retry || this.syncing) return;
    // What a commit costs includes the sync it waits for, off the thread or not.
    const bound = this.maxHoldMs ?? Math.min(2, this.avgCommitMs + this.avgSyncMs);
    if (this.othersInFlight() === 0 || performance.now() - this.firstAt >= bound) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.soon = setImmediate(() => this.flush());
      return;
    }
    // Timers have millisecond resolution: the wait ends at the last answer, or after 1-2 ms at most.
    this.timer ??= setTimeout(() => this.flush(), bound);
  }

  private flush(): void {
    if (this.soon) clearImmediate(this.soon);
    if (this.timer) clearTimeout(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.soon = null;
    this.timer = null;
    this.retry = null;
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const t0 = performance.now();
    const offThread = this.wal() !== null;
    let results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
    try {
      // (exec, not a prepared statement: SQLite applies this pragma when compiling it, not when running it again.)
      if (offThread) this.db.exec('PRAGMA synchronous = NORMAL');
      results = this.db
        .transaction(() =>
          batch.map((p) => {
            try {
              return { ok: true as const, value: p.fn() };
            } catch (error) {
              return { ok: false as const, error };
            }
          }),
        )
        .immediate();
    } catch (error) {
      // Another process held the database longer than busy_timeout (a big import): nothing was written, so the
      // same writes are tried again shortly rather than failing the campaign.
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        this.queue = [...batch, ...this.queue];
        this.scheduled = true;
        this.firstAt = performance.now();
        // New writes wait for this retry (decide leaves it be) and go with it.
        this.retry = setTimeout(() => this.flush(), 100);
        return;
      }
      for (const p of batch) p.reject(error);
      return;
    } finally {
      if (offThread) this.db.exec('PRAGMA synchronous = FULL');
      const ms = performance.now() - t0;
      this.avgCommitMs = this.avgCommitMs ? this.avgCommitMs * 0.9 + ms * 0.1 : ms;
      this.stats.commitMs += ms;
      this.stats.commits++;
      this.stats.writes += batch.length;
    }
    const settle = (syncError?: unknown) =>
      batch.forEach((p, i) => {
        const r = results[i]!;
        if (syncError) p.reject(syncError);
        else if (r.ok) p.resolve(r.value);
        else p.reject(r.error);
      });
    if (!offThread) return settle();
    this.unsynced.push(settle);
    this.sync();
  }

  /** The WAL file, opened once; null when the database has none (not in WAL mode) or it can't be opened. */
  private wal(): number | null {
    if (this.walFd !== undefined) return this.walFd;
    this.walFd = null;
    try {
      if (!this.closed && String(this.db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') this.walFd = fs.openSync(`${this.db.name}-wal`, 'r+');
    } catch {
      // No WAL to sync from here: every commit syncs itself.
    }
    return this.walFd;
  }

  /** Syncs the WAL for the commits made so far, off this thread; those made meanwhile wait for the next sync. */
  private sync(): void {
    if (this.syncing || this.unsynced.length === 0 || this.walFd == null) return;
    const covered = this.unsynced;
    this.unsynced = [];
    this.syncing = true;
    this.stats.syncs++;
    const t0 = performance.now();
    fs.fdatasync(this.walFd, (err) => {
      this.syncing = false;
      const ms = performance.now() - t0;
      this.avgSyncMs = this.avgSyncMs ? this.avgSyncMs * 0.9 + ms * 0.1 : ms;
      // A failed sync (a failing disk): those writes can't be counted on, so their callers get the error.
      for (const settle of covered) settle(err ?? undefined);
      if (this.unsynced.length) this.sync();
      else if (this.closed) this.closeWal();
      if (this.scheduled) this.decide();
    });
  }

  /** Closes the WAL file once the last sync is done (the commits still waiting for one get it first). */
  close(): void {
    this.closed = true;
    if (!this.syncing && this.unsynced.length === 0) this.closeWal();
  }

  private closeWal(): void {
    if (this.walFd == null) return;
    const fd = this.walFd;
    this.walFd = null;
    fs.close(fd, () => undefined);
  }
}
