/**
 * "Send a test to me" as a person uses it: from the template editor and from the campaign composer's Content
 * step, the previewed recipient's message with [TEST] in the subject reaches the address typed, and only it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectNoErrors, openApp, setupApp, startSmtp, type SmtpPeer } from './harness';
import { compose, writeCustomers } from './compose-helpers';

let smtp: SmtpPeer;
process.env.E2E_SENDTEST_PASSWORD = 'secret';

const env = setupApp(async (dataDir) => {
  smtp = await startSmtp();
  const files = path.join(dataDir, '..', path.basename(dataDir) + '-files');
  fs.mkdirSync(files, { recursive: true });
  await cli(['import', writeCustomers(files, 6), '--list', 'Customers', '--data', dataDir]);
  await cli(['relay', 'add', 'Office', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', 'user', '--password-env', 'E2E_SENDTEST_PASSWORD', '--data', dataDir]);
  const html = path.join(files, 'monthly.html');
  fs.writeFileSync(html, '<p>Hello {{ first_name | default: "friend" }} in {{ city }}.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>');
  await cli(['template', 'add', 'Monthly', '--subject', 'News for {{ first_name | default: "you" }}', '--from', 'Corner Shop <shop@example.com>', '--html', html, '--data', dataDir]);
});
afterAll(async () => smtp?.close());

function subjectOf(raw: string): string {
  return /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
}

describe('send a test to me', () => {
  it("sends the previewed recipient's message from the template editor to the address typed, with [TEST] in the subject", async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await page.goto(env.server.origin + '/#/templates/1');
    await page.getByRole('heading', { level: 1, name: 'Monthly' }).waitFor();
    await page.getByText('customer1@example.com').first().waitFor();
    await page.getByRole('button', { name: 'Send a test to me' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a test to me' });
    await dialog.getByRole('textbox', { name: 'Your e-mail address' }).fill('me@example.org');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Sent to me@example.org — check your inbox.').waitFor();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['me@example.org']);
    expect(subjectOf(smtp.messages[0]!.raw)).toBe('[TEST] News for Ann1');
    expect(smtp.messages[0]!.raw).toMatch(/^To: me@example\.org/m);
    // The address is remembered for the next test.
    await page.getByRole('button', { name: 'Send a test to me' }).click();
    await expect(dialog.getByRole('textbox', { name: 'Your e-mail address' }).inputValue()).resolves.toBe('me@example.org');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expectNoErrors(app);
    await app.close();
  });

  it("sends from the campaign's Content step through the campaign's relay", async () => {
    const before = smtp.messages.length;
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await page.goto(env.server.origin + '/#/campaigns/new');
    await compose(page, { list: 'Customers', relay: 'Office', template: 'Monthly', name: 'June news' });
    await page.getByRole('button', { name: 'Next recipient' }).click();
    await page.getByText('customer2@example.com').first().waitFor();
    await page.getByRole('button', { name: 'Send a test to me' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a test to me' });
    await dialog.getByRole('textbox', { name: 'Your e-mail address' }).fill('me@example.org');
    await expect(dialog.getByRole('combobox', { name: 'Relay for the test' }).inputValue()).resolves.toBe('Office');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Sent to me@example.org — check your inbox.').waitFor();
    expect(smtp.messages).toHaveLength(before + 1);
    const got = smtp.messages.at(-1)!;
    expect(got.to).toEqual(['me@example.org']);
    expect(subjectOf(got.raw)).toBe('[TEST] News for Ann2');
    expect(got.raw).toMatch(/^List-Unsubscribe: <mailto:leave@example\.com/m);
    expectNoErrors(app);
    await app.close();
  });
});
