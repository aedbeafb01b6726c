import { describe, expect, it } from 'vitest';
import { reachedAtStart } from '../../helpers';

describe('the import worker', () => {
  // Its start is on the critical path of every import: the rows wait for it. zod alone takes 65-100 ms to load.
  it('starts without a schema library, a database or a mail library', async () => {
    const reached = await reachedAtStart('electron/core/import/import-worker.ts');
    expect(reached).toContain('electron/core/import/row-builder.ts');
    expect(reached.filter((f) => /^(zod|liquidjs|nodemailer|better-sqlite3|exceljs|juice|marked|ws)(\/|$)|shared\/contract|shared\/result/.test(f))).toEqual([]);
  });
});
