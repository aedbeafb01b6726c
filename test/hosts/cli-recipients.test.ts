import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { runCli } from '../../electron/hosts/cli';

let dir: string;
let data: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-cli-rcp-'));
  data = path.join(dir, 'data');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--data', data], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: {},
    cwd: dir,
    stopSignal: new AbortController().signal,
  });
  return { code, out, err };
}

const write = (name: string, text: string, enc = 'utf-8') => fs.writeFileSync(path.join(dir, name), iconv.encode(text, enc));

describe('postroom import', () => {
  it('prints the summary in exactly the documented JSON shape', async () => {
    write('kunden.csv', 'E-Mail;Vorname;Firma\nanna@example.com;Änne;ACME\nbob@;Bob;X\nANNA@example.com;A;Y\n', 'windows-1252');
    const r = await cli('import', 'kunden.csv', '--list', 'Kunden', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out[0]!);
    expect(s).toMatchObject({
      list: 'Kunden',
      rows: 3,
      imported: 1,
      updated: 0,
      duplicates: 1,
      invalid: 1,
      suppressed: 0,
      encoding: 'windows-1252',
      delimiter: ';',
      fields: ['email', 'first_name', 'company'],
      errors: [
        { row: 2, reason: 'invalid e-mail address "bob@": nothing after the @' },
        { row: 3, reason: 'duplicate: "ANNA@example.com" is already on row 1' },
      ],
    });
    expect(Object.keys(s).slice(0, 12)).toEqual(['list', 'rows', 'imported', 'updated', 'duplicates', 'invalid', 'suppressed', 'encoding', 'delimiter', 'fields', 'errors', 'errorsOmitted']);
  });

  it('applies --map HEADER=FIELD and --delimiter', async () => {
    write('x.txt', 'Kontakt|Ort|Notiz\na@example.com|Bonn|n\n');
    const r = await cli('import', 'x.txt', '--list', 'X', '--map', 'kontakt=email', '--map', 'Ort=Stadt', '--map', 'Notiz=', '--delimiter', 'pipe', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ delimiter: '|', fields: ['email', 'stadt'], imported: 1 });
  });

  it('prints a readable summary without --json', async () => {
    write('a.csv', 'email\na@example.com\nbad\n');
    const r = await cli('import', 'a.csv', '--list', 'A');
    expect(r.code).toBe(0);
    expect(r.out[0]).toContain('Imported 2 rows into "A": 1 new, 0 updated, 0 duplicates, 1 invalid, 0 suppressed.');
    expect(r.out[0]).toContain('row 2: invalid e-mail address "bad": it has no @');
  });

  it('is a usage error without --list, and a failure with one clear line for a missing file', async () => {
    const usage = await cli('import', 'a.csv');
    expect(usage.code).toBe(2);
    expect(usage.err[0]).toContain('--list');
    const missing = await cli('import', 'nope.csv', '--list', 'A');
    expect(missing.code).toBe(1);
    expect(missing.err).toHaveLength(1);
    expect(missing.err[0]).toContain("Couldn't read nope.csv: there is no such file");
  });

  it('fails with exit code 1 when no column holds addresses', async () => {
    write('n.csv', 'Name,City\nAnn,Rome\n');
    const r = await cli('import', 'n.csv', '--list', 'N');
    expect(r.code).toBe(1);
    expect(r.err[0]).toContain('--map');
  });
});

describe('postroom lists, recipients, suppress', () => {
  it('lists the lists as JSON', async () => {
    write('a.csv', 'email,city\na@example.com,Bonn\nb@example.com,Köln\n');
    await cli('import', 'a.csv', '--list', 'A');
    const r = await cli('lists', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toEqual([{ name: 'A', recipients: 2, fields: ['email', 'city'] }]);
  });

  it('prints recipients as NDJSON, filtered by --search', async () => {
    write('a.csv', 'email,city\na@example.com,Bonn\nb@example.com,Köln\n');
    await cli('import', 'a.csv', '--list', 'A');
    const all = await cli('recipients', 'A', '--json');
    expect(all.out.map((l) => JSON.parse(l))).toEqual([
      { email: 'a@example.com', city: 'Bonn' },
      { email: 'b@example.com', city: 'Köln' },
    ]);
    const some = await cli('recipients', 'a', '--search', 'köln', '--json');
    expect(some.out.map((l) => JSON.parse(l))).toEqual([{ email: 'b@example.com', city: 'Köln' }]);
    const none = await cli('recipients', 'Nope', '--json');
    expect(none.code).toBe(1);
    expect(none.err[0]).toContain('There is no list called "Nope"');
  });

  it('suppresses addresses so that an import counts them as suppressed', async () => {
    expect((await cli('suppress', 'add', 'B@example.com', 'c@example.com')).code).toBe(0);
    write('s.txt', 'd@example.com\n');
    expect(JSON.parse((await cli('suppress', 'import', 's.txt', '--json')).out[0]!)).toMatchObject({ rows: 1, added: 1 });
    const list = await cli('suppress', 'list', '--json');
    expect(JSON.parse(list.out[0]!).map((s: { email: string }) => s.email).sort()).toEqual(['B@example.com', 'c@example.com', 'd@example.com']);
    write('a.csv', 'email\na@example.com\nb@example.com\nd@example.com\n');
    const r = JSON.parse((await cli('import', 'a.csv', '--list', 'A', '--json')).out[0]!);
    expect(r).toMatchObject({ rows: 3, imported: 1, suppressed: 2 });
    expect((await cli('suppress', 'remove', 'b@example.com')).code).toBe(0);
    expect(JSON.parse((await cli('suppress', 'list', '--json')).out[0]!)).toHaveLength(2);
  });

  it('refuses to suppress something that is not an address, with exit code 1', async () => {
    const r = await cli('suppress', 'add', 'not-an-address');
    expect(r.code).toBe(1);
    expect(r.err[0]).toContain('Nothing was suppressed');
  });

  it('creates, renames and deletes lists by name', async () => {
    expect((await cli('lists', 'create', 'Club')).code).toBe(0);
    expect((await cli('lists', 'create', 'club')).code).toBe(1);
    expect((await cli('lists', 'rename', 'club', 'Verein')).code).toBe(0);
    expect(JSON.parse((await cli('lists', '--json')).out[0]!)).toEqual([{ name: 'Verein', recipients: 0, fields: ['email'] }]);
    expect((await cli('lists', 'delete', 'Verein')).code).toBe(0);
    expect(JSON.parse((await cli('lists', '--json')).out[0]!)).toEqual([]);
  });
});
