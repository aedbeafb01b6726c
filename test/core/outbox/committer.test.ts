import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/store/db';
import { Committer } from '../../../electron/core/outbox/committer';
import { tempDir } from '../../helpers';

describe('the group committer', () => {
  it('commits the writes asked for in one turn together, and each caller gets its own result', async () => {
    const db = openDatabase(tempDir());
    db.exec(`CREATE TABLE t (v INTEGER)`);
    const c = new Committer(db);
    const results = await Promise.all([1, 2, 3].map((v) => c.run(() => db.prepare(`INSERT INTO t VALUES (?)`).run(v).changes * v)));
    expect(results).toEqual([1, 2, 3]);
    expect(c.stats).toMatchObject({ commits: 1, writes: 3 });
    db.close();
  });

  it('holds a commit while another connection is at the relay and takes its write along when it is back', async () => {
    const db = openDatabase(tempDir());
    db.exec(`CREATE TABLE t (v INTEGER)`);
    let inFlight = 0;
    // A long hold, so that the test does not depend on how fast this machine gets through a turn or two.
    const c = new Committer(db, () => inFlight, 10_000);
    await c.run(() => db.prepare(`INSERT INTO t VALUES (0)`).run());
    inFlight = 1;
    const first = c.run(() => db.prepare(`INSERT INTO t VALUES (1)`).run().changes);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(c.stats.commits).toBe(1); // still held for the other connection
    inFlight = 0; // the other connection's answer came: it asks for its write
    c.poke();
    const second = c.run(() => db.prepare(`INSERT INTO t VALUES (2)`).run().changes);
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(c.stats).toMatchObject({ commits: 2, writes: 3 });
    db.close();
  });

  it('holds a commit no longer than its bound when the other connection is slow to answer', async () => {
    const db = openDatabase(tempDir());
    db.exec(`CREATE TABLE t (v INTEGER)`);
    const c = new Committer(db, () => 1, 20);
    const t0 = performance.now();
    expect(await c.run(() => db.prepare(`INSERT INTO t VALUES (1)`).run().changes)).toBe(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
    expect(c.stats).toMatchObject({ commits: 1, writes: 1 });
    db.close();
  });

  it('waits out another process holding the database instead of failing', async () => {
    const dir = tempDir();
    const db = openDatabase(dir, { busyTimeoutMs: 20 });
    db.exec(`CREATE TABLE t (v INTEGER)`);
    const other = openDatabase(dir);
    other.exec('BEGIN IMMEDIATE');
    const c = new Committer(db);
    const done = c.run(() => db.prepare(`INSERT INTO t VALUES (1)`).run().changes);
    await new Promise((r) => setTimeout(r, 300));
    other.exec('COMMIT');
    expect(await done).toBe(1);
    expect(db.prepare(`SELECT count(*) AS n FROM t`).get()).toEqual({ n: 1 });
    db.close();
    other.close();
  });

  it('counts a write as done only once the WAL holding it is synced, the sync running off this thread', async () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    db.exec(`CREATE TABLE t (v INTEGER)`);
    const other = openDatabase(dir);
    const c = new Committer(db);
    let done = false;
    let modeInside: unknown;
    const write = c
      .run(() => ((modeInside = db.pragma('synchronous', { simple: true })), db.prepare(`INSERT INTO t VALUES (1)`).run().changes))
      .then((n) => ((done = true), n));
    await new Promise((r) => setImmediate(r)); // the group transaction commits in this turn
    expect(other.prepare(`SELECT count(*) AS n FROM t`).get()).toEqual({ n: 1 }); // committed, in the WAL
    expect(done).toBe(false); // but not counted until the sync of the WAL is back
    expect(await write).toBe(1);
    expect(c.stats).toMatchObject({ commits: 1, syncs: 1 });
    expect(modeInside).toBe(1); // NORMAL: no fsync inside the commit
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL again for every other write on the connection
    expect(await c.run(() => db.pragma('synchronous', { simple: true }))).toBe(1); // and NORMAL again for the next
    c.close();
    db.close();
    other.close();
  });

  it('commits with their own fsync where the database has no WAL', async () => {
    const db = openDatabase(tempDir());
    db.pragma('journal_mode = DELETE');
    db.exec(`CREATE TABLE t (v INTEGER)`);
    const c = new Committer(db);
    expect(await c.run(() => db.prepare(`INSERT INTO t VALUES (1)`).run().changes)).toBe(1);
    expect(c.stats).toMatchObject({ commits: 1, syncs: 0 });
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    c.close();
    db.close();
  });
});
