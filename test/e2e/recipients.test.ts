import fs from 'node:fs';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, expectNoErrors, openApp, setupApp, tempDataDir, writeRecipientsCsv } from './harness';

const env = setupApp();
let files: string;

beforeAll(async () => {
  files = tempDataDir('postroom-e2e-files-');
});

/** A CSV as Excel on Windows exports it: semicolons, Windows-1252 accents, a duplicate and a bad address. */
function writeCustomersCsv(): string {
  const file = path.join(files, 'Customers.csv');
  const rows = [
    'E-mail;First name;City',
    'anna@example.com;Anna;Zürich',
    'bob@example.com;Bob;Malmö',
    'not-an-address;Carl;Oslo',
    'ANNA@example.com;Anna again;Bern',
    'dora@example.com;<b>Dora</b>;Genève',
  ];
  fs.writeFileSync(file, Buffer.from(rows.join('\r\n') + '\r\n', 'latin1'));
  return file;
}

describe('recipients', () => {
  it('imports a CSV through the wizard, shows the skipped rows, and lists the recipients with search', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await app.goTo('Recipients');
    await captureScreen(page, 'recipients-empty');
    await page.getByRole('link', { name: 'Import a spreadsheet' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Import recipients' }).waitFor();
    await captureScreen(page, 'import-choose');

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(writeCustomersCsv());

    await page.getByRole('heading', { name: 'How Postroom reads Customers.csv' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Columns separated by' }).inputValue()).resolves.toContain('Semicolon');
    await page.getByRole('table', { name: 'First rows of the file' }).getByText('Zürich').waitFor();
    // Markup in a cell is shown as text, never rendered.
    await page.getByRole('table', { name: 'First rows of the file' }).getByText('<b>Dora</b>').waitFor();
    expect(await page.locator('b', { hasText: 'Dora' }).count()).toBe(0);
    await captureScreen(page, 'import-preview', { fullPage: true });

    await page.getByRole('textbox', { name: 'Name of the new list' }).fill('Customers');
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    await page.getByText('recipients are in “Customers”').waitFor();
    const skipped = page.getByRole('table', { name: 'Skipped rows' });
    await skipped.getByRole('row').nth(1).waitFor();
    expect(await skipped.getByRole('row').count()).toBe(3); // header + invalid + duplicate
    await captureScreen(page, 'import-summary', { fullPage: true });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export skipped rows as CSV' }).click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(csv).toContain('not-an-address');

    await page.getByRole('button', { name: 'Open the list' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    const table = page.getByRole('table', { name: 'Recipients of Customers' });
    await table.getByText('bob@example.com').waitFor();
    expect(await table.getByRole('row').count()).toBe(4); // header + anna, bob, dora
    await captureScreen(page, 'list');

    await page.getByRole('searchbox', { name: 'Search' }).fill('malmö');
    await page.getByText('1 of 3 match').waitFor();
    expect(await table.getByRole('row').count()).toBe(2);

    await table.getByRole('link', { name: 'bob@example.com' }).click();
    const drawer = page.getByRole('dialog', { name: 'bob@example.com' });
    await drawer.getByText('Malmö').waitFor();
    await drawer.getByText('No campaign has been sent to this address yet.').waitFor();
    await captureScreen(page, 'recipient');
    await drawer.getByRole('button', { name: 'Close the details' }).click();

    await app.goTo('Recipients');
    await page.getByRole('link', { name: 'Customers' }).waitFor();
    await captureScreen(page, 'recipients');
    expectNoErrors(app);
    await app.close();
  });

  it('adds an address to the suppression list and removes it again', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.goto(env.server.origin + '/#/recipients/suppressions');
    await page.getByRole('heading', { level: 1, name: 'Suppression list' }).waitFor();
    await captureScreen(page, 'suppressions-empty');
    await page.getByRole('button', { name: 'Add addresses' }).first().click();
    await page.getByRole('textbox', { name: 'E-mail addresses' }).fill('gone@example.com\nleft@example.com');
    await page.getByRole('textbox', { name: 'Reason (optional)' }).fill('Asked by phone');
    await page.getByRole('button', { name: 'Suppress 2 addresses' }).click();
    const table = page.getByRole('table', { name: 'Suppressed addresses' });
    await table.getByText('gone@example.com').waitFor();
    await captureScreen(page, 'suppressions');
    await table.getByRole('button', { name: 'Remove gone@example.com from the suppression list' }).click();
    await page.getByText('1 suppressed').waitFor();
    expect(await table.getByText('gone@example.com').count()).toBe(0);
    expectNoErrors(app);
    await app.close();
  });

  it('takes a spreadsheet dropped onto the wizard', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.goto(env.server.origin + '/#/recipients/import');
    await page.getByRole('heading', { level: 1, name: 'Import recipients' }).waitFor();
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['email,first_name\r\nzoe@example.com,Zoë\r\n'], 'Dropped.csv', { type: 'text/csv' }));
      return dt;
    });
    const zone = page.getByLabel('Drop a spreadsheet here').first();
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });
    await page.getByRole('heading', { name: 'How Postroom reads Dropped.csv' }).waitFor();
    await page.getByRole('table', { name: 'First rows of the file' }).getByText('Zoë').waitFor();
    expectNoErrors(app);
    await app.close();
  });

  it('stops a running import when asked, leaving no list behind', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    // A million rows take seconds to read: long enough to press Stop while it runs.
    const big = writeRecipientsCsv(files, 1_000_000, 'Everyone.csv');
    await page.goto(env.server.origin + '/#/recipients/import');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(big);
    await page.getByRole('heading', { name: 'How Postroom reads Everyone.csv' }).waitFor({ timeout: 60_000 });
    await page.getByRole('textbox', { name: 'Name of the new list' }).fill('Everyone');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    await page.getByRole('button', { name: 'Stop the import' }).click();
    await page.getByText('The import was stopped. The list was left exactly as it was.').waitFor();
    await app.goTo('Recipients');
    await page.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await page.getByRole('link', { name: 'Everyone' }).count()).toBe(0);
    expectNoErrors(app);
    await app.close();
  });

  it('reads an Excel workbook and lets the person pick the sheet', async () => {
    const file = path.join(files, 'Club.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRows([['Members are on the next sheet']]);
    wb.addWorksheet('Members').addRows([
      ['Email', 'First name'],
      ['ines@example.com', 'Inès'],
    ]);
    await wb.xlsx.writeFile(file);

    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.goto(env.server.origin + '/#/recipients/import');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(file);
    await page.getByRole('heading', { name: 'How Postroom reads Club.xlsx' }).waitFor();
    const sheet = page.getByRole('combobox', { name: 'Sheet' });
    const pick = async (name: string) => {
      await sheet.click();
      await page.getByRole('option', { name }).click();
    };
    await pick('Notes');
    await page.getByText('No column of e-mail addresses found').waitFor();
    await expect(page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
    await pick('Members');
    await page.getByRole('table', { name: 'First rows of the file' }).getByText('Inès').waitFor();
    await expect(page.getByRole('button', { name: 'Import', exact: true }).isEnabled()).resolves.toBe(true);

    // The mapping can be changed: rename a field, leave a column out.
    const field = page.getByRole('textbox', { name: 'Merge field for the column First name' });
    await field.fill('given_name');
    await field.press('Enter');
    const rows = page.getByRole('table', { name: 'First rows of the file' });
    await rows.getByRole('columnheader', { name: 'given_name' }).waitFor();
    await page.getByRole('checkbox', { name: 'Import the column First name' }).uncheck();
    await rows.getByRole('columnheader', { name: 'First name (left out)' }).waitFor();
    expectNoErrors(app);
    await app.close();
  });

  it('explains in words when the chosen file is not a spreadsheet, and offers another try', async () => {
    const file = path.join(files, 'photo.png');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 0x00), Buffer.from([0xff, 0xfe, 0x00, 0x01])]));
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.goto(env.server.origin + '/#/recipients/import');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(file);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toMatch(/photo\.png|spreadsheet|file/i);
    expect(text).not.toMatch(/^[A-Z_]+$/m); // never a bare error code
    await captureScreen(page, 'import-not-a-spreadsheet');
    await page.getByRole('button', { name: 'Choose another file' }).click();
    await page.getByRole('button', { name: 'Choose a file…' }).waitFor();
    expectNoErrors(app);
    await app.close();
  });
});
