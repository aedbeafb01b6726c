import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { getTemplate, listTemplates, updateTemplate } from '../../../electron/core/store/templates';
import { migrationsUpTo, tempDir } from '../../helpers';

describe('migration 012 (the language of a template)', () => {
  it('gives every template saved before English, the language it was laid out in, and keeps the rest as it was', () => {
    const dir = tempDir('postroom-m012-');
    const old = openDatabase(dir, { migrations: migrationsUpTo(11) });
    expect(schemaVersion(old)).toBe(11);
    old
      .prepare(`INSERT INTO templates (id, name, subject, from_addr, format, body, created_at, updated_at) VALUES (1, 'Letter', 'Hi', 'Ann <ann@example.com>', 'markdown', '# Hi {{ first_name }}', 1, 2)`)
      .run();
    old
      .prepare(`INSERT INTO templates (id, name, subject, from_addr, format, body, editor_doc, created_at, updated_at) VALUES (2, 'Visual', 'News', 'ann@example.com', 'html', '<p>News</p>', '{}', 1, 1)`)
      .run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(12) });
    expect(schemaVersion(db)).toBe(12);
    expect(getTemplate(db, 1)).toMatchObject({ name: 'Letter', format: 'markdown', body: '# Hi {{ first_name }}', language: 'en', updatedAt: 2 });
    expect(getTemplate(db, 2)).toMatchObject({ name: 'Visual', format: 'visual', doc: '{}', language: 'en' });
    expect(listTemplates(db).map((t) => [t.name, t.language])).toEqual([
      ['Letter', 'en'],
      ['Visual', 'en'],
    ]);

    // A change that names no language keeps the template's; one that does, changes it.
    const { id: _id, attachments: _a, createdAt: _c, updatedAt: _u, language: _l, ...draft } = getTemplate(db, 1);
    updateTemplate(db, 1, draft, 3);
    expect(getTemplate(db, 1).language).toBe('en');
    updateTemplate(db, 1, { ...draft, language: 'de' }, 4);
    expect(getTemplate(db, 1).language).toBe('de');
    // A value this version doesn't know (written by hand) reads as English.
    db.prepare(`UPDATE templates SET language = 'tlh' WHERE id = 2`).run();
    expect(getTemplate(db, 2).language).toBe('en');
    db.close();
  });
});
