/**
 * Recipients of lists: browsing with search and paging, removal, and the staging area an import writes to.
 *
 * An import never writes to `recipients` while it reads the file. It stages the rows it accepts in a temporary
 * table private to this database connection (`temp.import_<n>`; SQLite keeps it in a temporary file, so memory
 * stays bounded whatever the file's size). Only when the whole file has been read does `commitStage` move the rows into the list, in one
 * transaction: so a cancelled or failed import leaves the list exactly as it was, and other processes sharing
 * the database (a `postroom send` draining the outbox) are held up only for that last step, not for the read.
 */
import type { Db } from './db';
import type { Recipient, RecipientPage } from '../../../shared/contract/recipients';

interface RecipientRow {
  id: number;
  email: string;
  name: string | null;
  fields: string;
  createdAt: number;
  updatedAt: number;
}

function searchClause(search: string): string {
  return search
    ? `AND (instr(r.email_key, @s) > 0 OR instr(lower(r.email), @s) > 0 OR instr(lower(coalesce(r.name, '')), @s) > 0
            OR EXISTS (SELECT 1 FROM json_each(r.fields) j WHERE instr(lower(j.value), @s) > 0))`
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

/** Removes recipients from a list by id; returns how many went. */
export function removeRecipients(db: Db, listId: number, ids: number[]): number {
  const del = db.prepare('DELETE FROM recipients WHERE list_id = ? AND id = ?');
  let removed = 0;
  db.transaction(() => {
    for (const id of ids) removed += del.run(listId, id).changes;
  })();
  return removed;
}

/** A row an import accepted, ready to stage. `fields` is the JSON object of merge fields (string values). */
export interface StagedRow {
  key: string;
  email: string;
  name: string | null;
  fields: string;
  row: number;
}

/** What `commitStage` did. */
export interface StageCommit {
  listId: number;
  imported: number;
  updated: number;
  /** Rows skipped because their address is suppressed: data-row number and address. */
  suppressed: Array<{ row: number; email: string }>;
}

let stageCounter = 0;
const BULK = 100;

/**
 * The staging table of one import (see the top of this file). Its rowid is the data-row number, so rows are
 * appended in order (the cheapest write SQLite has). Duplicates inside the file are found by the caller
 * (`isDuplicate`, which may read earlier rows back with `keyOfRow`). Call `drop` when done, whatever happened.
 */
export class ImportStage {
  readonly table: string;
  private readonly insert;
  private readonly insertBulk;
  private readonly keyAt;

  constructor(private readonly db: Db) {
    this.table = `temp.import_${process.pid}_${++stageCounter}`;
    db.exec(`CREATE TABLE ${this.table} (row INTEGER PRIMARY KEY, key TEXT NOT NULL, email TEXT NOT NULL, name TEXT, fields TEXT NOT NULL)`);
    this.insert = db.prepare(`INSERT INTO ${this.table} (row, key, email, name, fields) VALUES (?, ?, ?, ?, ?)`);
    this.insertBulk = db.prepare(`INSERT INTO ${this.table} (row, key, email, name, fields) VALUES ${Array(BULK).fill('(?, ?, ?, ?, ?)').join(', ')}`);
    this.keyAt = db.prepare(`SELECT key FROM ${this.table} WHERE row = ?`).pluck();
  }

  /** The key staged for a data row (undefined when that row wasn't staged). */
  keyOfRow(row: number): string | undefined {
    return this.keyAt.get(row) as string | undefined;
  }

  /**
   * Stages a batch in one (temporary-database-only) transaction, 100 rows a statement (SQLite's per-statement
   * cost dominates otherwise). Rows for which `firstRowOf` answers an earlier row number are not staged: they are
   * returned. `firstRowOf` is called in row order, before any of the batch is written (see `keyOfRow`).
   */
  add(rows: StagedRow[], firstRowOf: (r: StagedRow) => number | undefined): Array<{ row: number; email: string; firstRow: number }> {
    const dups: Array<{ row: number; email: string; firstRow: number }> = [];
    const keep: StagedRow[] = [];
    for (const r of rows) {
      const first = firstRowOf(r);
      if (first !== undefined) dups.push({ row: r.row, email: r.email, firstRow: first });
      else keep.push(r);
    }
    this.db.transaction(() => {
      let i = 0;
      const params: unknown[] = [];
      for (; i + BULK <= keep.length; i += BULK) {
        params.length = 0;
        for (let j = i; j < i + BULK; j++) {
          const r = keep[j]!;
          params.push(r.row, r.key, r.email, r.name, r.fields);
        }
        this.insertBulk.run(params);
      }
      for (; i < keep.length; i++) {
        const r = keep[i]!;
        this.insert.run(r.row, r.key, r.email, r.name, r.fields);
      }
    })();
    return dups;
  }

  /**
   * Moves the staged rows into a list in one transaction: skips suppressed addresses, inserts new ones, updates
   * the ones already on the list (their fields merged, new values winning). `prepareList` runs inside the same
   * transaction, before the rows move, and returns the list's id (it may create the list).
   */
  commit(prepareList: () => number, now: number): StageCommit {
    const t = this.table;
    return this.commitInTransaction(t, prepareList, now);
  }

  private commitInTransaction(t: string, prepareList: () => number, now: number): StageCommit {
    return this.db.transaction((): StageCommit => {
      const listId = prepareList();
      const anySuppressed = this.db.prepare('SELECT 1 FROM main.suppressions LIMIT 1').get() !== undefined;
      const suppressed = anySuppressed
        ? (this.db.prepare(`SELECT s.row, s.email FROM ${t} s WHERE s.key IN (SELECT email_key FROM main.suppressions) ORDER BY s.row`).all() as Array<{ row: number; email: string }>)
        : [];
      if (suppressed.length) this.db.prepare(`DELETE FROM ${t} WHERE key IN (SELECT email_key FROM main.suppressions)`).run();
      const count = this.db.prepare('SELECT count(*) FROM main.recipients WHERE list_id = ?').pluck();
      const before = count.get(listId) as number;
      const staged = this.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
      this.db
        .prepare(
          `INSERT INTO main.recipients (list_id, email, email_key, name, fields, created_at, updated_at)
             SELECT @list, email, key, name, fields, @now, @now FROM ${t} WHERE true ORDER BY row
           ON CONFLICT (list_id, email_key) DO UPDATE SET
             email = excluded.email,
             name = coalesce(excluded.name, recipients.name),
             fields = json_patch(recipients.fields, excluded.fields),
             updated_at = excluded.updated_at`,
        )
        .run({ list: listId, now });
      const imported = (count.get(listId) as number) - before;
      return { listId, imported, updated: staged - imported, suppressed };
    }).immediate();
  }

  drop(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
