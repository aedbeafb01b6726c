/**
 * Group commit: the writes the connections ask for within one turn of the event loop go into one IMMEDIATE
 * transaction, so one fsync (`synchronous=FULL`) covers several connections' acceptances. Each caller's promise
 * resolves only after the transaction holding its write is on disk: a connection awaits it before handing the
 * relay its next message.
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
  /** Time spent inside commits (ms) and how many commits / writes, for the benchmark's breakdown. */
  readonly stats = { commitMs: 0, commits: 0, writes: 0 };

  constructor(private readonly db: Db) {}

  /** Runs `fn` inside the next group transaction; resolves with its result once that transaction is committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
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
      for (const p of batch) p.reject(error);
      return;
    } finally {
      this.stats.commitMs += performance.now() - t0;
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
