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

    const at10 = openDatabase(dir, { migrations: migrationsUpTo(10) });
    expect(schemaVersion(at10)).toBe(10);
    expect(at10.prepare(`SELECT name, format, body, editor_doc FROM templates WHERE id = 1`).get()).toEqual({ name: 'Old', format: 'markdown', body: '# Hi', editor_doc: null });
    at10.close();

    // The store reads the schema of this build (later migrations add columns it reads too).
    const db = openDatabase(dir);
    expect(getTemplate(db, 1)).toMatchObject({ name: 'Old', format: 'markdown', body: '# Hi' });
    expect(getTemplate(db, 1)).not.toHaveProperty('doc');
    db.prepare(`UPDATE templates SET editor_doc = '{}' WHERE id = 1`).run();
    expect(listTemplates(db)[0]!.format).toBe('visual');
    db.close();
  });
});
