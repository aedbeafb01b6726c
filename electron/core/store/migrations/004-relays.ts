import type { Migration } from './index';

/**
 * Relay profiles: the SMTP servers mail is handed to, with their limits and retry policy. A password or OAuth2
 * token is never stored in plain text: either sealed by the host's SecretBox (Electron's safeStorage on the
 * desktop) in `secret_sealed`, or named by `secret_env`, an environment variable read when sending.
 *
 * `relay_sends` is the pacing ledger every process shares: one row per message handed (or about to be handed)
 * to a relay. `seen_by` is the latest moment the relay can have received it: while the send is under way it is
 * the send's deadline, afterwards the moment the relay answered. A new send is allowed only while fewer than
 * the limit have `seen_by` inside the window, which keeps every sliding window the relay sees within the limit.
 */
export const m004Relays: Migration = {
  version: 4,
  name: 'relays',
  up(db) {
    db.exec(`
      CREATE TABLE relays (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        preset       TEXT NOT NULL DEFAULT 'custom',
        host         TEXT NOT NULL,
        port         INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security     TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        accept_self_signed INTEGER NOT NULL DEFAULT 0 CHECK (accept_self_signed IN (0, 1)),
        user         TEXT,
        auth         TEXT NOT NULL DEFAULT 'none' CHECK (auth IN ('none', 'password', 'oauth2')),
        secret_sealed BLOB,                  -- SecretBox.encrypt(password or token)
        secret_env   TEXT,                   -- or: the environment variable that holds it
        per_second   INTEGER CHECK (per_second > 0),
        per_minute   INTEGER CHECK (per_minute > 0),
        per_hour     INTEGER CHECK (per_hour > 0),
        per_day      INTEGER CHECK (per_day > 0),
        connections  INTEGER NOT NULL DEFAULT 4 CHECK (connections >= 1),
        retry_min_ms INTEGER NOT NULL DEFAULT 60000,
        retry_max_ms INTEGER NOT NULL DEFAULT 3600000,
        give_up_ms   INTEGER NOT NULL DEFAULT 172800000,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        CHECK (secret_sealed IS NULL OR secret_env IS NULL)
      ) STRICT;
      CREATE TABLE relay_sends (
        id        INTEGER PRIMARY KEY,
        relay_id  INTEGER NOT NULL REFERENCES relays(id) ON DELETE CASCADE,
        at        INTEGER NOT NULL,          -- when the slot was reserved (ms since epoch)
        seen_by   INTEGER NOT NULL,          -- latest moment the relay can have received the message
        n         INTEGER NOT NULL DEFAULT 1 -- recipients it counts for
      ) STRICT;
      CREATE INDEX relay_sends_window ON relay_sends (relay_id, seen_by, n); -- covers the window sums
      CREATE INDEX relay_sends_at ON relay_sends (relay_id, at);
    `);
  },
};
