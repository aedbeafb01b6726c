/**
 * What comes back, as a person sees it: a campaign really sent, its bounces, complaint and unsubscribe read from a
 * real Dovecot; the relay's mailbox section (counts, last checked, connect another in the window), the campaign
 * report with what came back per recipient, the suppression list with why and which campaign, and the
 * campaign's unsubscribe step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { captureScreen, expectNoErrors, launchBrowser, openApp, startServer, tempDataDir, type Server } from './harness';
import { world, type World } from '../core/mailbox/world';
import { startDovecot, type Dovecot } from '../core/mailbox/dovecot';
import * as R from '../fixtures/mailbox/reports';

let server: Server;
let browser: Browser;
let imap: Dovecot;
let w: World;
let campaignId: number;

beforeAll(async () => {
  const dataDir = tempDataDir('postroom-e2e-mailbox-');
  imap = await startDovecot();
  w = await world({ n: 6, dir: dataDir, imap });
  const sent = await w.send('Spring news');
  const to = (n: number) => sent.get(`r000${n}@example.test`)!;
  await w.imap.appendMany([R.dsn(to(1), 'hard'), R.gmail(to(2)), R.dsn(to(3), 'soft'), R.arf(to(4)), R.unsubscribeRequest(to(5), 'alias@elsewhere.example'), R.humanReply(to(6))]);
  await w.s.call('mailboxes:check', {});
  await w.s.call('relays:create', { name: 'Second', host: '127.0.0.1', port: w.smtp.port, security: 'none', user: imap.user, auth: 'password', password: 'x' });
  campaignId = (await w.s.call('campaigns:get', { campaign: 'Spring news' })).id;
  await w.s.close();
  server = await startServer(dataDir);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await w?.close();
  await imap?.stop();
});

describe('what comes back', () => {
  it('shows the mailbox on the relay page, what came back per recipient, and why addresses are suppressed', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(20_000);

    await page.goto(server.origin + '/#/relays/local');
    await page.getByRole('heading', { level: 2, name: 'Mailbox: what comes back' }).waitFor();
    const counts = page.getByLabel('What came back so far');
    await counts.getByText('Bounced').waitFor();
    expect(await counts.innerText()).toMatch(/Bounced\s+2\s+Temporary failures\s+1\s+Marked as spam\s+1\s+Unsubscribed\s+1\s+Left for you to read\s+1/);
    await page.getByText(/Last checked: (?!not yet)/).waitFor();
    await captureScreen(page, 'relay-mailbox', { fullPage: true });
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByText('Nothing new.').waitFor();

    await page.goto(server.origin + `/#/campaigns/${campaignId}`);
    await page.getByRole('heading', { level: 1, name: 'Spring news' }).waitFor();
    await page.getByText(/Came back: 2 bounced · 1 temporary failures · 1 marked as spam · 1 unsubscribed/).waitFor();
    const table = page.getByRole('table', { name: 'Recipients of this campaign' });
    await table.getByText('Marked as spam').waitFor();
    await table.getByText(/Mailbox full/).waitFor();
    await captureScreen(page, 'campaign-came-back', { fullPage: true });

    await page.goto(server.origin + '/#/recipients/suppressions');
    await page.getByRole('heading', { level: 1, name: 'Suppression list' }).waitFor();
    const list = page.getByRole('table', { name: 'Suppressed addresses' });
    const row = list.getByRole('row').filter({ hasText: 'r0001@example.test' });
    await row.getByText('Bounced').waitFor();
    await row.getByText('Spring news').waitFor();
    await row.getByText(/User unknown/).waitFor();
    await list.getByRole('row').filter({ hasText: 'r0005@example.test' }).getByText('Unsubscribed').waitFor();
    await captureScreen(page, 'suppressions-why', { fullPage: true });
    expectNoErrors(app, [/Failed to load resource/]);
    await app.close();
  });

  it('connects a mailbox in the window after testing it', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(20_000);
    await page.goto(server.origin + '/#/relays/Second');
    const section = page.getByRole('region', { name: 'Mailbox: what comes back' });
    await section.waitFor();
    await section.getByRole('textbox', { name: 'IMAP server' }).fill('127.0.0.1');
    await section.getByRole('combobox', { name: 'Security' }).click();
    await page.getByRole('option', { name: 'None (local only)' }).click();
    await section.getByRole('textbox', { name: 'IMAP port' }).fill(String(imap.port));
    await section.getByRole('textbox', { name: 'Mailbox user name' }).fill(imap.user);
    await section.getByLabel(/^Mailbox password/).fill('wrong');
    await section.getByRole('button', { name: 'Test the connection' }).click();
    await section.getByRole('alert').filter({ hasText: "Couldn't log in to the mailbox" }).waitFor();
    await section.getByLabel(/^Mailbox password/).fill(imap.password);
    await section.getByRole('button', { name: 'Test the connection' }).click();
    await section.getByRole('status').filter({ hasText: /Logged in to 127\.0\.0\.1 as bounces@example\.test: INBOX holds \d+ messages?\./ }).waitFor();
    await captureScreen(page, 'relay-mailbox-connect', { fullPage: true });
    await section.getByRole('button', { name: 'Connect the mailbox' }).click();
    await section.getByRole('button', { name: 'Check now' }).waitFor();
    await section.getByText(/Last checked: (?!not yet)/).waitFor({ timeout: 30_000 });
    expectNoErrors(app, [/Failed to load resource/]);
    await app.close();
  });

  it('explains the unsubscribe choice in the campaign and starts with a mailto on the sending account', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(20_000);
    await page.goto(server.origin + '/#/campaigns/new');
    await page.getByRole('combobox', { name: /Template/ }).click();
    await page.getByRole('option', { name: 'news' }).click();
    const byMail = page.getByRole('checkbox', { name: /By e-mail/ });
    await byMail.waitFor();
    expect(await byMail.isChecked()).toBe(true);
    await expect(page.getByRole('textbox', { name: 'Unsubscribe address' }).inputValue()).resolves.toBe('shop@example.com');
    await page.getByRole('textbox', { name: /a link to an unsubscribe page/ }).fill('http://shop.example.com/u');
    await page.getByText(/is not secure/).first().waitFor();
    await page.getByRole('textbox', { name: /a link to an unsubscribe page/ }).fill('https://shop.example.com/u?e={{ email }}');
    await page.getByRole('group', { name: 'How people unsubscribe' }).scrollIntoViewIfNeeded();
    await captureScreen(page, 'campaign-unsubscribe', { fullPage: true });
    expectNoErrors(app, [/Failed to load resource/]);
    await app.close();
  });
});
