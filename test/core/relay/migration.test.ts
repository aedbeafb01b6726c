import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrationsUpTo } from '../../helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('migration 004 (relays)', () => {
  it('adds relays and the pacing ledger to a database at version 3 with lists and templates in it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-m004-'));
    dirs.push(dir);
    const old = openDatabase(dir, { migrations: migrationsUpTo(3) });
    expect(schemaVersion(old)).toBe(3);
    old.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES ('Customers', '["email"]', 1, 1)`).run();
    old.prepare(`INSERT INTO templates (name, subject, from_addr, format, body, created_at, updated_at) VALUES ('News', 's', 'a@example.com', 'html', 'b', 1, 1)`).run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(4) });
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare(`SELECT name FROM lists`).all()).toEqual([{ name: 'Customers' }]);
    expect(db.prepare(`SELECT name FROM templates`).all()).toEqual([{ name: 'News' }]);
    const id = db.prepare(`INSERT INTO relays (name, host, port, security, created_at, updated_at) VALUES ('r', 'h', 587, 'starttls', 1, 1)`).run().lastInsertRowid;
    expect(db.prepare(`SELECT connections, retry_min_ms, retry_max_ms, give_up_ms, auth FROM relays`).get()).toEqual({
      connections: 4,
      retry_min_ms: 60_000,
      retry_max_ms: 3_600_000,
      give_up_ms: 172_800_000,
      auth: 'none',
    });
    // A secret is either sealed or named by an environment variable, never both; limits are positive.
    expect(() => db.prepare(`UPDATE relays SET secret_sealed = x'01', secret_env = 'X' WHERE id = ?`).run(id)).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE relays SET per_day = 0 WHERE id = ?`).run(id)).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE relays SET security = 'ssl' WHERE id = ?`).run(id)).toThrow(/CHECK/);
    db.prepare(`INSERT INTO relay_sends (relay_id, at, seen_by) VALUES (?, 1, 2)`).run(id);
    db.prepare(`DELETE FROM relays`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM relay_sends`).get()).toEqual({ n: 0 });
    db.close();
  });
});
