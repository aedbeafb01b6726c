/**
 * Recipients of lists: browsing with search and paging, removal, and the staging area an import writes to.
 *
 * An import never writes to the list it imports into while it reads the file. It stages the rows it accepts in a
 * hidden list of its own (`StagingList`), in batches of short transactions (the rows live in SQLite, not in
 * memory, whatever the file's size). Only when the whole file has been read does `commit` make them part of the
 * list, in one transaction: so a cancelled or failed import leaves the list exactly as it was, and other
 * processes sharing the database (a `postroom send` draining the outbox) are held up only for short moments.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import type { Db } from './db';
import { PostroomError } from '../../../shared/errors';
import type { ListStats, Recipient, RecipientPage } from '../../../shared/contract/recipients';
import type { PackedRows } from './packed-rows';
import { emailKey } from './suppressions';

interface RecipientRow {
  id: number;
  email: string;
  name: string | null;
  fields: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * Matches the address, the name or any field value. The raw JSON text is tested first (cheap, and most rows fail
 * it); only rows that pass are looked at value by value, so that a field's name ("first_name") doesn't match.
 */
function searchClause(search: string): string {
  return search
    ? `AND (instr(r.email_key, @s) > 0 OR instr(lower(r.email), @s) > 0 OR instr(lower(coalesce(r.name, '')), @s) > 0
            OR (instr(lower(r.fields), @s) > 0 AND EXISTS (SELECT 1 FROM json_each(r.fields) j WHERE instr(lower(j.value), @s) > 0)))`
    : '';
}

/** One page of a list's recipients ordered by address, optionally only those matching `search` (case-insensitive). */
export function recipientPage(db: Db, listId: number, opts: { search?: string; offset?: number; limit?: number } = {}): RecipientPage {
  const search = opts.search?.trim().toLowerCase() ?? '';
  const where = `WHERE r.list_id = @list ${searchClause(search)}`;
  const base = search ? { list: listId, s: search } : { list: listId };
  const offset = opts.offset ?? 0;
  const total = db.prepare(`SELECT count(*) FROM recipients r ${where}`).pluck().get(base) as number;
  const rows = db
    .prepare(
      `SELECT r.id, r.email, r.name, r.fields, r.created_at AS createdAt, r.updated_at AS updatedAt
         FROM recipients r ${where} ORDER BY r.email_key LIMIT @limit OFFSET @offset`,
    )
    .all({ ...base, limit: opts.limit ?? 100, offset }) as RecipientRow[];
  return { total, offset, recipients: rows.map(toRecipient) };
}

function toRecipient(r: RecipientRow): Recipient {
  return { ...r, fields: JSON.parse(r.fields) as Record<string, string> };
}

/** Every recipient of a list in address order, a page at a time (for exports and the command line). */
export function* eachRecipient(db: Db, listId: number, search?: string, pageSize = 1000): Generator<Recipient> {
  for (let offset = 0; ; offset += pageSize) {
    const page = recipientPage(db, listId, { search, offset, limit: pageSize });
    yield* page.recipients;
    if (page.recipients.length < pageSize) return;
  }
}

/** What JavaScript's `trim()` removes, for SQLite's `trim(X, Y)` (whose default is only the space). */
const WHITESPACE = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const SAMPLE = 5;

/** Recipients counted per step of `listStats`: short enough that other requests don't wait long (list-stats bench). */
const STATS_STEP = 2500;

/**
 * Counts a list: how many, how many are suppressed (joined on the address key, through both tables' unique
 * indexes), and per field how many have it missing or blank. `fields` are the list's merge-field names,
 * normalised by the import to letters, digits and `_`, so each is a plain JSON path label.
 *
 * It goes through the list in address order, STATS_STEP recipients at a time, and lets other work run between
 * steps: a wide list is slow to count (test/bench/README.md, "List counts"), and in one statement it
 * held up every other request of the process for all of it. A list edited meanwhile may be counted partly
 * before and partly after the edit; the window asks again when a list changes.
 */
export async function listStats(db: Db, list: { id: number; fields: string[] }, pause: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<ListStats> {
  // Counted again only when the database changed since the last count of this list: the window's review and then
  // its Send (or `postroom send`'s review and then campaigns:send's own) counted the same list twice, seconds
  // apart (1.7 s each for 100,000 recipients with 30 fields). A count is kept under the state it began in, so one
  // that saw a change while it ran is never answered again (the state only moves on).
  const state = dataState(db);
  const fields = list.fields.join('\n');
  const kept = lastCounts(db).get(list.id);
  if (kept && kept.state === state && kept.fields === fields) return copyOf(kept.stats);
  const stats = await countList(db, list, pause);
  lastCounts(db).set(list.id, { state, fields, stats: copyOf(stats) });
  return stats;
}

/** Each connection's last counts per list, with the database's state they were counted in (see dataState). */
const counts = new WeakMap<Db, Map<number, { state: string; fields: string; stats: ListStats }>>();
function lastCounts(db: Db): Map<number, { state: string; fields: string; stats: ListStats }> {
  let m = counts.get(db);
  if (!m) counts.set(db, (m = new Map()));
  return m;
}

const totalChanges = new WeakMap<Db, Database.Statement>();
/**
 * The database's state as this connection sees it, which any write changes: `data_version` moves with every commit
 * by another connection (another process, an import's staging connection), `total_changes()` with every row this
 * connection inserts, updates or deletes.
 */
function dataState(db: Db): string {
  let st = totalChanges.get(db);
  if (!st) totalChanges.set(db, (st = db.prepare('SELECT total_changes()').pluck()));
  return `${db.pragma('data_version', { simple: true }) as number}:${st.get() as number}`;
}

function copyOf(s: ListStats): ListStats {
  return { ...s, suppressedSample: [...s.suppressedSample], fields: s.fields.map((f) => ({ ...f })) };
}

async function countList(db: Db, list: { id: number; fields: string[] }, pause: () => Promise<void>): Promise<ListStats> {
  const fields = list.fields.filter((f) => f !== 'email');
  const params: Record<string, string | number> = { list: list.id, ws: WHITESPACE };
  const empties = fields.map((f, i) => {
    if (!/^[\p{L}\p{N}_]+$/u.test(f)) throw new PostroomError('INTERNAL', `The list's field "${f}" has a name Postroom can't count; import the list again.`);
    params[`p${i}`] = `$."${f}"`;
    // `name` as a message shows it: the recipient's name, else the name field (see compose/composer.ts).
    const value = f === 'name' ? `coalesce(r.name, json_extract(r.fields, @p${i}))` : `json_extract(r.fields, @p${i})`;
    return `, sum(trim(coalesce(${value}, ''), @ws) = '') AS e${i}`;
  });
  const step = db.prepare(
    `SELECT count(*) AS total, count(s.email_key) AS suppressed, max(r.email_key) AS last ${empties.join('')}
       FROM (SELECT * FROM recipients WHERE list_id = @list AND email_key > @after ORDER BY email_key LIMIT ${STATS_STEP}) r
       LEFT JOIN suppressions s ON s.email_key = r.email_key`,
  );
  let total = 0;
  let suppressed = 0;
  const empty = fields.map(() => 0);
  for (let after = ''; ; ) {
    const row = step.get({ ...params, after }) as Record<string, number | string | null>;
    const n = (row.total as number) ?? 0;
    total += n;
    suppressed += (row.suppressed as number) ?? 0;
    for (let i = 0; i < fields.length; i++) empty[i]! += (row[`e${i}`] as number) ?? 0;
    if (n < STATS_STEP) break;
    after = row.last as string;
    await pause();
  }
  const suppressedSample = suppressed
    ? (db
        .prepare(`SELECT r.email FROM recipients r JOIN suppressions s ON s.email_key = r.email_key WHERE r.list_id = ? ORDER BY r.email_key LIMIT ${SAMPLE}`)
        .pluck()
        .all(list.id) as string[])
    : [];
  return { listId: list.id, total, suppressed, suppressedSample, fields: fields.map((field, i) => ({ field, empty: empty[i]! })) };
}

/** Removes recipients from a list by id; returns how many went. */
export function removeRecipients(db: Db, listId: number, ids: number[]): number {
  const del = db.prepare('DELETE FROM recipients WHERE list_id = ? AND id = ?');
  let removed = 0;
  db.transaction(() => {
    for (const id of ids) removed += del.run(listId, id).changes;
  })();
  return removed;
}

/** What `StagingList.commit` did. */
export interface StageCommit {
  listId: number;
  /** The list's name as it is stored. */
  listName: string;
  imported: number;
  updated: number;
  /** Staged addresses found suppressed at the last moment (suppressed while the import ran). */
  suppressed: Array<{ key: string; email: string }>;
}

/** Who is filling a hidden staging list (kept in `lists.importing`), so an abandoned one can be recognised. */
interface ImportOwner {
  pid: number;
  host: string;
  startedAt: number;
}

const BULK = 100;
const DISCARD_CHUNK = 20_000;

/**
 * The hidden list an import fills while it reads the file (see the top of this file). It is an ordinary row of
 * `lists` with `importing` set (every list query skips those) and a unique name of its own, so its rows go
 * straight into `recipients` under the list's unique (list_id, email_key) index — the same work SQLite's own
 * CSV import does — and committing an import into a new list is a single UPDATE that gives the list its name.
 * Importing into an existing list moves the rows across in the final transaction instead.
 */
export class StagingList {
  readonly id: number;
  /** Rows written so far. */
  staged = 0;
  private readonly insertOne;
  private readonly insertBulk;
  private readonly hasKey;
  /** The bulk statement's parameters, filled anew for each statement. */
  private readonly params: Array<Uint8Array | null> = new Array<Uint8Array | null>(BULK * 4).fill(null);

  /** A handle on the WAL, to flush it in the background while the import runs (see flushWal). */
  private readonly wal: WalHandle = { fd: undefined, syncing: false, closing: false };

  /** The stage's own connection to the database (see the constructor). */
  private readonly db: Db;

  constructor(
    main: Db,
    private readonly now: number,
  ) {
    // Its own connection, with synchronous=NORMAL: in WAL mode its commits then skip the fsync, so the stage can
    // commit every chunk of the file (short write locks, nothing held in memory) at no cost. Losing staged rows
    // in a power cut costs nothing (the import didn't finish anyway); the final commit is made with FULL.
    this.db = new Database(main.name, { fileMustExist: true });
    this.db.pragma(`busy_timeout = ${main.pragma('busy_timeout', { simple: true }) as number}`);
    this.db.pragma('synchronous = NORMAL');
    // A 32 MB page cache (SQLite's default is 2 MB): with addresses in random order every batch lands all over the
    // list's address index, and pages that didn't fit were read back from the WAL again and again. More gains
    // nothing (test/bench/README.md, "Import").
    this.db.pragma('cache_size = -32000');
    // Checkpoint every ~40 MB of WAL rather than every 4 MB: each checkpoint syncs the database file, and a big
    // import would otherwise pay hundreds of them (test/bench/README.md, "Import"). The WAL
    // file is trimmed back to 64 MB at most afterwards.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('journal_size_limit = 67108864');
    // No foreign-key check per staged row (a lookup of the list for each of a million rows): the rows can only name this stage's own list, created just below, and
    // `commit` makes sure it is still there before anything becomes part of a list (with checks back on).
    this.db.pragma('foreign_keys = OFF');
    const db = this.db;
    const owner: ImportOwner = { pid: process.pid, host: os.hostname(), startedAt: now };
    this.id = Number(
      db
        .prepare("INSERT INTO lists (name, fields, importing, created_at, updated_at) VALUES (?, '[]', ?, ?, ?)")
        .run(`(import in progress) ${crypto.randomUUID()}`, JSON.stringify(owner), now, now).lastInsertRowid,
    );
    // Values come as UTF-8 bytes (see PackedRows): the casts store them as the TEXT they are.
    const values = `(${this.id}, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), ${Math.trunc(now)}, ${Math.trunc(now)})`;
    // OR FAIL: no statement journal. With the default (ABORT), SQLite copies every page a statement changes to a
    // temporary journal first, to undo that one statement on a conflict; with addresses in random order (a real
    // list) a statement of 100 rows changes some 100 pages of the address index, and those copies came to
    // hundreds of MB (test/bench/README.md, "Import"). Here nothing needs undoing statement by
    // statement: the keys are unique by construction, and any error rolls back the whole transaction.
    const insert = 'INSERT OR FAIL INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES ';
    this.insertOne = db.prepare(insert + values);
    this.insertBulk = db.prepare(insert + Array(BULK).fill(values).join(', '));
    this.hasKey = db.prepare('SELECT 1 FROM recipients WHERE list_id = ? AND email_key = ?').pluck();
  }

  /** Is this address key already staged? */
  has(key: string): boolean {
    return this.hasKey.get(this.id, key) !== undefined;
  }

  /**
   * Writes packed rows `picks` (indexes of rows in `rows`, whose keys the caller made sure are new to the stage)
   * in one transaction, 100 a statement. An empty name is stored as NULL.
   */
  write(rows: PackedRows, picks: ArrayLike<number>): void {
    const { text, ends } = rows;
    const buffer = text.buffer as ArrayBuffer;
    const base = text.byteOffset;
    const params: Array<Uint8Array | null> = this.params;
    const fill = (at: number, row: number) => {
      for (let j = 0; j < 4; j++) {
        const k = row * 4 + j;
        const start = k === 0 ? 0 : ends[k - 1]! + 1;
        const len = ends[k]! - start;
        params[at + j] = j === 2 && len === 0 ? null : new Uint8Array(buffer, base + start, len);
      }
    };
    const n = picks.length;
    const run = () => {
      let i = 0;
      for (; i + BULK <= n; i += BULK) {
        for (let r = 0; r < BULK; r++) fill(r * 4, picks[i + r]!);
        this.insertBulk.run(params);
      }
      for (; i < n; i++) {
        fill(0, picks[i]!);
        this.insertOne.run(params.slice(0, 4));
      }
    };
    // Inside `together`, as part of its transaction (a savepoint would journal every page the batch changes).
    if (this.db.inTransaction) run();
    else this.db.transaction(run)();
    params.fill(null);
    this.staged += n;
    this.flushWal();
  }

  /**
   * Runs `fn` (which writes batches) in one transaction: the batches are committed together, and a key written by
   * one is seen by `has` in the next. Synchronous, so no other work on this thread can find the write lock held.
   */
  together(fn: () => void): void {
    this.db.transaction(fn)();
  }

  /**
   * Has the OS write the WAL's new pages to disk in the background (fdatasync on a libuv thread), one flush at a
   * time. The stage's commits skip the fsync (synchronous=NORMAL), so without this the final commit's fsync
   * would write everything staged at once, on the calling thread. Only a head start for that fsync: if the WAL can't be opened here, nothing else changes.
   */
  private flushWal(): void {
    if (this.wal.syncing || this.wal.fd === null) return;
    if (this.wal.fd === undefined) {
      try {
        this.wal.fd = fs.openSync(`${this.db.name}-wal`, 'r+');
      } catch {
        this.wal.fd = null;
        return;
      }
    }
    const wal = this.wal;
    wal.syncing = true;
    fs.fdatasync(wal.fd!, () => {
      wal.syncing = false;
      if (wal.closing) closeWal(wal);
    });
  }

  /**
   * Makes the staged rows part of their list, in one transaction: drops addresses suppressed meanwhile; then
   * either turns the stage into the new list `target.name` (when no list has that name), or merges the rows into
   * the existing list (new addresses inserted; known ones updated, fields merged with new values winning) and
   * removes the stage. `finish` runs last inside the transaction, on the stage's connection (which it must use:
   * the transaction holds the write lock), to record the list's fields and source.
   */
  commit(target: { id?: number; name?: string }, finish: (db: Db, listId: number, existingFields: string[]) => void): StageCommit {
    const db = this.db;
    const stage = this.id;
    const now = this.now;
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db.transaction((): StageCommit => {
      if (db.prepare('SELECT 1 FROM lists WHERE id = ? AND importing IS NOT NULL').get(stage) === undefined) {
        // (`discard` then clears whatever rows it had.)
        throw new PostroomError('INTERNAL', 'The import lost its place in the database while it ran (its staging list was removed). Nothing was imported; try the import again.');
      }
      // Walked from the smaller side: SQLite, without statistics, walks every staged row to look each up in the
      // suppression list, where the list is usually far shorter (100,000 staged rows: 8 ms, 1,000,000: some 80).
      const fewerSuppressed = (db.prepare('SELECT count(*) FROM (SELECT 1 FROM main.suppressions LIMIT ?)').pluck().get(this.staged) as number) < this.staged;
      const suppressed = db
        .prepare(
          fewerSuppressed
            ? 'SELECT r.email_key AS key, r.email FROM main.suppressions p CROSS JOIN recipients r ON r.list_id = ? AND r.email_key = p.email_key'
            : 'SELECT r.email_key AS key, r.email FROM recipients r JOIN main.suppressions p ON p.email_key = r.email_key WHERE r.list_id = ?',
        )
        .all(stage) as Array<{ key: string; email: string }>;
      if (suppressed.length) db.prepare('DELETE FROM recipients WHERE list_id = ? AND email_key IN (SELECT email_key FROM main.suppressions)').run(stage);
      const staged = this.staged - suppressed.length;
      const existing = (
        target.id !== undefined
          ? db.prepare('SELECT id, name, fields FROM lists WHERE id = ? AND importing IS NULL').get(target.id)
          : db.prepare('SELECT id, name, fields FROM lists WHERE name = ? COLLATE NOCASE AND importing IS NULL').get(target.name!.trim())
      ) as { id: number; name: string; fields: string } | undefined;
      if (!existing) {
        if (target.id !== undefined) throw new PostroomError('NOT_FOUND', `The list with id ${target.id} was deleted while the import ran. Nothing was imported.`);
        db.prepare('UPDATE lists SET name = ?, importing = NULL, created_at = ?, updated_at = ? WHERE id = ?').run(target.name!.trim(), now, now, stage);
        finish(db, stage, ['email']);
        return { listId: stage, listName: target.name!.trim(), imported: staged, updated: 0, suppressed };
      }
      const count = db.prepare('SELECT count(*) FROM recipients WHERE list_id = ?').pluck();
      const before = count.get(existing.id) as number;
      db.prepare(
        `INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at)
           SELECT @list, email, email_key, name, fields, @now, @now FROM recipients WHERE list_id = @stage ORDER BY id
         ON CONFLICT (list_id, email_key) DO UPDATE SET
           email = excluded.email,
           name = coalesce(excluded.name, recipients.name),
           fields = json_patch(recipients.fields, excluded.fields),
           updated_at = excluded.updated_at`,
      ).run({ list: existing.id, now, stage });
      const imported = (count.get(existing.id) as number) - before;
      db.prepare('DELETE FROM recipients WHERE list_id = ?').run(stage);
      db.prepare('DELETE FROM lists WHERE id = ?').run(stage);
      finish(db, existing.id, JSON.parse(existing.fields) as string[]);
      return { listId: existing.id, listName: existing.name, imported, updated: staged - imported, suppressed };
    }).immediate();
  }

  /** Removes the stage and its rows, a chunk at a time so that other work goes on meanwhile. */
  async discard(): Promise<void> {
    await discardStage(this.db, this.id, () => new Promise<void>((r) => setImmediate(r)));
  }

  /** Closes the stage's connection (after commit or discard). */
  close(): void {
    if (this.db.open) this.db.close();
    this.wal.closing = true;
    if (!this.wal.syncing) closeWal(this.wal);
  }
}

/** The stage's own handle on the WAL file (undefined until first needed; null if it can't be opened). */
interface WalHandle {
  fd: number | null | undefined;
  syncing: boolean;
  closing: boolean;
}

function closeWal(wal: WalHandle): void {
  if (typeof wal.fd === 'number') fs.closeSync(wal.fd);
  wal.fd = null;
}

async function discardStage(db: Db, id: number, pause: () => Promise<void> | void): Promise<void> {
  const chunk = db.prepare(`DELETE FROM recipients WHERE id IN (SELECT id FROM recipients WHERE list_id = ? LIMIT ${DISCARD_CHUNK})`);
  while (chunk.run(id).changes > 0) await pause();
  db.prepare('DELETE FROM lists WHERE id = ? AND importing IS NOT NULL').run(id);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the stages of imports that will never finish (their process died: a crash, a kill, a power cut).
 * Stages of another machine sharing the folder are left for two days before they count as abandoned.
 */
export function discardAbandonedImports(db: Db, now: number): number {
  const rows = db.prepare('SELECT id, importing FROM lists WHERE importing IS NOT NULL').all() as Array<{ id: number; importing: string }>;
  let n = 0;
  for (const r of rows) {
    let owner: ImportOwner | undefined;
    try {
      owner = JSON.parse(r.importing) as ImportOwner;
    } catch {
      owner = undefined;
    }
    const abandoned = !owner || (owner.host === os.hostname() ? owner.pid !== process.pid && !alive(owner.pid) : now - owner.startedAt > 2 * 86_400_000);
    if (!abandoned) continue;
    void discardStage(db, r.id, () => undefined);
    n++;
  }
  return n;
}

/** One recipient of a list as a message merges it: address, name and fields (values as text). */
export interface ListRecipient {
  email: string;
  name: string | null;
  fields: Record<string, string>;
}

function fieldsOf(json: string): Record<string, string> {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null || x === undefined ? '' : String(x)]));
  } catch {
    return {};
  }
}

/**
 * One recipient of a list, by address (without regard to case, as the list keys it) or else by position
 * (0-based, clamped to the list), with its position and the list's size. null when the address isn't on the list
 * or the list is empty.
 */
export function recipientAt(db: Db, listId: number, target: { email?: string; index?: number }): { recipient: ListRecipient; index: number; total: number } | null {
  const total = (db.prepare(`SELECT count(*) AS n FROM recipients WHERE list_id = ?`).get(listId) as { n: number }).n;
  if (total === 0) return null;
  type Row = { email: string; name: string | null; fields: string; id: number };
  let row: Row | undefined;
  let index: number;
  if (target.email) {
    row = db.prepare(`SELECT id, email, name, fields FROM recipients WHERE list_id = ? AND email_key = ?`).get(listId, emailKey(target.email)) as Row | undefined;
    if (!row) return null;
    index = (db.prepare(`SELECT count(*) AS n FROM recipients WHERE list_id = ? AND id < ?`).get(listId, row.id) as { n: number }).n;
  } else {
    index = Math.min(target.index ?? 0, total - 1);
    row = db.prepare(`SELECT id, email, name, fields FROM recipients WHERE list_id = ? ORDER BY id LIMIT 1 OFFSET ?`).get(listId, index) as Row;
  }
  return { recipient: { email: row.email, name: row.name, fields: fieldsOf(row.fields) }, index, total };
}
