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
 */
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
  /** Time spent inside commits (ms) and how many commits / writes, for the benchmark's breakdown. */
  readonly stats = { commitMs: 0, commits: 0, writes: 0 };

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
    if (this.soon || this.retry) return;
    const bound = this.maxHoldMs ?? Math.min(2, this.avgCommitMs);
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
    let results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
    try {
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
      const ms = performance.now() - t0;
      this.avgCommitMs = this.avgCommitMs ? this.avgCommitMs * 0.9 + ms * 0.1 : ms;
      this.stats.commitMs += ms;
      this.stats.commits++;
      this.stats.writes += batch.length;
    }
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.resolve(r.value);
      else p.reject(r.error);
    });
  }
}
