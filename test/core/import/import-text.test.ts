import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, recipientsOf, type Harness } from './helpers';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

const balanced = (s: { rows: number; imported: number; updated: number; duplicates: number; invalid: number; suppressed: number }) =>
  s.imported + s.updated + s.duplicates + s.invalid + s.suppressed === s.rows;

describe('importing delimited text', () => {
  it('reads a UTF-8 file with BOM and CRLF, and the first header is not polluted by the BOM', async () => {
    const path = h.file('bom.csv', '\ufeffEmail,First Name,Company\r\nanna@example.com,Anna,ACME\r\nbob@example.com,Bob,Bobco\r\n');
    const s = await h.call('lists:import', { path, listName: 'Customers' });
    expect(s).toMatchObject({ rows: 2, imported: 2, encoding: 'utf-8', delimiter: ',', fields: ['email', 'first_name', 'company'] });
    expect(await recipientsOf(h, s.listId)).toEqual([
      { email: 'anna@example.com', name: 'Anna', first_name: 'Anna', company: 'ACME' },
      { email: 'bob@example.com', name: 'Bob', first_name: 'Bob', company: 'Bobco' },
    ]);
  });

  it('reads European Excel: Windows-1252 with semicolons, and accents come out right', async () => {
    const path = h.file('de.csv', 'E-Mail-Adresse;Vorname;Nachname;Stadt\r\nm@example.de;Jürgen;Müller;Köln\r\nf@example.fr;Françoise;Lefèvre – “Chef”;Zürich\r\n', 'windows-1252');
    const s = await h.call('lists:import', { path, listName: 'DE' });
    expect(s).toMatchObject({ rows: 2, imported: 2, encoding: 'windows-1252', delimiter: ';', fields: ['email', 'first_name', 'last_name', 'city'] });
    expect(await recipientsOf(h, s.listId)).toEqual([
      { email: 'f@example.fr', name: 'Françoise Lefèvre – “Chef”', first_name: 'Françoise', last_name: 'Lefèvre – “Chef”', city: 'Zürich' },
      { email: 'm@example.de', name: 'Jürgen Müller', first_name: 'Jürgen', last_name: 'Müller', city: 'Köln' },
    ]);
  });

  it('tells ISO-8859-15 (with the euro sign) from ISO-8859-1', async () => {
    const path = h.file('eu.csv', 'email;note\nore@example.dk;Øre 5€\n', 'iso-8859-15');
    const s = await h.call('lists:import', { path, listName: 'EU' });
    expect(s.encoding).toBe('iso-8859-15');
    expect(await recipientsOf(h, s.listId)).toEqual([{ email: 'ore@example.dk', name: null, note: 'Øre 5€' }]);
  });

  it('reads plain ISO-8859-1 as Latin text', async () => {
    const path = h.file('latin1.csv', 'email,name\nmuller@example.de,Müller Øre\n', 'latin1');
    const s = await h.call('lists:import', { path, listName: 'L1' });
    expect(['windows-1252', 'iso-8859-1']).toContain(s.encoding);
    expect((await recipientsOf(h, s.listId))[0]).toMatchObject({ name: 'Müller Øre' });
  });

  it('reads Excel "Unicode text": UTF-16 LE with BOM and tabs', async () => {
    const path = h.file('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('E-mail Address\tGiven Name\r\nzoe@example.com\tZoë\r\n', 'utf16le')]));
    const s = await h.call('lists:import', { path, listName: 'U16' });
    expect(s).toMatchObject({ rows: 1, imported: 1, encoding: 'utf-16le', delimiter: '\t', fields: ['email', 'first_name'] });
    expect((await recipientsOf(h, s.listId))[0]).toMatchObject({ email: 'zoe@example.com', first_name: 'Zoë' });
  });

  it('reads UTF-16 BE with BOM', async () => {
    const le = Buffer.from('email|Prénom\nzoe@example.com|Zoë\n', 'utf16le');
    const be = Buffer.from(le);
    be.swap16();
    const path = h.file('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    const s = await h.call('lists:import', { path, listName: 'BE' });
    expect(s).toMatchObject({ encoding: 'utf-16be', delimiter: '|', fields: ['email', 'first_name'] });
    expect((await recipientsOf(h, s.listId))[0]).toMatchObject({ first_name: 'Zoë' });
  });

  it('keeps quoted fields with newlines, delimiters and quotes in one cell, and numbers rows by records', async () => {
    const path = h.file('quoted.csv', 'email,notes\r\na@example.com,"line one\r\nline two, with comma"\r\n"b@example.com","say ""hi"""\r\nnot-an-address,x\r\n');
    const s = await h.call('lists:import', { path, listName: 'Q' });
    expect(s).toMatchObject({ rows: 3, imported: 2, invalid: 1 });
    expect(s.errors).toEqual([{ row: 3, kind: 'invalid', reason: 'invalid e-mail address "not-an-address": it has no @' }]);
    expect(await recipientsOf(h, s.listId)).toEqual([
      { email: 'a@example.com', name: null, notes: 'line one\r\nline two, with comma' },
      { email: 'b@example.com', name: null, notes: 'say "hi"' },
    ]);
  });

  it('finds the header row below blank lines and counts data rows from it', async () => {
    const path = h.file('blank-top.csv', '\n\n;;\nEmail;Name\n\nx@example.com;X\nbad;Y\n');
    const s = await h.call('lists:import', { path, listName: 'B' });
    expect(s).toMatchObject({ rows: 2, imported: 1, invalid: 1, emptyLines: 1, delimiter: ';' });
    // Row 1 is the empty line right under the header: the bad address is on data row 3.
    expect(s.errors.map((e) => e.row)).toEqual([3]);
  });

  it('gives duplicate headers their own fields', async () => {
    const path = h.file('dup-headers.csv', 'Email,Phone,Phone,Email\na@example.com,1,2,other@example.com\n');
    const s = await h.call('lists:import', { path, listName: 'D' });
    expect(s.fields).toEqual(['email', 'phone', 'phone_2', 'email_2']);
    expect((await recipientsOf(h, s.listId))[0]).toEqual({ email: 'a@example.com', name: null, phone: '1', phone_2: '2', email_2: 'other@example.com' });
    expect(s.warnings.join(' ')).toContain('more than once');
  });

  it('handles ragged rows: missing cells are empty, extra cells are left out with a note', async () => {
    const path = h.file('ragged.csv', 'email,first_name,city\na@example.com\nb@example.com,Bob,Bonn,extra\n');
    const s = await h.call('lists:import', { path, listName: 'R' });
    expect(s).toMatchObject({ rows: 2, imported: 2 });
    expect(await recipientsOf(h, s.listId)).toEqual([
      { email: 'a@example.com', name: null, first_name: '', city: '' },
      { email: 'b@example.com', name: 'Bob', first_name: 'Bob', city: 'Bonn' },
    ]);
    expect(s.warnings.join(' ')).toContain('row 2');
  });

  it('keeps a 30,000-character cell whole', async () => {
    const long = 'ä'.repeat(30_000);
    const path = h.file('long.csv', `email,bio\nlong@example.com,"${long}"\n`);
    const s = await h.call('lists:import', { path, listName: 'Long' });
    expect(s.imported).toBe(1);
    expect((await recipientsOf(h, s.listId))[0]!.bio).toBe(long);
  });

  it('accounts for every row: invalid forms, duplicates in any case, suppressed', async () => {
    await h.call('suppressions:add', { emails: ['blocked@example.com'] });
    const path = h.file(
      'nasty.csv',
      [
        'email,name',
        'Anna <anna@example.com>,', // 1 display-name form: name from it
        'ANNA@EXAMPLE.COM,Anna again', // 2 duplicate
        'a@b@example.com,', // 3
        'two words@example.com,', // 4
        ',No address', // 5
        'blocked@Example.com,', // 6 suppressed
        'jürgen@example.com,', // 7 non-ASCII local part
        'info@münchen.de,', // 8 IDN: fine
        'mailto:c@example.com,', // 9
        'd@localhost,', // 10
      ].join('\n'),
    );
    const s = await h.call('lists:import', { path, listName: 'Nasty' });
    expect(s).toMatchObject({ rows: 10, imported: 3, updated: 0, duplicates: 1, invalid: 5, suppressed: 1 });
    expect(balanced(s)).toBe(true);
    expect(s.errors.map((e) => [e.row, e.kind])).toEqual([
      [2, 'duplicate'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'suppressed'],
      [7, 'invalid'],
      [10, 'invalid'],
    ]);
    expect(s.errors[0]!.reason).toBe('duplicate: "ANNA@EXAMPLE.COM" is already on row 1');
    expect(s.errors[1]!.reason).toContain('more than one @');
    expect(s.errors[2]!.reason).toContain('space');
    expect(s.errors[3]!.reason).toBe('no e-mail address');
    expect(s.errors[4]!.reason).toBe('suppressed: "blocked@Example.com" is on the suppression list');
    expect(await recipientsOf(h, s.listId)).toEqual([
      { email: 'anna@example.com', name: 'Anna' },
      { email: 'c@example.com', name: '' },
      { email: 'info@münchen.de', name: '' },
    ]);
  });

  it('re-importing updates recipients by address and counts a suppressed one as suppressed even when already on the list', async () => {
    const first = h.file('v1.csv', 'email,city\nanna@example.com,Bonn\nbob@example.com,Berlin\n');
    const s1 = await h.call('lists:import', { path: first, listName: 'Re' });
    expect(s1).toMatchObject({ imported: 2, updated: 0 });
    await h.call('suppressions:add', { emails: ['BOB@example.com'] });
    const second = h.file('v2.csv', 'email,city,company\nAnna@Example.com,Köln,ACME\nbob@example.com,Hamburg,X\ncarl@example.com,Kiel,Y\n');
    const s2 = await h.call('lists:import', { path: second, listName: 're' });
    expect(s2).toMatchObject({ listId: s1.listId, rows: 3, imported: 1, updated: 1, suppressed: 1, fields: ['email', 'city', 'company'] });
    expect(await recipientsOf(h, s1.listId)).toEqual([
      { email: 'Anna@Example.com', name: null, city: 'Köln', company: 'ACME' },
      { email: 'bob@example.com', name: null, city: 'Berlin' },
      { email: 'carl@example.com', name: null, city: 'Kiel', company: 'Y' },
    ]);
  });

  it('maps Google Contacts and Outlook headers, and the user mapping wins', async () => {
    const google = h.file('google.csv', 'Given Name,Family Name,E-mail 1 - Value,Organization 1 - Name\nAnn,Lee,ann@example.com,Co\n');
    expect((await h.call('lists:previewImport', { path: google })).fields).toEqual(['email', 'first_name', 'last_name', 'company']);
    const outlook = h.file('outlook.csv', 'First Name,Last Name,E-mail Address,Business City\nAnn,Lee,ann@example.com,Rome\n');
    expect((await h.call('lists:previewImport', { path: outlook })).fields).toEqual(['email', 'first_name', 'last_name', 'city']);
    const fr = h.file('fr.csv', 'Prénom;Nom;Courriel;Société\nAnn;Lee;ann@example.com;Co\n');
    expect((await h.call('lists:previewImport', { path: fr })).fields).toEqual(['email', 'first_name', 'last_name', 'company']);
    const mapped = await h.call('lists:previewImport', { path: outlook, map: { 'business city': 'Ort', 'Last Name': null } });
    expect(mapped.fields).toEqual(['email', 'first_name', 'ort']);
    expect(mapped.columns.map((c) => [c.header, c.field, c.source])).toEqual([
      ['First Name', 'first_name', 'known-header'],
      ['Last Name', null, 'ignored'],
      ['E-mail Address', 'email', 'known-header'],
      ['Business City', 'ort', 'user'],
    ]);
  });

  it('normalises other headers into field names', async () => {
    const path = h.file('odd.csv', 'email,Customer Number,Telefon (mobil),2024 Umsatz,Straße\na@example.com,1,2,3,4\n');
    const p = await h.call('lists:previewImport', { path });
    expect(p.fields).toEqual(['email', 'customer_number', 'telefon_mobil', 'f_2024_umsatz', 'straße']);
  });

  it('finds the address column by its content when no header names it', async () => {
    const path = h.file('content.csv', 'Kunde,Kontakt-Info\nAnn,ann@example.com\nBob,bob@example.com\n');
    const p = await h.call('lists:previewImport', { path });
    expect(p.emailColumn).toBe(1);
    expect(p.columns[1]).toMatchObject({ field: 'email', source: 'content' });
  });

  it('reads a plain list of addresses without a header row', async () => {
    const path = h.file('plain.txt', 'a@example.com\nb@example.com\n');
    const s = await h.call('lists:import', { path, listName: 'Plain' });
    expect(s).toMatchObject({ rows: 2, imported: 2, fields: ['email'] });
  });

  it('honours --encoding and --delimiter overrides', async () => {
    const path = h.file('override.csv', 'email|note\na@example.com|caf\xe9\n', 'latin1');
    const p = await h.call('lists:previewImport', { path, encoding: 'latin1', delimiter: '|' });
    expect(p).toMatchObject({ encoding: 'iso-8859-1', encodingDetected: false, delimiter: '|' });
    expect(p.rows).toEqual([['a@example.com', 'café']]);
  });

  it('previews the head of a file: columns, samples, first rows', async () => {
    const path = h.file('preview.csv', 'email,city\n' + Array.from({ length: 50 }, (_, i) => `u${i}@example.com,C${i}`).join('\n'));
    const p = await h.call('lists:previewImport', { path });
    expect(p).toMatchObject({ format: 'text', headerRow: 1, emailColumn: 0, fields: ['email', 'city'] });
    expect(p.rows).toHaveLength(20);
    expect(p.columns[1]!.samples).toEqual(['C0', 'C1', 'C2', 'C3', 'C4']);
  });
});

describe('files that are not spreadsheets', () => {
  it('refuses an empty file with a clear message', async () => {
    const e = await h.fail('lists:import', { path: h.file('empty.csv', ''), listName: 'E' });
    expect(e).toMatchObject({ code: 'IMPORT_FAILED' });
    expect(e.message).toContain('empty.csv is empty');
  });

  it('refuses binary garbage', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    const e = await h.fail('lists:import', { path: h.file('garbage.bin', bytes), listName: 'G' });
    expect(e.code).toBe('IMPORT_FAILED');
    expect(e.message).toContain("doesn't look like a spreadsheet");
  });

  it('names a PDF for what it is', async () => {
    const e = await h.fail('lists:previewImport', { path: h.file('doc.csv', Buffer.from('%PDF-1.7\n%âãÏÓ\n')) });
    expect(e.message).toContain('is a PDF document, not a spreadsheet');
  });

  it('says which columns exist when none holds addresses', async () => {
    const e = await h.fail('lists:import', { path: h.file('noemail.csv', 'Name,City\nAnn,Rome\n'), listName: 'N' });
    expect(e.code).toBe('IMPORT_FAILED');
    expect(e.message).toContain('"Name", "City"');
    expect(e.message).toContain('--map');
  });

  it('reports a missing file as unreadable', async () => {
    const e = await h.fail('lists:previewImport', { path: '/nonexistent/file.csv' });
    expect(e).toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('does not create the list when the import fails', async () => {
    await h.fail('lists:import', { path: h.file('noemail.csv', 'Name\nAnn\n'), listName: 'Never' });
    expect(await h.call('lists:list', {})).toEqual([]);
  });
});
