import type { Migration } from './index';

/**
 * Issue 11 (hostile input, local secrets):
 * - `attachments_dir` on campaigns and templates: the one folder per-recipient attachments are read from (values
 *   resolve inside it only); on lists, the folder of the spreadsheet a command-line import read (the default for
 *   campaigns of that list; the window imports an uploaded copy, so its lists have none).
 * - `tls_fingerprint` on relays: the SHA-256 fingerprint of the self-signed certificate the person accepted; later
 *   connections must present that same certificate (instead of certificate checks being switched off).
 */
export const m007LocalSafety: Migration = {
  version: 7,
  name: 'local-safety',
  up(db) {
    db.exec(`
      ALTER TABLE campaigns ADD COLUMN attachments_dir TEXT;
      ALTER TABLE templates ADD COLUMN attachments_dir TEXT;
      ALTER TABLE lists ADD COLUMN attachments_dir TEXT;
      ALTER TABLE relays ADD COLUMN tls_fingerprint TEXT;
    `);
  },
};
