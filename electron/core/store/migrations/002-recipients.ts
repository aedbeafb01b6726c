import type { Migration } from './index';

/** Lists, their recipients (one row per address per list, matched case-insensitively), and the suppression list. */
export const m002Recipients: Migration = {
  version: 2,
  name: 'recipients',
  up(db) {
    db.exec(`
      CREATE TABLE lists (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        source     TEXT,                     -- the file it was last imported from
        fields     TEXT NOT NULL DEFAULT '[]', -- JSON array of merge-field names
        -- Set while an import is filling this hidden list (JSON {pid, host, startedAt}); NULL for every real list.
        -- A running import writes here so that a new list costs nothing to commit (see store/recipients.ts).
        importing  TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE recipients (
        id         INTEGER PRIMARY KEY,
        list_id    INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
        email      TEXT NOT NULL,            -- as written (trimmed)
        email_key  TEXT NOT NULL,            -- lower-cased, for matching
        name       TEXT,
        fields     TEXT NOT NULL DEFAULT '{}', -- JSON object of merge fields
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (list_id, email_key)
      ) STRICT;
      CREATE TABLE suppressions (
        email_key  TEXT PRIMARY KEY,
        email      TEXT NOT NULL,
        reason     TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
