import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrations } from '../../../electron/core/store/migrations';
import { getSetting, setSetting } from '../../../electron/core/store/settings';
import { tempDir } from '../../helpers';

describe('migration 1 (foundation)', () => {
  it('creates the settings table on an empty database, where settings round-trip as JSON', () => {
    const db = openDatabase(tempDir(), { migrations: migrations.slice(0, 1) });
    expect(schemaVersion(db)).toBe(1);
    setSetting(db, 'window', { width: 900, height: 700, maximized: false });
    expect(getSetting(db, 'window')).toEqual({ width: 900, height: 700, maximized: false });
    setSetting(db, 'window', { width: 1000, height: 700, maximized: true });
    expect(getSetting<{ width: number }>(db, 'window')?.width).toBe(1000);
    expect(getSetting(db, 'missing')).toBeUndefined();
    db.close();
  });
});
