import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrationsUpTo, tempDir } from '../../helpers';
import { countsOf } from '../../../electron/core/outbox/campaigns';

describe('migration 005 (outbox)', () => {
  it('adds campaigns, the outbox, its attempts log and the engine registry to a database with lists, templates and relays in it', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { migrations: migrationsUpTo(4) });
    expect(schemaVersion(old)).toBe(4);
    old.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES ('customers', '["email"]', 1, 1)`).run();
    old.prepare(`INSERT INTO recipients (list_id, email, email_key, fields, created_at, updated_at) VALUES (1, 'A@x.test', 'a@x.test', '{}', 1, 1)`).run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(5) });
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare(`SELECT email FROM recipients`).all()).toEqual([{ email: 'A@x.test' }]);
    db.prepare(`INSERT INTO campaigns (name, list_id, relay_ids, created_at, updated_at) VALUES ('spring', 1, '[]', 1, 1)`).run();
    db.prepare(`INSERT INTO outbox (campaign_id, email, email_key, message_id) VALUES (1, 'A@x.test', 'a@x.test', '<1@x.test>')`).run();
    expect(db.prepare(`SELECT state, attempts, possible_duplicate FROM outbox`).get()).toEqual({ state: 'queued', attempts: 0, possible_duplicate: 0 });
    expect(() => db.prepare(`UPDATE outbox SET state = 'lost'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE campaigns SET state = 'finished'`).run()).toThrow(/CHECK/);
    // Deleting the campaign takes its outbox and attempts with it.
    db.prepare(`INSERT INTO outbox_attempts (outbox_id, at, outcome) VALUES (1, 1, 'sent')`).run();
    db.prepare(`DELETE FROM campaigns`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM outbox_attempts`).get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('migration 006 (outbox counts)', () => {
  it('indexes the possibly repeated messages of a database that already has campaigns, and the counts stay right', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { migrations: migrationsUpTo(5) });
    expect(schemaVersion(old)).toBe(5);
    old.prepare(`INSERT INTO campaigns (name, relay_ids, created_at, updated_at) VALUES ('spring', '[]', 1, 1)`).run();
    const add = old.prepare(`INSERT INTO outbox (campaign_id, email, email_key, message_id, state, possible_duplicate) VALUES (1, ?, ?, ?, ?, ?)`);
    add.run('a@x.test', 'a@x.test', '<1@x.test>', 'sent', 1);
    add.run('b@x.test', 'b@x.test', '<2@x.test>', 'sent', 0);
    add.run('c@x.test', 'c@x.test', '<3@x.test>', 'queued', 0);
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(6) });
    expect(schemaVersion(db)).toBe(6);
    expect(countsOf(db, 1)).toMatchObject({ total: 3, sent: 2, queued: 1, possibleDuplicates: 1 });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
    expect(plan(`SELECT count(*) FROM outbox WHERE campaign_id = ? AND possible_duplicate = 1`)).toContain('COVERING INDEX outbox_possible_duplicate');
    expect(plan(`SELECT state, count(*) FROM outbox WHERE campaign_id = ? GROUP BY state`)).toContain('COVERING INDEX outbox_due');
    db.close();
  });
});
