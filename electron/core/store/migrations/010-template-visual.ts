import type { Migration } from './index';

/**
 * Templates written in the visual editor keep the editor's document (JSON, with the brand colour and logo) so
 * they reopen as they were. Their body stays an HTML fragment in `body`, so `format` is stored as 'html' (the
 * CHECK of migration 3 can't be widened without rebuilding the table, which would cascade to its attachments):
 * a row with `editor_doc` set is a `visual` template. Only store/templates.ts reads and writes the column.
 */
export const m010TemplateVisual: Migration = {
  version: 10,
  name: 'template-visual',
  up(db) {
    db.exec(`ALTER TABLE templates ADD COLUMN editor_doc TEXT;`);
  },
};
