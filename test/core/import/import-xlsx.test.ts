import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, recipientsOf, type Harness } from './helpers';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

describe('importing XLSX workbooks', () => {
  it('reads the first sheet: links by their text, dates as ISO dates, rich text joined, empty rows counted', async () => {
    const path = await h.xlsx('kunden.xlsx', {
      Kunden: [
        ['E-Mail', 'Vorname', 'Seit', 'Umsatz'],
        [{ text: 'anna@example.com', hyperlink: 'mailto:anna@example.com' }, 'Anna', new Date(Date.UTC(2024, 0, 15)), 1234.5],
        [],
        ['bob@', { richText: [{ text: 'Bo' }, { text: 'b' }] }, null, { formula: '1+1', result: 2 }],
        ['carl@example.com', 'Carl', null, 7],
      ],
      Notizen: [['nothing', 'here']],
    });
    const s = await h.call('lists:import', { path, listName: 'X' });
    expect(s).toMatchObject({ rows: 3, imported: 2, invalid: 1, encoding: 'xlsx', delimiter: null, sheet: 'Kunden', fields: ['email', 'first_name', 'seit', 'umsatz'], emptyLines: 1 });
    expect(s.errors).toEqual([{ row: 3, kind: 'invalid', reason: 'invalid e-mail address "bob@": nothing after the @' }]);
    expect(await recipientsOf(h, s.listId)).toEqual([
      { email: 'anna@example.com', name: 'Anna', first_name: 'Anna', seit: '2024-01-15', umsatz: '1234.5' },
      { email: 'carl@example.com', name: 'Carl', first_name: 'Carl', seit: '', umsatz: '7' },
    ]);
  });

  it('reads the sheet named with --sheet, and lists the sheets when the name is wrong', async () => {
    const path = await h.xlsx('two.xlsx', { First: [['email'], ['one@example.com']], Second: [['Email Address', 'City'], ['two@example.com', 'Oslo']] });
    const s = await h.call('lists:import', { path, listName: 'S', sheet: 'second' });
    expect(s).toMatchObject({ sheet: 'Second', rows: 1, fields: ['email', 'city'] });
    expect(await recipientsOf(h, s.listId)).toEqual([{ email: 'two@example.com', name: null, city: 'Oslo' }]);
    const e = await h.fail('lists:import', { path, listName: 'S2', sheet: 'Third' });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('"First", "Second"');
  });

  it('previews a workbook with its sheets', async () => {
    const path = await h.xlsx('p.xlsx', { Contacts: [[], ['Email', 'Name'], ['a@example.com', 'A']], Other: [['x']] });
    const p = await h.call('lists:previewImport', { path });
    expect(p).toMatchObject({ format: 'xlsx', encoding: 'xlsx', delimiter: null, sheets: ['Contacts', 'Other'], sheet: 'Contacts', headerRow: 2, rows: [['a@example.com', 'A']] });
  });

  it('refuses a ZIP file that is not a workbook', async () => {
    // A ZIP with one stored entry and no worksheets.
    const name = Buffer.from('hello.txt');
    const data = Buffer.from('hi');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const e = await h.fail('lists:import', { path: h.file('fake.xlsx', Buffer.concat([local, name, data])), listName: 'Z' });
    expect(e.code).toBe('IMPORT_FAILED');
    expect(e.message).toContain('fake.xlsx');
  });
});
