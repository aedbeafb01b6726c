import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, recipientsOf, tempDir, type Harness } from './helpers';
import { hostileFiles, writeHostileFiles, writeNormalCsv } from './hostile-files';

// Each crafted file through the contract, on the import worker as the app runs it: a clear IMPORT_FAILED that
// names the problem, the list left as it was, and the next normal import correct. (The command-line test imports
// each with a 256 MB heap: test/hosts/cli-hostile.test.ts.)
let h: Harness;
let dir: string;
let files: Map<string, string>;
beforeAll(async () => {
  h = harness();
  dir = tempDir('postroom-hostile-');
  files = await writeHostileFiles(dir);
}, 120_000);
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('hostile and broken spreadsheets', () => {
  for (const hostile of hostileFiles) {
    it(`refuse ${hostile.what} with IMPORT_FAILED naming the problem, then import a normal file correctly`, async () => {
      const list = `Hostile ${hostile.name}`;
      const err = await h.fail('lists:import', { path: files.get(hostile.name)!, listName: list });
      expect(err.code).toBe('IMPORT_FAILED');
      expect(err.message).toContain(hostile.name);
      expect(err.message).toMatch(hostile.expect);
      expect(err.message).not.toMatch(/Cannot read properties|Invalid column letter|heap|undefined/);
      expect((await h.call('lists:list', {})).map((l) => l.name)).not.toContain(list);

      const s = await h.call('lists:import', { path: writeNormalCsv(dir), listName: `After ${hostile.name}` });
      expect(s).toMatchObject({ rows: 500, imported: 500, invalid: 0, duplicates: 0 });
      expect((await recipientsOf(h, s.listId))[0]).toMatchObject({ email: 'person1000000@example.com', name: 'Person 1000000' });
    }, 60_000);
  }

  it('refuse the same files in the preview (read on a worker thread)', async () => {
    for (const name of ['far-row.xlsx', 'wide.xlsx', 'stray-quote.csv', 'one-line.csv']) {
      const err = await h.fail('lists:previewImport', { path: files.get(name)! });
      expect(err.code, name).toBe('IMPORT_FAILED');
      expect(err.message, name).toMatch(hostileFiles.find((f) => f.name === name)!.expect);
    }
  }, 60_000);

  it('read a quote that pairs up across a few lines as one cell, as a spreadsheet program does', async () => {
    const file = path.join(dir, 'notes.csv');
    fs.writeFileSync(file, 'email,note\nanna@example.com,"line one\nline two, with a comma\nline three"\nbob@example.com,plain\n');
    const s = await h.call('lists:import', { path: file, listName: 'Notes' });
    expect(s).toMatchObject({ rows: 2, imported: 2 });
    expect((await recipientsOf(h, s.listId))[0]).toMatchObject({ email: 'anna@example.com', note: 'line one\nline two, with a comma\nline three' });
  });

  it('refuse a cell whose quotes do not pair up across even two rows: no row is read into another in silence', async () => {
    const file = path.join(dir, 'two-rows.csv');
    fs.writeFileSync(file, 'email,name\nanna@example.com,"Anna\nbob@example.com,Bob "the" Builder",x\ncarl@example.com,Carl\n');
    const err = await h.fail('lists:import', { path: file, listName: 'Two rows' });
    expect(err).toMatchObject({ code: 'IMPORT_FAILED', message: expect.stringMatching(/row 2 .*quotes.*don't pair up.*runs over 1 line,/) });
  });

  it('let a stray quote inside one row be: no row is lost', async () => {
    const file = path.join(dir, 'inner-quote.csv');
    fs.writeFileSync(file, 'email,name\nanna@example.com,Anna "the boss" Smith\nbob@example.com,"Bob "B" Jones"\ncarl@example.com,Carl\n');
    const s = await h.call('lists:import', { path: file, listName: 'Inner quotes' });
    expect(s).toMatchObject({ rows: 3, imported: 3 });
  });
});
