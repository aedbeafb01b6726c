import type { Migration } from './index';

/**
 * Issue 15 (languages): a template says which language its message is written in (`en`, `de`, `fr`, `es`), so the
 * layout writes `<html lang>` and its own footer in that language. Every template saved before was laid out in
 * English: the column starts as 'en' for them, and their messages stay exactly as they were. No CHECK on the
 * values (a CHECK can't be widened later without rebuilding the table, see migration 10): store/templates.ts reads
 * a value it doesn't know as English.
 */
export const m012TemplateLanguage: Migration = {
  version: 12,
  name: 'template-language',
  up(db) {
    db.exec(`ALTER TABLE templates ADD COLUMN language TEXT NOT NULL DEFAULT 'en';`);
  },
};
