/**
 * A different file for each person, in the window: the folder those files are read from is typed (the browser has
 * no folder picker) and checked; the preview attaches the person's own file from it, and says why when it can't.
 * And Settings says where the key to saved passwords is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { captureScreen, expectNoErrors, launchBrowser, openApp, startServer, tempDataDir, type Server } from './harness';
import { importList, newTemplateFor } from './compose-helpers';

let server: Server;
let browser: Browser;
let sheets: string;
let invoices: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  sheets = tempDataDir('postroom-e2e-sheets-');
  invoices = tempDataDir('postroom-e2e-invoices-');
  fs.writeFileSync(path.join(invoices, 'ann.pdf'), '%PDF-1.4\n% Ann’s invoice\n');
  const csv = path.join(sheets, 'invoices.csv');
  fs.writeFileSync(csv, 'Email,First name,Invoice\r\nann@example.com,Ann,ann.pdf\r\nbob@example.com,Bob,../secret.txt\r\n');
  await importList(server, csv, 'Invoices');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('per-person attachments in the template editor', () => {
  it('reads each person’s file from the folder typed in, and says why a file is refused', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await newTemplateFor(page, server, 'Invoices', 'Invoice');
    await page.getByRole('combobox', { name: 'A different file for each person (optional)' }).click();
    await page.getByRole('option', { name: 'invoice' }).click();

    // The list came from the command line: its spreadsheet's folder is used until another is typed.
    const problem = page.getByRole('alert').filter({ hasText: "This person's message can't be sent" });
    await problem.getByText(/The attachment for ann@example\.com is missing: .*ann\.pdf does not exist/).waitFor();

    const folder = page.getByRole('textbox', { name: 'Folder with these files' });
    await folder.fill('Invoices');
    await page.getByText('Give the folder’s full path').waitFor();
    await folder.fill(invoices);
    await problem.waitFor({ state: 'detached' });
    await page.getByText('Attached:').locator('..').getByText('ann.pdf').waitFor();
    await captureScreen(page, 'template-attachments-folder', { fullPage: true });

    // The next person's value climbs out of the folder: refused, with the reason, and nothing attached.
    await page.getByRole('button', { name: 'Next recipient' }).click();
    await problem.getByText(/The attachment for bob@example\.com was refused: "\.\.\/secret\.txt" climbs out of the folder/).waitFor();

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoice' }).waitFor();
    await page.reload();
    await page.getByRole('textbox', { name: 'Folder with these files' }).waitFor();
    const kept = await page.getByRole('textbox', { name: 'Folder with these files' }).inputValue();
    if (kept !== invoices) throw new Error(`the saved folder is ${kept}, not ${invoices}`);
    expectNoErrors(app);
    await app.close();
  });

  it('says in Settings that the key to saved passwords is in the data folder here', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    await app.goTo('Settings');
    const notice = page.getByRole('alert').filter({ hasText: 'The key to saved passwords is in the data folder' });
    await notice.getByText(/A backup of the folder holds both/).waitFor();
    await captureScreen(page, 'settings-secrets');
    expectNoErrors(app);
    await app.close();
  });
});
