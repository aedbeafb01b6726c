import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, expectNoErrors, openApp, setupApp, startSmtp, type SmtpPeer } from './harness';

const env = setupApp();
let smtp: SmtpPeer;

beforeAll(async () => {
  smtp = await startSmtp({ user: 'shop@example.com', password: 'right-password' });
});
afterAll(async () => {
  await smtp?.close();
});

describe('relays', () => {
  it('adds a relay through the preset form, tests the connection, and shows its limits', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await app.goTo('Relays');
    await page.getByText('the account or server your mail is sent through').first().waitFor();
    await page.getByRole('link', { name: 'Add a relay' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Add a relay' }).waitFor();

    // A preset fills in the provider's limits.
    await page.getByRole('radio', { name: 'Gmail', exact: true }).check();
    await expect(page.getByRole('textbox', { name: 'Per day' }).inputValue()).resolves.toBe('500');
    await captureScreen(page, 'relay-new', { fullPage: true });

    await page.getByRole('radio', { name: 'Other SMTP server' }).check();
    await page.getByRole('textbox', { name: 'Relay name' }).fill('Shop mail');
    await page.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
    // Other SMTP server finds port and encryption by itself; here they are set by hand.
    await page.getByRole('checkbox', { name: 'Set the port and encryption myself' }).check();
    await page.getByRole('textbox', { name: 'Port' }).fill(String(smtp.port));
    await page.getByRole('combobox', { name: 'Encryption' }).click();
    await page.getByRole('option', { name: /None: unencrypted/ }).click();
    await page.getByRole('textbox', { name: 'User name' }).fill('shop@example.com');
    await page.getByLabel(/^Password/).fill('wrong-password');
    await page.getByRole('textbox', { name: 'Per minute' }).fill('60');
    await page.getByRole('button', { name: 'Save and test connection' }).click();

    // The wrong password: the step that failed, in words.
    const failure = page.getByRole('alert').filter({ hasText: 'Signing in failed' });
    await failure.waitFor();
    expect(await failure.innerText()).toMatch(/password|user name|535/i);
    await captureScreen(page, 'relay-test-failed', { fullPage: true });

    await page.getByLabel(/^Password/).fill('right-password');
    await page.getByRole('button', { name: 'Save and test connection' }).click();
    await page.getByText('The connection works').waitFor();
    await captureScreen(page, 'relay-test-ok', { fullPage: true });

    await app.goTo('Relays');
    const row = page.getByRole('row').filter({ hasText: 'Shop mail' });
    await row.getByText('60 a minute').waitFor();
    await page.getByRole('status', { name: 'Status' }).getByText('Shop mail').waitFor();
    await captureScreen(page, 'relays');

    // Limits stay editable after the relay is saved.
    await row.getByRole('link', { name: 'Shop mail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Relay “Shop mail”' }).waitFor();
    await page.getByRole('textbox', { name: 'Per day' }).fill('1200');
    await captureScreen(page, 'relay-edit', { fullPage: true });
    await page.getByRole('button', { name: /Save without testing|Done/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Relays' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Shop mail' }).getByText('1,200 a day').waitFor();
    expectNoErrors(app, [/Failed to load resource/]);
    await app.close();
  });
});
