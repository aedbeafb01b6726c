import { describe, expect, it } from 'vitest';
import { reachedAtStart } from '../../helpers';

describe('the import worker', () => {
  // Its start is on the critical path of every import: the rows wait for it. zod alone takes 65-100 ms to load.
  it('starts without a schema library, a database or a mail library', async () => {
    const reached = await reachedAtStart('electron/core/import/import-worker.ts');
    expect(reached).toContain('electron/core/import/row-builder.ts');
    expect(reached.filter((f) => /^(zod|liquidjs|nodemailer|better-sqlite3|exceljs|juice|marked|ws)(\/|$)|shared\/contract|shared\/result/.test(f))).toEqual([]);
  });

  // A host starts it ahead before it loads the contract and the database (the command line's import does, in its
  // `prepare`): so it can come up on the other core while they load, not after them.
  it('is started ahead by a module, and a command, that reach no schema or database', async () => {
    for (const entry of ['electron/core/import/worker-feed.ts', 'electron/hosts/cli/recipients.ts']) {
      const reached = await reachedAtStart(entry);
      expect(reached).toContain('electron/core/import/worker-feed.ts');
      expect(reached.filter((f) => /^(zod|better-sqlite3)(\/|$)|shared\/contract|shared\/result|core\/store\//.test(f)), entry).toEqual([]);
    }
  });
});
