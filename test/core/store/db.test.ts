import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DB_FILE, openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { LATEST_VERSION, migrations } from '../../../electron/core/store/migrations';
import { PostroomError } from '../../../shared/result';
import { tempDir } from '../../helpers';

function errorOf(fn: () => unknown): PostroomError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PostroomError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('the data store', () => {
  it('creates the data folder and a database at the latest schema version, in WAL mode', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const db = openDatabase(dir);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('makes a new database with 8 KB pages, and keeps the page size of one made before', () => {
    const fresh = openDatabase(tempDir());
    expect(fresh.pragma('page_size', { simple: true })).toBe(8192);
    fresh.close();
    // A database an earlier Postroom made with SQLite's default 4 KB pages, in WAL mode, with data in it.
    const dir = tempDir();
    const older = new Database(path.join(dir, DB_FILE));
    older.pragma('page_size = 4096');
    older.pragma('journal_mode = WAL');
    older.exec('CREATE TABLE keep (v TEXT)');
    older.prepare('INSERT INTO keep VALUES (?)').run('still here');
    older.close();
    const db = openDatabase(dir);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.prepare('SELECT v FROM keep').pluck().get()).toBe('still here');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  // Numbers are handed out to parallel branches (issue 16 has 012 while 007-011 are elsewhere): gaps are
  // allowed while branches are apart; order and uniqueness are what applying them relies on.
  it('numbers its migrations in increasing order, from 1', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions.every((v, i) => i === 0 || v > versions[i - 1]!)).toBe(true);
  });

  it('brings an older database up to date and keeps its data', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { migrations: migrations.slice(0, 1) });
    old.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 1)").run();
    old.close();
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
    db.close();
  });

  it('refuses a database written by a newer Postroom, and leaves it unchanged', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const raw = new Database(path.join(dir, DB_FILE));
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const err = errorOf(() => openDatabase(dir));
    expect(err.code).toBe('DATA_NEWER');
    expect(err.message).toMatch(/newer version of Postroom/);
    const again = new Database(path.join(dir, DB_FILE));
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    again.close();
  });

  it('reports a file that is not a database as damaged and never overwrites it', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const garbage = Buffer.from('this is a spreadsheet, not a database\n'.repeat(200));
    fs.writeFileSync(file, garbage);
    const err = errorOf(() => openDatabase(dir));
    expect(err.code).toBe('DATA_CORRUPT');
    expect(err.message).toMatch(/left it untouched/);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports a damaged database (valid header, broken pages) and never overwrites it', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const file = path.join(dir, DB_FILE);
    const bytes = fs.readFileSync(file);
    bytes.fill(0xab, 100, Math.min(bytes.length, 8192)); // the schema page, after the 100-byte header
    fs.writeFileSync(file, bytes);
    const err = errorOf(() => openDatabase(dir));
    expect(['DATA_CORRUPT', 'DATA_UNREADABLE']).toContain(err.code);
    expect(err.code).toBe('DATA_CORRUPT');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports a data folder path that is a file', () => {
    const dir = tempDir();
    const notAFolder = path.join(dir, 'file');
    fs.writeFileSync(notAFolder, 'x');
    expect(errorOf(() => openDatabase(notAFolder)).code).toBe('DATA_UNREADABLE');
  });

  it('lets two processes open and write the same data folder at once without losing a write', async () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1] + '/${DB_FILE}');
      db.pragma('busy_timeout = 15000'); db.pragma('journal_mode = WAL');
      const put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
      for (let i = 0; i < 300; i++) put.run(process.argv[2] + i, '1', i);
      db.close();`;
    const run = (tag: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['-e', script, dir, tag], { cwd: process.cwd(), stdio: 'inherit' });
        child.on('exit', (code) => resolve(code ?? 1));
      });
    // Two processes, and this one migrating/opening at the same time.
    const [a, b] = await Promise.all([run('a'), run('b'), Promise.resolve(openDatabase(dir).close())]);
    expect([a, b]).toEqual([0, 0]);
    const db = openDatabase(dir);
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(600);
    db.close();
  });

  it('lets two processes migrate a new database at the same moment: one does the work, both open it', async () => {
    const dir = tempDir();
    const script = `
      require('esbuild').buildSync({ entryPoints: ['electron/core/store/db.ts'], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: process.argv[1] + '/db.cjs' });`;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script, dir], { cwd: process.cwd(), stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build exited ${code}`))));
    });
    const opener = `const { openDatabase, schemaVersion } = require(process.argv[1] + '/db.cjs'); const db = openDatabase(process.argv[1] + '/data'); process.stdout.write(String(schemaVersion(db))); db.close();`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        let out = '';
        const child = spawn(process.execPath, ['-e', opener, dir], { cwd: process.cwd(), env: { ...process.env, NODE_PATH: path.resolve('node_modules') } });
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.pipe(process.stderr);
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`opener exited ${code}`))));
      });
    const versions = await Promise.all([run(), run(), run()]);
    expect(versions).toEqual([String(LATEST_VERSION), String(LATEST_VERSION), String(LATEST_VERSION)]);
  });
});
