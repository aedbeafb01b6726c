import type { Migration } from './index';

/** Campaigns and the outbox: one row per recipient per campaign, in one named state. */
export const m005Outbox: Migration = {
  version: 5,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE campaigns (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        list_id     INTEGER REFERENCES lists(id) ON DELETE SET NULL,
        template_id INTEGER REFERENCES templates(id) ON DELETE SET NULL,
        state       TEXT NOT NULL DEFAULT 'draft',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        email       TEXT NOT NULL,
        email_key   TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'queued',
        UNIQUE (campaign_id, email_key)
      ) STRICT;
    `);
  },
};
