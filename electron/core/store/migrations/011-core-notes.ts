import type { Migration } from './index';

/**
 * Issue 15 (languages): the core's own sentences stored for people to read get their code and parameters beside
 * them, as JSON `{"code": …, "params": {…}}` (electron/core/notes.ts), so the window words them in its language.
 * The English columns stay as they were: the command line prints them, and rows written before keep only them.
 * - `campaigns.pause_note`: why it paused or waits (`pause_reason`).
 * - `mailboxes.last_error_note`: why its last check failed (`last_error`).
 * - `outbox.last_note`, `outbox_attempts.note`: Postroom's own note (`last_response`, `response`) where it wrote
 *   one instead of the server's words (skipped, interrupted, gave up).
 * - `mailbox_feedback.detail_note`, `suppressions.detail_note`: Postroom's description of a report, an unsubscribe
 *   request, a soft-bounce streak or an import (`detail`), where it isn't the server's words.
 */
export const m011CoreNotes: Migration = {
  version: 11,
  name: 'core-notes',
  up(db) {
    db.exec(`
      ALTER TABLE campaigns ADD COLUMN pause_note TEXT;
      ALTER TABLE mailboxes ADD COLUMN last_error_note TEXT;
      ALTER TABLE outbox ADD COLUMN last_note TEXT;
      ALTER TABLE outbox_attempts ADD COLUMN note TEXT;
      ALTER TABLE mailbox_feedback ADD COLUMN detail_note TEXT;
      ALTER TABLE suppressions ADD COLUMN detail_note TEXT;
    `);
  },
};
