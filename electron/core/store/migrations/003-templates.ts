import type { Migration } from './index';

/**
 * Merge templates, the files they carry (global attachments and cid: inline images, kept in the database so a
 * template does not break when a file is moved), and DKIM keys per sender domain (private key sealed with the
 * host's SecretBox, never in plain text).
 */
export const m003Templates: Migration = {
  version: 3,
  name: 'templates',
  up(db) {
    db.exec(`
      CREATE TABLE templates (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        subject      TEXT NOT NULL,
        from_addr    TEXT NOT NULL,            -- "Name <address>"; the name may merge fields
        reply_to     TEXT,
        format       TEXT NOT NULL CHECK (format IN ('html', 'markdown')),
        body         TEXT NOT NULL,
        text_body    TEXT,                     -- NULL: generated from the HTML
        attach_field TEXT,                     -- a recipient field holding a per-recipient attachment path
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE template_attachments (
        id           INTEGER PRIMARY KEY,
        template_id  INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
        filename     TEXT NOT NULL,
        content_type TEXT NOT NULL,
        cid          TEXT,                     -- set for inline images (<img src="cid:...">)
        content      BLOB NOT NULL,
        created_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX template_attachments_template ON template_attachments(template_id);
      CREATE TABLE dkim_keys (
        domain       TEXT PRIMARY KEY COLLATE NOCASE,
        selector     TEXT NOT NULL,
        private_key  BLOB NOT NULL,            -- sealed with ctx.secrets
        public_key   TEXT NOT NULL,            -- base64 SPKI, for the DNS record
        created_at   INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
