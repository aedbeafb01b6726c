import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import nodePath from 'node:path';
import { harness, type Harness } from './helpers';
import type { ImportProgress } from '../../../shared/contract/recipients';

// The worker runs as the build made it (dist/import-worker.cjs): nothing compiles it at run time.
beforeAll(() => {
  const root = nodePath.resolve(__dirname, '../../..');
  execFileSync(process.execPath, ['scripts/build.mjs', 'core'], { cwd: root, stdio: 'ignore' });
  process.env.POSTROOM_WORKER_DIR = nodePath.join(root, 'dist');
}, 120_000);
afterAll(() => {
  delete process.env.POSTROOM_WORKER_DIR;
});

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

function bigCsv(rows: number): string {
  const p = `${h.dir}/big.csv`;
  const lines = ['email,first_name,city'];
  for (let i = 0; i < rows; i++) lines.push(`user${i}@example.com,Name${i},City${i % 10}`);
  fs.writeFileSync(p, lines.join('\n'));
  return p;
}

describe('running an import', () => {
  it('emits reading progress at most 10 times a second, then saving and done as they come', async () => {
    const events: Array<{ at: number; p: ImportProgress }> = [];
    h.service.events.on('lists:importProgress', (p) => events.push({ at: Date.now(), p }));
    const s = await h.call('lists:import', { path: bigCsv(60_000), listName: 'Big', importId: 'run-1' });
    expect(s.imported).toBe(60_000);
    expect(events.slice(-2).map((e) => e.p.phase)).toEqual(['saving', 'done']);
    expect(events.at(-1)!.p).toMatchObject({ importId: 'run-1', phase: 'done', rows: 60_000 });
    const reading = events.filter((e) => e.p.phase === 'reading');
    expect(reading.length).toBeGreaterThan(0);
    for (let i = 1; i < reading.length; i++) expect(reading[i]!.at - reading[i - 1]!.at).toBeGreaterThanOrEqual(95);
  });

  it('cancelling leaves the list exactly as it was', async () => {
    const first = await h.call('lists:import', { path: h.file('small.csv', 'email,city\nkeep@example.com,Bonn\n'), listName: 'Keep' });
    const path = bigCsv(200_000);
    h.service.events.on('lists:importProgress', (p) => {
      if (p.phase === 'reading') void h.call('lists:cancelImport', { importId: 'c-1' });
    });
    const e = await h.fail('lists:import', { path, listId: first.listId, importId: 'c-1' });
    expect(e.code).toBe('CANCELLED');
    const lists = await h.call('lists:list', {});
    expect(lists.map((l) => [l.name, l.recipients, l.fields])).toEqual([['Keep', 1, ['email', 'city']]]);
  });

  it('a cancelled import into a new list does not create it', async () => {
    h.service.events.on('lists:importProgress', (p) => {
      if (p.phase === 'reading') void h.call('lists:cancelImport', { importId: 'c-2' });
    });
    const e = await h.fail('lists:import', { path: bigCsv(200_000), listName: 'Never', importId: 'c-2' });
    expect(e.code).toBe('CANCELLED');
    expect(await h.call('lists:list', {})).toEqual([]);
  });

  it('answers other requests while a big import runs', async () => {
    const run = h.call('lists:import', { path: bigCsv(150_000), listName: 'Big' });
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    const lists = await h.call('lists:list', {});
    expect(Date.now() - t0).toBeLessThan(500);
    expect(lists).toEqual([]);
    expect((await run).imported).toBe(150_000);
  });

  it('gives the skipped rows as CSV with formula-like cells escaped', async () => {
    const path = h.file('skip.csv', 'email,note\n=HYPERLINK("x"),@risk\nok@example.com,fine\n');
    await h.call('lists:import', { path, listName: 'S', importId: 's-1' });
    const { fileName, csv } = await h.call('lists:skippedCsv', { importId: 's-1' });
    expect(fileName).toBe('skip-skipped-rows.csv');
    expect(csv).toBe('\ufeffRow,Reason,email,note\r\n1,"invalid e-mail address ""=HYPERLINK(\\""x\\"")"": it has no @",' + `"'=HYPERLINK(""x"")",'@risk\r\n`);
  });
});

describe('what an import records with its list', () => {
  const folderOf = (listId: number) => h.service.ctx.db.prepare('SELECT attachments_dir FROM lists WHERE id = ?').pluck().get(listId);

  it('records the attachments folder it is given in its own commit, never one inside the data folder, and keeps it when given none', async () => {
    const file = h.file('with-invoices.csv', 'email,invoice\nann@example.com,a.pdf\n');
    const first = await h.call('lists:import', { path: file, listName: 'Invoices', attachmentsFolder: h.dir });
    expect(first).toMatchObject({ list: 'Invoices', imported: 1 });
    expect(folderOf(first.listId)).toBe(nodePath.normalize(h.dir));
    // Inside the data folder (it holds the key to the stored passwords): the import goes on, the folder stays as it was.
    const inside = await h.call('lists:import', { path: file, listName: 'invoices', attachmentsFolder: h.service.ctx.dataDir });
    expect(inside).toMatchObject({ listId: first.listId, list: 'Invoices', updated: 1 });
    expect(folderOf(first.listId)).toBe(nodePath.normalize(h.dir));
    await h.call('lists:import', { path: file, listId: first.listId });
    expect(folderOf(first.listId)).toBe(nodePath.normalize(h.dir));
    // A folder that isn't there is not recorded either, for a new list as for an existing one.
    const other = await h.call('lists:import', { path: file, listName: 'Other', attachmentsFolder: nodePath.join(h.dir, 'missing') });
    expect(folderOf(other.listId)).toBeNull();
  });

  it('checks the staged rows against addresses suppressed while it ran, from either side of the join', async () => {
    // The commit walks the suppression list when it is the shorter one (Few), else the staged rows (Many): both find
    // the address suppressed after the rows were checked, as the import saves.
    for (const [name, others] of [['Few', 0], ['Many', 30]] as const) {
      if (others) await h.call('suppressions:add', { emails: Array.from({ length: others }, (_, i) => `nobody${i}@example.org`) });
      const rows = ['email', 'Late@Example.com', ...Array.from({ length: 5 }, (_, i) => `keep${i}@example.com`)];
      let told = false;
      const off = h.service.events.on('lists:importProgress', (p) => {
        if (told || p.phase !== 'saving') return;
        told = true;
        void h.call('suppressions:add', { emails: ['late@example.com'] });
      });
      const s = await h.call('lists:import', { path: h.file(`${name}.csv`, rows.join('\n')), listName: name });
      off();
      expect(told).toBe(true);
      expect(s).toMatchObject({ imported: 5, suppressed: 1 });
      expect(s.errors).toEqual([expect.objectContaining({ row: 1, kind: 'suppressed' })]);
      const kept = await h.call('lists:recipients', { id: s.listId, limit: 10 });
      expect(kept.recipients.map((r) => r.email).sort()).toEqual(rows.slice(2).sort());
      await h.call('suppressions:remove', { emails: ['late@example.com'] });
    }
  });
});

describe('where the rows are read', () => {
  it('gives the same result in the import worker as on the calling thread', async () => {
    const { importFile } = await import('../../../electron/core/import/importer');
    const lines = ['Email;Vorname;Stadt', 'a@example.com;Ann;Köln', 'bad;B;X', 'A@EXAMPLE.com;Dup;Y', '', 'Carl <c@example.com>;;Bonn', 'Stop@Example.com;S;Z'];
    const path = h.file('same.csv', lines.join('\r\n'), 'windows-1252');
    const db = h.service.ctx.db;
    await h.call('suppressions:add', { emails: ['stop@example.com'] });
    const run = (thread: 'worker' | 'calling', listName: string) => importFile(db, { path, listName, importId: `${thread}-1`, now: () => 1, thread });
    const [w, c] = [await run('worker', 'W'), await run('calling', 'C')];
    expect([w.thread, c.thread]).toEqual(['worker', 'calling']);
    const strip = (r: typeof w) => ({ ...r.summary, importId: '', listId: 0, list: '', durationMs: 0, skipped: r.skipped });
    expect(strip(w)).toEqual(strip(c));
    expect(w.summary).toMatchObject({ rows: 5, imported: 2, duplicates: 1, invalid: 1, suppressed: 1, emptyLines: 1 });
    expect(w.summary.errors.map((e) => e.reason)).toContain('suppressed: "Stop@Example.com" is on the suppression list');
    const rows = (id: number) => h.service.ctx.db.prepare('SELECT email, email_key, name, fields FROM recipients WHERE list_id = ? ORDER BY email_key').all(id);
    expect(rows(w.summary.listId)).toEqual(rows(c.summary.listId));
    expect(rows(w.summary.listId)).toEqual([
      { email: 'a@example.com', email_key: 'a@example.com', name: 'Ann', fields: '{"first_name":"Ann","city":"Köln"}' },
      { email: 'c@example.com', email_key: 'c@example.com', name: 'Carl', fields: '{"first_name":"","city":"Bonn"}' },
    ]);
  });

  it('finds a duplicate whose first row was written to the stage batches earlier', async () => {
    const lines = ['email,city'];
    for (let i = 0; i < 20_000; i++) lines.push(`user${i}@example.com,C${i}`);
    lines.push('USER7@example.com,again', 'user19999@EXAMPLE.com,again');
    const s = await h.call('lists:import', { path: h.file('late-dup.csv', lines.join('\n')), listName: 'Late' });
    expect(s).toMatchObject({ rows: 20_002, imported: 20_000, duplicates: 2 });
    expect(s.errors).toEqual([
      { row: 20_001, kind: 'duplicate', reason: 'duplicate: "USER7@example.com" is already on row 8' },
      { row: 20_002, kind: 'duplicate', reason: 'duplicate: "user19999@EXAMPLE.com" is already on row 20000' },
    ]);
  });

  it('leaves no hidden staging list behind after a failed or cancelled import', async () => {
    h.service.events.on('lists:importProgress', (p) => {
      if (p.phase === 'reading') void h.call('lists:cancelImport', { importId: 'c-3' });
    });
    await h.fail('lists:import', { path: bigCsv(100_000), listName: 'Gone', importId: 'c-3' });
    expect(h.service.ctx.db.prepare('SELECT count(*) FROM lists').pluck().get()).toBe(0);
    expect(h.service.ctx.db.prepare('SELECT count(*) FROM recipients').pluck().get()).toBe(0);
  });
});

describe('file handles', () => {
  /** How many of this process's open files are the database's WAL (Linux's /proc). */
  const walHandles = (): number => {
    const wal = `${h.service.ctx.db.name}-wal`;
    return fs.readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`) === wal;
      } catch {
        return false;
      }
    }).length;
  };
  const settled = async (want: number): Promise<number> => {
    for (let i = 0; i < 100 && walHandles() !== want; i++) await new Promise((r) => setTimeout(r, 10));
    return walHandles();
  };

  it.runIf(fs.existsSync('/proc/self/fd'))('leaves none open on the WAL after an import, finished or cancelled', async () => {
    const before = walHandles();
    expect(before).toBeGreaterThan(0); // the service's own connection
    expect((await h.call('lists:import', { path: bigCsv(30_000), listName: 'Done' })).imported).toBe(30_000);
    expect(await settled(before)).toBe(before);
    h.service.events.on('lists:importProgress', (p) => {
      if (p.phase === 'reading') void h.call('lists:cancelImport', { importId: 'c-9' });
    });
    expect((await h.fail('lists:import', { path: bigCsv(100_000), listName: 'Gone', importId: 'c-9' })).code).toBe('CANCELLED');
    expect(await settled(before)).toBe(before);
  });
});

describe('imports at the same time', () => {
  it('runs two imports side by side, each into its own list', async () => {
    const a = h.file('a.csv', 'email\n' + Array.from({ length: 3000 }, (_, i) => `a${i}@example.com`).join('\n'));
    const b = h.file('b.csv', 'email\n' + Array.from({ length: 2000 }, (_, i) => `b${i}@example.com`).join('\n'));
    const [sa, sb] = await Promise.all([h.call('lists:import', { path: a, listName: 'A' }), h.call('lists:import', { path: b, listName: 'B' })]);
    expect([sa.imported, sb.imported]).toEqual([3000, 2000]);
    expect((await h.call('lists:list', {})).map((l) => [l.name, l.recipients])).toEqual([
      ['A', 3000],
      ['B', 2000],
    ]);
  });
});

describe('a worker started ahead', () => {

  it('is taken by the next import, and a dead one is replaced by the calling thread', async () => {
    const { importFile } = await import('../../../electron/core/import/importer');
    const { prestartImportWorker, spareWorkerWaiting } = await import('../../../electron/core/import/worker-feed');
    const { importWorkerFile } = await import('../../../electron/core/import/worker-file');
    const path = h.file('ahead.csv', 'email,city\na@example.com,Bonn\nbad,X\nb@example.com,Köln\n');
    await prestartImportWorker();
    expect(spareWorkerWaiting()).toBe(true);
    const r = await importFile(h.service.ctx.db, { path, listName: 'Ahead', importId: 'ahead', now: () => 1, workerFile: await importWorkerFile() });
    expect(r.summary).toMatchObject({ rows: 3, imported: 2, invalid: 1 });
    expect(r.thread).toBe('worker');
    expect(spareWorkerWaiting()).toBe(false);
    // A spare whose script can't load dies waiting; the import then reads the file itself.
    const broken = h.file('broken-spare.cjs', 'throw new Error("cannot load here");');
    await prestartImportWorker(broken);
    for (let i = 0; i < 200 && spareWorkerWaiting(); i++) await new Promise((res) => setTimeout(res, 10));
    expect(spareWorkerWaiting()).toBe(false);
    const again = await importFile(h.service.ctx.db, { path, listName: 'Again', importId: 'again', now: () => 1, workerFile: broken });
    expect(again.summary).toMatchObject({ rows: 3, imported: 2, invalid: 1 });
    expect(again.thread).toBe('calling');
  });

  it("reads the head of the import's file meanwhile when told it, which the import takes; told another, it is dropped", async () => {
    const { importFile } = await import('../../../electron/core/import/importer');
    const { prestartImportWorker, spareWorkerWaiting } = await import('../../../electron/core/import/worker-feed');
    const { importWorkerFile } = await import('../../../electron/core/import/worker-file');
    const workerFile = await importWorkerFile();
    const path = h.file('ahead-head.csv', 'email;city\na@example.com;Bonn\nb@example.com;Köln\n');
    const options = { path, delimiter: ';', map: { city: 'town' } };
    await prestartImportWorker(workerFile, options);
    const r = await importFile(h.service.ctx.db, { ...options, listName: 'Read ahead', importId: 'ra', now: () => 1, workerFile });
    expect(r.summary).toMatchObject({ rows: 2, imported: 2, fields: ['email', 'town'] });
    expect([r.thread, r.headReadAhead, r.rowsReadAhead]).toEqual(['worker', true, true]);
    // Read ahead with other options (no mapping): the import starts a worker of its own and maps as it was told.
    await prestartImportWorker(workerFile, { path, delimiter: ';' });
    expect(spareWorkerWaiting()).toBe(true);
    const other = await importFile(h.service.ctx.db, { ...options, listName: 'Told otherwise', importId: 'ra2', now: () => 1, workerFile });
    expect(other.summary).toMatchObject({ imported: 2, fields: ['email', 'town'] });
    expect([other.thread, other.headReadAhead, other.rowsReadAhead]).toEqual(['worker', false, false]);
    expect(spareWorkerWaiting()).toBe(false);
    // Started without options, then told them (the command line calls it again): the same spare reads the head.
    await prestartImportWorker(workerFile);
    await prestartImportWorker(workerFile, options);
    const later = await importFile(h.service.ctx.db, { ...options, listName: 'Told later', importId: 'ra3', now: () => 1, workerFile });
    expect([later.summary.imported, later.headReadAhead]).toEqual([2, true]);
  });

  it('reads the rows too, before the suppression list comes: the import checks those rows against it', async () => {
    const { importFile } = await import('../../../electron/core/import/importer');
    const { prestartImportWorker } = await import('../../../electron/core/import/worker-feed');
    const { importWorkerFile } = await import('../../../electron/core/import/worker-file');
    const workerFile = await importWorkerFile();
    // Several batches (64 KB of file each), suppressed and repeated addresses among them, early and late.
    const lines = ['email,city'];
    for (let i = 0; i < 6_000; i++) lines.push(`${i % 1000 === 7 ? 'Stop' : 'user'}${i}@example.com,City ${'x'.repeat(30)}${i}`);
    lines.push('stop7@example.com,again', 'USER1@example.com,again');
    const path = h.file('ahead-rows.csv', lines.join('\n'));
    const stopped = ['stop7@example.com', 'stop1007@example.com', 'stop5007@example.com'];
    await h.call('suppressions:add', { emails: stopped });
    await prestartImportWorker(workerFile, { path });
    // Time for the worker to read every row ahead, none of them checked against the list.
    await new Promise((res) => setTimeout(res, 500));
    const ahead = await importFile(h.service.ctx.db, { path, listName: 'Ahead rows', importId: 'ar', now: () => 1, workerFile });
    expect([ahead.thread, ahead.rowsReadAhead]).toEqual(['worker', true]);
    const here = await importFile(h.service.ctx.db, { path, listName: 'Here', importId: 'here', now: () => 1, thread: 'calling' });
    const strip = (r: typeof ahead) => ({ ...r.summary, importId: '', listId: 0, list: '', durationMs: 0, skipped: r.skipped });
    expect(strip(ahead)).toEqual(strip(here));
    expect(ahead.summary).toMatchObject({ rows: 6_002, imported: 5_997, suppressed: 4, duplicates: 1 });
    const keys = h.service.ctx.db.prepare('SELECT email_key FROM recipients WHERE list_id = ? AND email_key LIKE ? ORDER BY id').pluck();
    expect(keys.all(ahead.summary.listId, 'stop%')).toEqual(['stop2007@example.com', 'stop3007@example.com', 'stop4007@example.com']);
  });

  it("is told by the command line's import what the import then asks for, once the contract has parsed it", async () => {
    const { importReadOptions } = await import('../../../electron/hosts/cli/recipients');
    const { headRequest } = await import('../../../electron/core/import/worker-feed');
    const { ImportRequest } = await import('../../../shared/contract/recipients');
    for (const values of [{ list: 'L' }, { list: 'L', map: ['E-Mail=email', 'Notes='], sheet: 'Kunden', encoding: 'latin1', delimiter: 'tab' }]) {
      const read = importReadOptions(values, ['in.csv'], '/tmp');
      const asked = ImportRequest.parse({ ...read, listName: 'L', importId: 'x' });
      expect(JSON.stringify(headRequest(asked))).toBe(JSON.stringify(headRequest(read)));
      expect(read.path).toBe('/tmp/in.csv');
    }
  });

  it('is started by a preview, and never keeps a process alive', async () => {
    const { spareWorkerWaiting } = await import('../../../electron/core/import/worker-feed');
    await h.call('lists:previewImport', { path: h.file('p.csv', 'email\na@example.com\n') });
    for (let i = 0; i < 500 && !spareWorkerWaiting(); i++) await new Promise((res) => setTimeout(res, 10));
    expect(spareWorkerWaiting()).toBe(true);
    // A process that only starts one ends by itself.
    const { build } = await import('esbuild');
    const script = `${h.dir}/ahead.cjs`;
    const entry = h.file('ahead-entry.ts', `import { prestartImportWorker } from ${JSON.stringify(`${process.cwd()}/electron/core/import/worker-feed`)};\nvoid prestartImportWorker().then(() => console.log('started'));\n`);
    await build({ entryPoints: [entry], outfile: script, bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'silent', define: { __POSTROOM_VERSION__: '"test"' } });
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000, cwd: process.cwd(), env: { ...process.env, NODE_PATH: `${process.cwd()}/node_modules` } });
    expect(run.error).toBeUndefined();
    expect([run.status, run.stdout.trim()]).toEqual([0, 'started']);
  });
});

describe('when the worker cannot run', () => {
  it('does the same import on the calling thread', async () => {
    const { importFile } = await import('../../../electron/core/import/importer');
    const broken = h.file('broken-worker.cjs', 'throw new Error("cannot load here");');
    const path = h.file('fb.csv', 'email,city\na@example.com,Bonn\nbad,X\n');
    const r = await importFile(h.service.ctx.db, { path, listName: 'FB', importId: 'fb', now: () => 1, workerFile: broken });
    expect(r.summary).toMatchObject({ rows: 2, imported: 1, invalid: 1 });
    expect(r.thread).toBe('calling');
  });
});
