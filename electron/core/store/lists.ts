/** Recipient lists: name, merge fields, where they were last imported from. */
import type { Db } from './db';
import { PostroomError } from '../../../shared/errors';
import type { ListSummary } from '../../../shared/contract/recipients';

interface ListRow {
  id: number;
  name: string;
  source: string | null;
  fields: string;
  createdAt: number;
  updatedAt: number;
  recipients: number;
}

const SELECT = `SELECT l.id, l.name, l.source, l.fields, l.created_at AS createdAt, l.updated_at AS updatedAt,
                       (SELECT count(*) FROM recipients r WHERE r.list_id = l.id) AS recipients
                  FROM lists l`;
// Lists an import is still filling are hidden (see store/recipients.ts, StagingList).
const VISIBLE = 'l.importing IS NULL';

function toSummary(r: ListRow): ListSummary {
  return { ...r, fields: JSON.parse(r.fields) as string[] };
}

/** Every list, by name. */
export function allLists(db: Db): ListSummary[] {
  return (db.prepare(`${SELECT} WHERE ${VISIBLE} ORDER BY l.name COLLATE NOCASE`).all() as ListRow[]).map(toSummary);
}

export function findListById(db: Db, id: number): ListSummary | undefined {
  const r = db.prepare(`${SELECT} WHERE l.id = ? AND ${VISIBLE}`).get(id) as ListRow | undefined;
  return r && toSummary(r);
}

/** Finds a list by name, without regard to case. */
export function findListByName(db: Db, name: string): ListSummary | undefined {
  const r = db.prepare(`${SELECT} WHERE l.name = ? COLLATE NOCASE AND ${VISIBLE}`).get(name.trim()) as ListRow | undefined;
  return r && toSummary(r);
}

export function getList(db: Db, id: number): ListSummary {
  const l = findListById(db, id);
  if (!l) throw new PostroomError('NOT_FOUND', `There is no list with id ${id}; it may have been deleted. Reload the lists and try again.`);
  return l;
}

/**
 * The one way a list is looked up by what a person or a request names it: its id, or its name without regard to
 * case. Lists an import is still filling are not there yet. NOT_FOUND names the lists that exist (params.list:
 * what was asked for, for each door to word its own way to see them).
 */
export function resolveList(db: Db, ref: string | number): ListSummary {
  const l = typeof ref === 'number' ? findListById(db, ref) : findListByName(db, ref);
  if (l) return l;
  const names = allLists(db).map((x) => x.name);
  const asked = typeof ref === 'number' ? `#${ref}` : `"${ref}"`;
  throw new PostroomError(
    'NOT_FOUND',
    `There is no list called ${asked}. ${names.length ? `The lists are: ${names.slice(0, 20).join(', ')}.` : 'There are no lists yet: import a spreadsheet first.'}`,
    { kind: 'list', list: String(ref) },
  );
}

function taken(name: string): PostroomError {
  return new PostroomError('ALREADY_EXISTS', `A list called "${name}" already exists. Choose another name, or import into that list.`, { reason: 'list', name });
}

/** Creates an empty list. */
export function createList(db: Db, name: string, now: number, fields: string[] = ['email']): ListSummary {
  if (findListByName(db, name)) throw taken(name);
  const id = db.prepare('INSERT INTO lists (name, fields, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name.trim(), JSON.stringify(fields), now, now)
    .lastInsertRowid as number;
  return getList(db, Number(id));
}

export function renameList(db: Db, id: number, name: string, now: number): ListSummary {
  getList(db, id);
  const other = findListByName(db, name);
  if (other && other.id !== id) throw taken(name);
  db.prepare('UPDATE lists SET name = ?, updated_at = ? WHERE id = ?').run(name.trim(), now, id);
  return getList(db, id);
}

/** Deletes a list and (by the foreign key's cascade) its recipients. Returns how many recipients went with it. */
export function deleteList(db: Db, id: number): number {
  const list = getList(db, id);
  db.prepare('DELETE FROM lists WHERE id = ?').run(id);
  return list.recipients;
}

/**
 * Records the fields a list has after an import (existing fields first, new ones after), its source file and, when
 * given, the folder to look for its attachments in (see setListAttachmentsFolder).
 */
export function updateListAfterImport(db: Db, id: number, fields: string[], source: string | null, now: number, attachmentsDir?: string): void {
  db.prepare('UPDATE lists SET fields = ?, source = coalesce(?, source), attachments_dir = coalesce(?, attachments_dir), updated_at = ? WHERE id = ?').run(
    JSON.stringify(fields),
    source,
    attachmentsDir ?? null,
    now,
    id,
  );
}

/** Records the folder a command-line import read the list's spreadsheet from (null forgets it): its campaigns' default attachments folder. */
export function setListAttachmentsFolder(db: Db, id: number, folder: string | null): void {
  db.prepare('UPDATE lists SET attachments_dir = ? WHERE id = ?').run(folder, id);
}
