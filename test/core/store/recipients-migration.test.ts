import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrationsUpTo } from '../../helpers';

describe('migration 002 (recipients)', () => {
  it('adds lists, recipients and suppressions to a database at version 1, keeping its data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-m002-'));
    const v1 = openDatabase(dir, { migrations: migrationsUpTo(1) });
    v1.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 1)").run();
    expect(schemaVersion(v1)).toBe(1);
    v1.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(2) });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('theme')).toBe('"dark"');
    const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols('lists')).toEqual(['id', 'name', 'source', 'fields', 'importing', 'created_at', 'updated_at']);
    expect(cols('recipients')).toEqual(['id', 'list_id', 'email', 'email_key', 'name', 'fields', 'created_at', 'updated_at']);
    expect(cols('suppressions')).toEqual(['email_key', 'email', 'reason', 'created_at']);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one recipient per address key per list, and deleting a list deletes its recipients', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-m002-'));
    const db = openDatabase(dir, { migrations: migrationsUpTo(2) });
    db.prepare("INSERT INTO lists (id, name, created_at, updated_at) VALUES (1, 'A', 0, 0)").run();
    const add = db.prepare("INSERT INTO recipients (list_id, email, email_key, created_at, updated_at) VALUES (1, ?, ?, 0, 0)");
    add.run('a@example.com', 'a@example.com');
    expect(() => add.run('A@example.com', 'a@example.com')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO lists (name, created_at, updated_at) VALUES ('a', 0, 0)").run()).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM lists WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM recipients').pluck().get()).toBe(0);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
