/**
 * The template editor as a person uses it: starting from a starter template, fields the list lacks marked where
 * they are, Markdown, preview widths, the spam check, and an attachment.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { captureScreen, expectNoErrors, launchBrowser, openApp, startServer, tempDataDir, type Server } from './harness';
import { importList, newTemplateFor, writeCustomers } from './compose-helpers';

let server: Server;
let browser: Browser;
let files: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = tempDataDir('postroom-e2e-templates-');
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Replaces the editor's whole text, as pasting would. */
async function setBody(page: Page, label: string, text: string): Promise<void> {
  await page.getByRole('textbox', { name: label }).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('the template editor', () => {
  it('offers the starter templates on the empty screen and opens one, previewed for a sample recipient', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await app.goTo('Templates');
    await page.getByRole('heading', { name: 'Start from a ready-made template' }).waitFor();
    await page.getByRole('link', { name: 'Use this template: Newsletter' }).click();
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Template name' }).inputValue()).resolves.toBe('Newsletter');
    await page.getByText('Showing a sample recipient with made-up values').waitFor();
    await page.getByRole('textbox', { name: 'From' }).fill('Corner Shop <shop@example.com>');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Newsletter' }).waitFor();
    await page.getByText('"Newsletter" is saved.').waitFor();
    expectNoErrors(app);
    await app.close();
  });

  it('writes a message in another language than the window’s: its blank words, the footer it adds, and what is saved', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await page.goto(server.origin + '/#/templates/new');
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    const language = page.getByRole('combobox', { name: 'Language of the message' });
    await expect(language.inputValue()).resolves.toBe('English');
    await language.click();
    await page.getByRole('option', { name: 'Deutsch' }).click();
    // Nothing written yet: the blank template starts over in German, while the window stays English.
    const content = page.getByRole('textbox', { name: 'Content', exact: true });
    await content.getByText('Schreiben Sie hier Ihre Neuigkeiten.').waitFor();
    await page.getByRole('button', { name: 'Unsubscribe link', exact: true }).click();
    await content.getByText('Sie erhalten diese E-Mail, weil Sie auf unserer Liste stehen.').waitFor();
    await content.getByRole('link', { name: 'Abmelden' }).waitFor();
    const frame = page.frameLocator('iframe[title^="Preview of the message"]');
    await frame.locator('html[lang="de"]').waitFor({ state: 'attached' });

    // Another language now: the footer's link (not the person's to edit) follows it; their own words stay.
    await language.click();
    await page.getByRole('option', { name: 'Français' }).click();
    await content.getByRole('link', { name: 'Se désinscrire' }).waitFor();
    await content.getByText('Schreiben Sie hier Ihre Neuigkeiten.').waitFor();
    await frame.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    await page.getByRole('textbox', { name: 'Template name' }).fill('Lettre');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('Corner Shop <shop@example.com>');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('"Lettre" is saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Lettre' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Language of the message' }).inputValue()).resolves.toBe('Français');
    await page.getByRole('textbox', { name: 'Content', exact: true }).getByRole('link', { name: 'Se désinscrire' }).waitFor();
    expectNoErrors(app);
    await app.close();
  });

  it("marks a field the list doesn't have at its line and column, in the list and in the source", async () => {
    await importList(server, writeCustomers(files, 12), 'Customers');
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await newTemplateFor(page, server, 'Customers', 'Shoes');
    await setBody(page, 'Content (HTML)', '<p>Hello {{ first_name }},</p>\n<p>Your size: {{ shoe_size }}</p>\n');
    const problems = page.getByRole('alert').filter({ hasText: 'Fix these before sending' });
    await problems.getByText('Content, line 2, column 18: the list “Customers” has no field shoe_size.').waitFor();
    // Underlined in the source, and "Show" puts the cursor there.
    await page.locator('.cm-lintRange-error').first().waitFor();
    await problems.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('alert').filter({ hasText: 'No unsubscribe link' }).waitFor();
    await captureScreen(page, 'template-problems', { fullPage: true });

    // Insert the unsubscribe link from the warning and replace the unknown field: the problems go.
    await page.getByRole('button', { name: 'Insert an unsubscribe link' }).click();
    await setBody(page, 'Content (HTML)', '<p>Hello {{ first_name | default: "friend" }} from {{ city }},</p>\n<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>\n');
    await problems.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'Fallbacks' }).getByText('2 empty').waitFor(); // customers 5 and 10
    expectNoErrors(app);
    await app.close();
  });

  it('previews Markdown at mobile width, runs the spam check and attaches a file', async () => {
    const app = await openApp(browser, server);
    const { page } = app;
    page.setDefaultTimeout(30_000);
    await page.goto(server.origin + '/#/templates/new');
    await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
    await page.getByRole('textbox', { name: 'Template name' }).fill('Letter');
    await page.getByRole('textbox', { name: 'Subject' }).fill('A note for {{ first_name | default: "you" }}');
    await page.getByRole('textbox', { name: 'From' }).fill('Ann Baker <ann@example.com>');
    await page.locator('label', { hasText: /^Markdown$/ }).click();
    await setBody(page, 'Content (Markdown)', '# Dear {{ first_name | default: "friend" }}\n\nThe **spring range** is in.\n\n[Unsubscribe]({{ unsubscribe_url }})\n');
    const frame = page.frameLocator('iframe[title^="Preview of the message"]');
    await frame.getByRole('heading', { name: 'Dear Ann1' }).waitFor();
    await frame.locator('strong', { hasText: 'spring range' }).waitFor();
    await page.locator('label', { hasText: /^Mobile$/ }).click();
    await expect.poll(() => page.locator('iframe[title^="Preview of the message"]').evaluate((f) => (f as HTMLIFrameElement).getBoundingClientRect().width)).toBe(375);
    // Scripts in a message never run in the preview.
    expect(await page.locator('iframe[title^="Preview of the message"]').getAttribute('sandbox')).toBe('');

    await page.getByRole('button', { name: 'Check with SpamAssassin' }).click();
    const spam = page.getByRole('region', { name: 'Spam check' });
    await spam.getByText(/^Score|SpamAssassin isn't installed/).first().waitFor({ timeout: 60_000 });
    console.log(`[spam check] ${(await spam.getByRole('status').or(spam.getByText(/SpamAssassin isn't installed/)).first().innerText()).replace(/\s+/g, ' ')}`);

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letter' }).waitFor();
    const file = path.join(files, 'price-list.pdf');
    fs.writeFileSync(file, '%PDF-1.4\n% a tiny file standing in for a price list\n');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach a file' }).click();
    await (await chooser).setFiles(file);
    await page.getByRole('region', { name: 'Attachments' }).getByText('price-list.pdf').waitFor();
    await page.getByRole('button', { name: 'Remove price-list.pdf' }).waitFor();
    await captureScreen(page, 'template-markdown-mobile', { fullPage: true });
    expectNoErrors(app);
    await app.close();
  });
});
