import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrationsUpTo, tempDir } from '../../helpers';
import { LATEST_VERSION } from '../../../electron/core/store/migrations';

describe('migration 009 (mailboxes)', () => {
  it('keeps suppressions with why they were added, gives campaigns a 5 % bounce threshold, and adds the mailbox tables', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { migrations: migrationsUpTo(6) });
    expect(schemaVersion(old)).toBe(6);
    old.prepare(`INSERT INTO suppressions (email_key, email, reason, created_at) VALUES ('a@x.test', 'A@x.test', 'imported from old.csv', 1)`).run();
    old.prepare(`INSERT INTO suppressions (email_key, email, reason, created_at) VALUES ('b@x.test', 'b@x.test', 'Asked by phone', 2)`).run();
    old.prepare(`INSERT INTO suppressions (email_key, email, reason, created_at) VALUES ('c@x.test', 'c@x.test', NULL, 3)`).run();
    old.prepare(`INSERT INTO campaigns (name, relay_ids, unsubscribe, created_at, updated_at) VALUES ('spring', '[]', 'https://x.test/u', 1, 1)`).run();
    old.prepare(`INSERT INTO outbox (campaign_id, email, email_key, message_id) VALUES (1, 'a@x.test', 'a@x.test', '<1@x.test>')`).run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(9) });
    expect(schemaVersion(db)).toBe(9);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(9);
    // Read as the table holds them at version 9 (listSuppressions reads the columns of later migrations too).
    const items = db.prepare(`SELECT email, kind AS reason, campaign, detail FROM suppressions`).all() as Array<{ email: string }>;
    expect(items.find((i) => i.email === 'A@x.test')).toMatchObject({ reason: 'import', campaign: null, detail: 'imported from old.csv' });
    expect(items.find((i) => i.email === 'b@x.test')).toMatchObject({ reason: 'manual', detail: 'Asked by phone' });
    expect(items.find((i) => i.email === 'c@x.test')).toMatchObject({ reason: 'manual', detail: null });
    expect(db.prepare(`SELECT bounce_pause_percent, unsubscribe FROM campaigns`).get()).toEqual({ bounce_pause_percent: 5, unsubscribe: 'https://x.test/u' });
    expect(() => db.prepare(`UPDATE suppressions SET kind = 'whatever'`).run()).toThrow(/CHECK/);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE message_id = ?`).all('<1@x.test>') as Array<{ detail: string }>).map((r) => r.detail).join(' ');
    expect(plan).toContain('outbox_message_id');
    db.prepare(
      `INSERT INTO mailboxes (name, host, port, security, user, auth, secret_env, created_at, updated_at) VALUES ('b', 'imap.x.test', 993, 'tls', 'u', 'password', 'PW', 1, 1)`,
    ).run();
    db.prepare(`INSERT INTO mailbox_messages (mailbox_id, folder, uid_validity, uid, message_id, kind, at) VALUES (1, 'INBOX', 7, 1, '<r@x>', 'hard', 1)`).run();
    expect(() => db.prepare(`INSERT INTO mailbox_messages (mailbox_id, folder, uid_validity, uid, kind, at) VALUES (1, 'INBOX', 7, 1, 'soft', 1)`).run()).toThrow(/UNIQUE/);
    db.close();
  });
});
