import type { Migration } from './index';

/**
 * Campaigns and the outbox: one row per recipient per campaign, in one named state (electron/core/outbox/state.ts
 * is the only module that moves it), the log of every attempt, and the registry of running engines whose
 * heartbeats make the rows' leases good.
 */
export const m005Outbox: Migration = {
  version: 5,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE campaigns (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        list_id      INTEGER REFERENCES lists(id) ON DELETE SET NULL,
        template_id  INTEGER REFERENCES templates(id) ON DELETE SET NULL,
        relay_ids    TEXT NOT NULL DEFAULT '[]',  -- JSON array of relay ids, in failover order
        unsubscribe  TEXT,                        -- mailto:ADDRESS or https://URL for List-Unsubscribe
        scheduled_at INTEGER,                     -- ms since epoch; sending starts no earlier
        state        TEXT NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'scheduled', 'sending', 'waiting', 'paused', 'completed', 'cancelled')),
        pause_reason TEXT,                        -- why it paused, in a person's words
        pause_code   TEXT,                        -- NULL when a person paused it; else an ErrorCode (AUTH_FAILED, ...)
        snapshot_at  INTEGER,                     -- when the recipients were fixed into the outbox (first send)
        started_at   INTEGER,
        finished_at  INTEGER,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE outbox (
        id                 INTEGER PRIMARY KEY,
        campaign_id        INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        email              TEXT NOT NULL,
        email_key          TEXT NOT NULL,
        name               TEXT,
        fields             TEXT NOT NULL DEFAULT '{}', -- JSON: the recipient's merge fields when the campaign started
        message_id         TEXT NOT NULL,              -- fixed at the snapshot; the same on every retry
        state              TEXT NOT NULL DEFAULT 'queued'
                           CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'skipped', 'cancelled')),
        attempts           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at    INTEGER NOT NULL DEFAULT 0,
        first_attempt_at   INTEGER,                    -- give-up is counted from here
        lease_owner        TEXT,                       -- engines.id holding the row
        lease_until        INTEGER,
        relay_id           INTEGER,                    -- the relay of the last attempt
        last_response      TEXT,                       -- the server's words (or why it was skipped)
        sent_at            INTEGER,
        possible_duplicate INTEGER NOT NULL DEFAULT 0, -- was in flight when an engine died: may have gone twice
        UNIQUE (campaign_id, email_key)
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (campaign_id, state, next_attempt_at);
      CREATE INDEX outbox_lease ON outbox (lease_owner) WHERE lease_owner IS NOT NULL;
      CREATE INDEX outbox_sent_at ON outbox (campaign_id, sent_at) WHERE sent_at IS NOT NULL;

      CREATE TABLE outbox_attempts (
        id         INTEGER PRIMARY KEY,
        outbox_id  INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        at         INTEGER NOT NULL,
        relay_id   INTEGER,
        outcome    TEXT NOT NULL,   -- sent | deferred | failed | throttled | interrupted | skipped
        response   TEXT
      ) STRICT;
      CREATE INDEX outbox_attempts_row ON outbox_attempts (outbox_id, at);

      CREATE TABLE engines (
        id           TEXT PRIMARY KEY,
        pid          INTEGER NOT NULL,
        hostname     TEXT NOT NULL,
        host_kind    TEXT NOT NULL,    -- desktop | browser | cli | test
        started_at   INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
