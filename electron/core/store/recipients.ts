/**
 * Recipients of lists: browsing with search and paging, removal, and the staging area an import writes to.
 *
 * An import never writes to `recipients` while it reads the file. It stages the rows it accepts in a temporary
 * table private to this database connection (`temp.import_<n>`; SQLite keeps it in a temporary file, so memory
 * stays bounded whatever the file's size) whose primary key on the address key finds duplicates inside the
 * file. Only when the whole file has been read does `commitStage` move the rows into the list, in one
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

/** The staging table of one import (see the top of this file). Call `drop` when done, whatever happened. */
export class ImportStage {
  readonly table: string;
  private readonly insert;
  private readonly firstRow;

  constructor(private readonly db: Db) {
    this.table = `temp.import_${process.pid}_${++stageCounter}`;
    // WITHOUT ROWID with the key as primary key: one B-tree, kept in key order, so the final merge into the list
    // walks it in the order of the list's own unique index (mostly appends rather than random inserts).
    db.exec(`CREATE TABLE ${this.table} (key TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT, fields TEXT NOT NULL, row INTEGER NOT NULL) WITHOUT ROWID`);
    this.insert = db.prepare(`INSERT INTO ${this.table} (key, email, name, fields, row) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`);
    this.firstRow = db.prepare(`SELECT row FROM ${this.table} WHERE key = ?`).pluck();
  }

  /**
   * Stages a batch in one (temporary-database-only) transaction. Returns the rows whose address was already
   * staged by an earlier row of the file, with that row's number.
   */
  add(rows: StagedRow[]): Array<{ row: number; email: string; firstRow: number }> {
    const dups: Array<{ row: number; email: string; firstRow: number }> = [];
    this.db.transaction(() => {
      for (const r of rows) {
        if (this.insert.run(r.key, r.email, r.name, r.fields, r.row).changes === 0) {
          dups.push({ row: r.row, email: r.email, firstRow: this.firstRow.get(r.key) as number });
        }
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
    return this.db.transaction((): StageCommit => {
      const listId = prepareList();
      const suppressed = this.db
        .prepare(`SELECT s.row, s.email FROM ${t} s JOIN main.suppressions p ON p.email_key = s.key ORDER BY s.row`)
        .all() as Array<{ row: number; email: string }>;
      if (suppressed.length) this.db.prepare(`DELETE FROM ${t} WHERE key IN (SELECT email_key FROM main.suppressions)`).run();
      const updated = this.db
        .prepare(`SELECT count(*) FROM ${t} s WHERE EXISTS (SELECT 1 FROM main.recipients r WHERE r.list_id = ? AND r.email_key = s.key)`)
        .pluck()
        .get(listId) as number;
      const staged = this.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
      this.db
        .prepare(
          `INSERT INTO main.recipients (list_id, email, email_key, name, fields, created_at, updated_at)
             SELECT @list, email, key, name, fields, @now, @now FROM ${t} WHERE true ORDER BY key
           ON CONFLICT (list_id, email_key) DO UPDATE SET
             email = excluded.email,
             name = coalesce(excluded.name, recipients.name),
             fields = json_patch(recipients.fields, excluded.fields),
             updated_at = excluded.updated_at`,
        )
        .run({ list: listId, now });
      return { listId, imported: staged - updated, updated, suppressed };
    }).immediate();
  }

  drop(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
