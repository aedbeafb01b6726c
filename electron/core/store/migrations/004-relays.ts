import type { Migration } from './index';

/** Relay profiles: the SMTP servers mail is handed to, with their limits. Secrets are sealed, never plain. */
export const m004Relays: Migration = {
  version: 4,
  name: 'relays',
  up(db) {
    db.exec(`
      CREATE TABLE relays (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        preset      TEXT NOT NULL DEFAULT 'custom',
        host        TEXT NOT NULL,
        port        INTEGER NOT NULL,
        security    TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        user        TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
