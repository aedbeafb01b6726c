/**
 * The whole journey as a new user: import a CSV, write a template with a fallback field,
 * add a relay pointing at a real SMTP server, compose a campaign, review, undo, send, watch it reach 100%, open
 * the report and export it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { captureScreen, expectNoErrors, launchBrowser, openApp, startServer, startSmtp, tempDataDir, type Server, type SmtpPeer } from './harness';
import { addRelay, compose, importList, writeCustomers } from './compose-helpers';

let server: Server;
let browser: Browser;
let smtp: SmtpPeer;
let files: string;

beforeAll(async () => {
  process.env.E2E_JOURNEY_PASSWORD = 'secret';
  smtp = await startSmtp();
  server = await startServer();
  browser = await launchBrowser();
  files = tempDataDir('postroom-e2e-journey-');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

describe('a new user sends their first newsletter', () => {
  it('goes from a spreadsheet to a sent, reported campaign', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(15_000);

    // 1. Import the customers' spreadsheet (the command line; the wizard has its own test in recipients.test.ts).
    await importList(server, writeCustomers(files, 40, 'Customers.csv'), 'Customers');

    // 2. A relay pointing at our SMTP server (the command line; the password comes from the environment).
    await addRelay(server, 'Shop mail', smtp.port, 'E2E_JOURNEY_PASSWORD');

    // 3. Write a template with a fallback field, from the empty Templates screen.
    await app.goTo('Templates');
    await page.getByRole('heading', { name: 'No templates yet' }).waitFor();
    await captureScreen(page, 'templates-empty', { fullPage: true });
    await page.getByRole('link', { name: 'Write a template' }).click();
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    await page.getByRole('textbox', { name: 'Template name' }).fill('Spring news');
    await page.getByRole('textbox', { name: 'Subject' }).fill('Spring news for {{ first_name | default: "you" }}');
    await page.getByRole('textbox', { name: 'From' }).fill('Corner Shop <shop@example.com>');
    await page.locator('label', { hasText: /^HTML$/ }).click();
    const editor = page.getByRole('textbox', { name: 'Content (HTML)' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('<h1>Hello {{ first_name | default: "friend" }},</h1>\n<p>Our spring range is in. See you in ');
    // A field from the palette, inserted at the cursor.
    await page.getByRole('button', { name: 'Insert field city' }).click();
    await page.keyboard.insertText('!</p>\n<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>\n');
    const frame = page.frameLocator('iframe[title^="Preview of the message"]');
    await frame.getByText('Hello Ann1,').waitFor();
    await frame.getByText('See you in Leeds!').waitFor();
    // Step to the fifth customer, whose first name is empty: the fallback shows.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next recipient' }).click();
    await frame.getByText('Hello friend,').waitFor();
    await page.getByRole('region', { name: 'Fallbacks' }).getByText('8 empty').waitFor();
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spring news' }).waitFor();
    await captureScreen(page, 'template-editor', { fullPage: true });

    // 4. Compose the campaign on one screen.
    await app.goTo('Campaigns');
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    await page.getByRole('link', { name: 'Start a campaign' }).click();
    await compose(page, { list: 'Customers', relay: 'Shop mail', template: 'Spring news', name: 'Spring news' });
    const sentence = page.getByRole('status').filter({ hasText: /^Send / });
    await expect(sentence.textContent()).resolves.toBe('Send Spring news to 40 people in Customers from shop@example.com through Shop mail.');
    const send = page.getByRole('button', { name: 'Send to 40 people' });
    await expect(send.isEnabled()).resolves.toBe(true);
    await captureScreen(page, 'campaign-review', { fullPage: true });

    // 5. Undo: nothing leaves, and no campaign exists.
    await send.click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Nothing was sent.').waitFor();
    await page.waitForTimeout(6000);
    expect(smtp.messages.length).toBe(0);
    await expect(page.getByRole('heading', { level: 1, name: 'New campaign' }).isVisible()).resolves.toBe(true);

    // 6. Send for real and watch it reach 100%.
    await send.click();
    await page.getByText(/^Sending in \d seconds?…$/).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Spring news' }).waitFor({ timeout: 15_000 });
    await page.getByRole('status').filter({ hasText: 'Done: 40 people got it' }).waitFor({ timeout: 60_000 });
    await page.getByRole('progressbar', { name: '100% done' }).waitFor();
    expect(smtp.messages.length).toBe(40);
    expect(new Set(smtp.messages.flatMap((m) => m.to)).size).toBe(40);
    const fifth = smtp.messages.find((m) => m.to.includes('customer5@example.com'))!;
    expect(fifth.raw).toContain('Hello friend,');
    expect(fifth.raw).toMatch(/Subject: Spring news for you/);

    // 7. The report: a recipient's server replies, and the CSV export.
    await page.getByRole('button', { name: 'Details for customer1@example.com' }).click();
    await page.getByRole('dialog').getByRole('table', { name: 'Attempts' }).waitFor();
    await page.getByRole('dialog').getByText(/^250/).first().waitFor();
    await captureScreen(page, 'campaign-recipient-detail');
    await page.keyboard.press('Escape');
    await captureScreen(page, 'campaign-report', { fullPage: true });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export report as CSV' }).click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe('email,state,attempts,last_response,sent_at,message_id'); // as postroom report --csv writes it
    expect(lines).toHaveLength(41);
    expect(lines.filter((l) => l.includes(',sent,'))).toHaveLength(40);

    // 8. The history lists it as sent.
    await app.goTo('Campaigns');
    await page.getByRole('table', { name: 'Campaigns' }).getByRole('row', { name: /Spring news/ }).getByText('Sent', { exact: true }).waitFor();
    await captureScreen(page, 'campaigns-history', { fullPage: true });
    expectNoErrors(app);
    await app.close();
  });
});
