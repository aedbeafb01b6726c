import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrationsUpTo } from '../../helpers';
import { tempDir } from './helpers';

describe('migration 003 (templates)', () => {
  it('adds templates, their files and DKIM keys to a database at version 2 with lists in it', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { migrations: migrationsUpTo(2) });
    expect(schemaVersion(old)).toBe(2);
    old.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES ('Customers', '["email"]', 1, 1)`).run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(3) });
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare(`SELECT name FROM lists`).all()).toEqual([{ name: 'Customers' }]);
    const t = db
      .prepare(`INSERT INTO templates (name, subject, from_addr, format, body, created_at, updated_at) VALUES ('N', 's', 'a@example.com', 'html', 'b', 1, 1)`)
      .run();
    db.prepare(`INSERT INTO template_attachments (template_id, filename, content_type, content, created_at) VALUES (?, 'f.txt', 'text/plain', x'00', 1)`).run(t.lastInsertRowid);
    db.prepare(`INSERT INTO dkim_keys (domain, selector, private_key, public_key, created_at) VALUES ('example.com', 's', x'01', 'p', 1)`).run();
    expect(() => db.prepare(`INSERT INTO templates (name, subject, from_addr, format, body, created_at, updated_at) VALUES ('n', 's', 'a', 'pdf', 'b', 1, 1)`).run()).toThrow();
    db.prepare(`DELETE FROM templates`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM template_attachments`).get()).toEqual({ n: 0 });
    db.close();
  });
});
