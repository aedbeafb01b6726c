import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { commandsJson, loadedTable, specTable } from '../../electron/hosts/cli/table';
import type { CliCommandSpec } from '../../electron/hosts/cli/types';
import { captureIo, reachedAtStart, tempDir } from '../helpers';

async function run(args: string[], table?: ReturnType<typeof specTable>) {
  const c = captureIo();
  const code = await runCli(args, c.io, table);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

describe('the command table', () => {
  it('starts the command line without any command module, schema, database or mail library', async () => {
    const reached = await reachedAtStart('electron/hosts/cli-main.ts');
    expect(reached).toContain('electron/hosts/cli.ts');
    const heavy = reached.filter((f) =>
      /^(zod|liquidjs|nodemailer|exceljs|juice|marked|html-to-text|better-sqlite3|ws|papaparse|chardet|iconv-lite)(\/|$)|node:worker_threads|shared\/contract|core\/service|hosts\/cli\/(app|recipients|templates|relays|sending)\.ts/.test(f),
    );
    expect(heavy).toEqual([]);
  });

  // An import's calling thread leaves the file to the import worker: it needs no CSV parser, and no command but a
  // sign-in, a send or a domain check needs node:http, node:dns or node:zlib (together some 15-20 ms of its start).
  it('opens the service of a data command (lists, import) without a template engine, a mail library, a CSV parser or network modules: loaded when first used', async () => {
    const reached = await reachedAtStart('electron/core/service.ts');
    expect(reached).toContain('electron/core/compose/liquid.ts');
    expect(reached).toContain('electron/core/import/source.ts');
    expect(reached.filter((f) => /^(liquidjs|nodemailer|exceljs|juice|marked|html-to-text|imapflow|mailparser|openid-client|papaparse|chardet|iconv-lite)(\/|$)|^node:(http|https|dns|dns\/promises|zlib)$/.test(f))).toEqual([]);
  });

  it('answers help, command help and usage errors from written specs the same as from the loaded modules', async () => {
    const written = specTable(JSON.parse(await commandsJson()) as CliCommandSpec[]);
    for (const args of [['--help'], [], ['import', '--help'], ['relay'], ['relay', 'add', '--help'], ['frobnicate'], ['lists', '--frob']]) {
      expect(await run(args, written)).toEqual(await run(args));
    }
  });

  it('runs a command from written specs by loading its module then', async () => {
    const written = specTable(JSON.parse(await commandsJson()) as CliCommandSpec[]);
    const data = tempDir();
    const created = await run(['lists', 'create', 'Customers', '--data', data], written);
    expect(created).toMatchObject({ code: 0, out: 'Created the list "Customers".' });
    expect(await run(['lists', '--json', '--data', data], written)).toMatchObject({ code: 0, out: '[{"name":"Customers","recipients":0,"fields":["email"]}]' });
  });

  it('says to rebuild when a written spec names a command its module no longer has', async () => {
    const { specs } = await loadedTable();
    const gone = specTable([...specs, { ...specs.find((s) => s.name === 'lists')!, name: 'lists vanished' }]);
    const r = await run(['lists', 'vanished', '--data', tempDir()], gone);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/isn't in its module any more.*npm run build/);
  });
});
