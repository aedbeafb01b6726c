import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { getTemplate, listTemplates } from '../../../electron/core/store/templates';
import { migrationsUpTo, tempDir } from '../../helpers';

describe('migration 010 (visual templates)', () => {
  it('adds the editor document to a database at the previous version, keeping its templates as they were', () => {
    const dir = tempDir('postroom-m010-');
    const before = openDatabase(dir, { migrations: migrationsUpTo(9) });
    before
      .prepare(
        `INSERT INTO templates (id, name, subject, from_addr, format, body, created_at, updated_at) VALUES (1, 'Old', 'Hi', 'a@example.com', 'markdown', '# Hi', 1, 1)`,
      )
      .run();
    before.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(10) });
    expect(schemaVersion(db)).toBe(10);
    expect(getTemplate(db, 1)).toMatchObject({ name: 'Old', format: 'markdown', body: '# Hi' });
    expect(getTemplate(db, 1)).not.toHaveProperty('doc');
    db.prepare(`UPDATE templates SET editor_doc = '{}' WHERE id = 1`).run();
    expect(listTemplates(db)[0]!.format).toBe('visual');
    db.close();
  });
});
