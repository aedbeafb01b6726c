import type { Migration } from './index';

/** Merge templates. */
export const m003Templates: Migration = {
  version: 3,
  name: 'templates',
  up(db) {
    db.exec(`
      CREATE TABLE templates (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        subject     TEXT NOT NULL,
        from_addr   TEXT NOT NULL,
        reply_to    TEXT,
        format      TEXT NOT NULL CHECK (format IN ('html', 'markdown')),
        body        TEXT NOT NULL,
        text_body   TEXT,
        attachments TEXT NOT NULL DEFAULT '[]', -- JSON array of file paths
        attach_field TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
