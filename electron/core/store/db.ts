/**
 * The only place that opens Postroom's database. better-sqlite3 in the data folder, WAL mode so that the
 * desktop app, the browser host and the command line can share one folder safely (readers never block the
 * writer; writers wait on `busy_timeout`), numbered migrations recorded in `user_version`.
 *
 * It never creates a database over a file it can't read: a damaged or foreign file is reported and left as is.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PostroomError } from '../../../shared/errors';
import { LATEST_VERSION, migrations, type Migration } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'postroom.db';
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenOptions {
  /** Migrations to apply (tests pass a prefix to build a database at an older version). */
  migrations?: readonly Migration[];
  /** How long a writer waits for another process's write to finish before giving up (ms). */
  busyTimeoutMs?: number;
}

/** Opens (creating when missing) the database in `dataDir` and brings its schema up to date. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const list = options.migrations ?? migrations;
  const latest = list.length ? list[list.length - 1]!.version : 0;
  ensureFolder(dataDir);
  const file = path.join(dataDir, DB_FILE);
  checkExistingFile(file);
  ownerOnlyFiles(file);

  let db: Db;
  try {
    // `npm start` runs Electron from a checkout whose better-sqlite3 is built for Node (so tests run); it
    // builds a copy for Electron's ABI and names it here. Packaged apps are rebuilt in place by electron-builder.
    const nativeBinding = process.env.POSTROOM_SQLITE_BINDING;
    db = new Database(file, nativeBinding ? { nativeBinding } : {});
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 15_000}`);
    // A new database gets 8 KB pages (an existing one keeps its own: the size is fixed once the file exists).
    // Recipient rows are a few hundred bytes with their merge fields; bigger pages halve the WAL frames an import
    // writes (SQLite writes each frame in two calls). Measured: 100,000-row import 0.54 s instead of 0.60 (median
    // of 9), with less CPU.
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    // FULL: every commit (an acceptance by the relay, above all) is on disk before we go on.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, list, latest);
    // SQLite gives the -wal and -shm files the database file's mode; ones an older version left are tightened too.
    ownerOnlyFiles(file);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof PostroomError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw corrupt(file);
    throw unreadable(file, err);
  }
}

/** The schema version of an open database. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, list: readonly Migration[], latest: number): void {
  const current = schemaVersion(db);
  if (current > Math.max(latest, LATEST_VERSION)) throw newer(db.name, current);
  if (current >= latest) return;
  // IMMEDIATE: a second process starting at the same moment waits here, then sees the work done.
  db.transaction(() => {
    const now = schemaVersion(db);
    for (const m of list) {
      if (m.version <= now) continue;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/**
 * POSIX: the data folder is the owner's alone (0700) and so are the database files (0600): they hold customers'
 * addresses and the sealed passwords. On Windows the user's profile folder already keeps them private.
 */
const POSIX = process.platform !== 'win32';

/** Creates the database file 0600 when it is new, and takes group and other access away from the files that exist. */
function ownerOnlyFiles(file: string): void {
  if (!POSIX) return;
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600));
  } catch {
    return; // reported when SQLite opens it
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const mode = fs.statSync(f).mode & 0o777;
      if (mode & 0o077) fs.chmodSync(f, mode & 0o700);
    } catch {
      // not there (yet), or not ours to change: SQLite reports what matters
    }
  }
}

function ensureFolder(dataDir: string): void {
  try {
    const existed = fs.existsSync(dataDir);
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // A folder that already holds Postroom's database is Postroom's: it is made the owner's alone too.
    if (POSIX && (!existed || fs.existsSync(path.join(dataDir, DB_FILE)))) {
      const mode = fs.statSync(dataDir).mode & 0o777;
      if (mode & 0o077) fs.chmodSync(dataDir, 0o700);
    }
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK);
  } catch (err) {
    throw new PostroomError(
      'DATA_UNREADABLE',
      `Couldn't use the data folder ${dataDir}: ${(err as Error).message}. Check that it exists and that you may write to it, or choose another with --data.`,
    );
  }
}

function checkExistingFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // a new database
    throw unreadable(file, err);
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n === 0) return; // an empty file: SQLite treats it as a new database
    if (n < 16 || !head.equals(SQLITE_HEADER)) throw corrupt(file);
  } finally {
    fs.closeSync(fd);
  }
}

function corrupt(file: string): PostroomError {
  return new PostroomError(
    'DATA_CORRUPT',
    `The database ${file} is damaged or is not a Postroom database, so Postroom left it untouched. Move it aside (or restore a backup) and start again, or choose another data folder with --data.`,
  );
}

function newer(file: string, version: number): PostroomError {
  return new PostroomError(
    'DATA_NEWER',
    `The database ${file} was written by a newer version of Postroom (schema ${version}; this version knows up to ${LATEST_VERSION}). Update Postroom to open it; nothing was changed.`,
  );
}

function unreadable(file: string, err: unknown): PostroomError {
  return new PostroomError(
    'DATA_UNREADABLE',
    `Couldn't open the database ${file}: ${(err as Error).message}. Check the file's permissions and free disk space.`,
  );
}
