/**
 * Group commit: the writes the connections ask for within one turn of the event loop go into one IMMEDIATE
 * transaction, so one fsync (`synchronous=FULL`) covers several connections' acceptances. Each caller's promise
 * resolves only after the transaction holding its write is on disk: a connection awaits it before handing the
 * relay its next message.
 *
 * While other connections have a message with the relay, their answers (and so their writes) are moments away:
 * the commit waits for them a little — at most what a commit costs (the break-even: a wait that saves a commit
 * costs no more than the commit would), and never more than 2 ms — so that one fsync covers more connections
 * instead of the connections taking turns at it.
 */
import type { Db } from '../store/db';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class Committer {
  private queue: Pending[] = [];
  private scheduled = false;
  private firstAt = 0;
  private avgCommitMs = 0;
  /** Time spent inside commits (ms) and how many commits / writes, for the benchmark's breakdown. */
  readonly stats = { commitMs: 0, commits: 0, writes: 0 };

  /** `othersInFlight`: how many writers will ask soon (connections with a message at the relay). */
  constructor(
    private readonly db: Db,
    private readonly othersInFlight: () => number = () => 0,
  ) {}

  /** Runs `fn` inside the next group transaction; resolves with its result once that transaction is committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.firstAt = performance.now();
        setImmediate(() => this.maybeFlush());
      }
    });
  }

  private maybeFlush(): void {
    const waited = performance.now() - this.firstAt;
    if (this.othersInFlight() > 0 && waited < Math.min(2, this.avgCommitMs)) {
      setImmediate(() => this.maybeFlush());
      return;
    }
    this.flush();
  }

  private flush(): void {
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
        if (!this.scheduled) {
          this.scheduled = true;
          this.firstAt = performance.now();
          setTimeout(() => this.flush(), 100);
        }
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
