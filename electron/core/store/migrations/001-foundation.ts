import type { Migration } from './index';

/** Settings (window state, first-run choices, safe mode) and the registry of running engines/processes. */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,            -- JSON
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
