import type { Migration } from './index';

/**
 * What comes back: IMAP mailboxes Postroom reads for bounces, complaint reports and unsubscribe requests.
 *
 * - `mailboxes`: one account each (secrets as for relays: sealed, or the name of an environment variable; or the
 *   sign-in of a relay). `uid_validity`/`last_uid` are the high-water mark of the folder read (RFC 3501 §2.3.1.1).
 * - `mailbox_messages`: every message read, by mailbox + folder + UIDVALIDITY + UID and by its Message-ID, written
 *   in the same transaction as its effects, so a message is never counted twice (across restarts and processes).
 *   `moved = 0` marks a recognised message whose move to the processed folder is still to be done.
 * - `mailbox_feedback`: what came back about one message Postroom sent (the campaign report, soft-bounce streaks,
 *   the bounce rate that pauses a campaign).
 * - suppressions gain why (`kind`), the campaign and the server's words; campaigns their bounce-rate threshold;
 *   the outbox an index on Message-ID, by which reports are matched to what was sent.
 */
export const m009Mailboxes: Migration = {
  version: 9,
  name: 'mailboxes',
  up(db) {
    db.exec(`
      CREATE TABLE mailboxes (
        id               INTEGER PRIMARY KEY,
        name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
        host             TEXT NOT NULL,
        port             INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security         TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        accept_self_signed INTEGER NOT NULL DEFAULT 0 CHECK (accept_self_signed IN (0, 1)),
        user             TEXT NOT NULL,
        auth             TEXT NOT NULL CHECK (auth IN ('password', 'oauth2')),
        secret_sealed    BLOB,
        secret_env       TEXT,
        oauth_relay_id   INTEGER REFERENCES relays(id) ON DELETE SET NULL,
        relay_id         INTEGER REFERENCES relays(id) ON DELETE SET NULL, -- the relay whose mail comes back here
        folder           TEXT NOT NULL DEFAULT 'INBOX',
        processed_folder TEXT NOT NULL DEFAULT 'Postroom/Processed',
        uid_validity     INTEGER,
        last_uid         INTEGER NOT NULL DEFAULT 0,
        last_checked_at  INTEGER,
        last_error       TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        CHECK (secret_sealed IS NULL OR secret_env IS NULL)
      ) STRICT;

      CREATE TABLE mailbox_messages (
        id           INTEGER PRIMARY KEY,
        mailbox_id   INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
        folder       TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid          INTEGER NOT NULL,
        message_id   TEXT,
        kind         TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'delayed', 'complaint', 'unsubscribe', 'auto-reply', 'unrecognised')),
        duplicate    INTEGER NOT NULL DEFAULT 0 CHECK (duplicate IN (0, 1)), -- the same Message-ID was read before: no effect
        moved        INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1)),
        at           INTEGER NOT NULL,
        UNIQUE (mailbox_id, folder, uid_validity, uid)
      ) STRICT;
      CREATE INDEX mailbox_messages_message_id ON mailbox_messages (message_id) WHERE message_id IS NOT NULL;
      CREATE INDEX mailbox_messages_to_move ON mailbox_messages (mailbox_id) WHERE moved = 0;

      CREATE TABLE mailbox_feedback (
        id          INTEGER PRIMARY KEY,
        message     INTEGER REFERENCES mailbox_messages(id) ON DELETE SET NULL,
        outbox_id   INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
        campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
        email       TEXT NOT NULL,
        email_key   TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'delayed', 'complaint', 'unsubscribe', 'auto-reply')),
        status      TEXT,            -- RFC 3463 enhanced status code, e.g. 5.1.1
        detail      TEXT,            -- the server's words
        at          INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX mailbox_feedback_campaign ON mailbox_feedback (campaign_id, kind, outbox_id);
      CREATE INDEX mailbox_feedback_address ON mailbox_feedback (email_key, at);
      CREATE INDEX mailbox_feedback_outbox ON mailbox_feedback (outbox_id);

      CREATE INDEX outbox_message_id ON outbox (message_id);
      CREATE INDEX outbox_recent_by_address ON outbox (email_key, sent_at) WHERE sent_at IS NOT NULL;

      ALTER TABLE suppressions ADD COLUMN kind TEXT NOT NULL DEFAULT 'manual'
        CHECK (kind IN ('hard-bounce', 'complaint', 'unsubscribe', 'manual', 'import'));
      ALTER TABLE suppressions ADD COLUMN campaign TEXT;  -- the campaign's name when it happened
      ALTER TABLE suppressions ADD COLUMN detail TEXT;    -- the server's words, or what a person wrote
      UPDATE suppressions SET kind = 'import' WHERE reason LIKE 'imported from %';
      UPDATE suppressions SET detail = reason;

      ALTER TABLE campaigns ADD COLUMN bounce_pause_percent REAL NOT NULL DEFAULT 5
        CHECK (bounce_pause_percent >= 0 AND bounce_pause_percent <= 100);
    `);
  },
};
