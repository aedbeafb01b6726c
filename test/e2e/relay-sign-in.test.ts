/**
 * Signing in to a relay in the window (`postroom serve` in Chromium) against a real authorization server
 * (oidc-provider, its own login and consent pages): the sign-in opens in a new tab, the form waits, then shows
 * the address; a declined consent is refused in words; after access is withdrawn, the relay list and the status
 * bar say to sign in again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../electron/core/store/db';
import { fileSecretBox } from '../../electron/core/secrets';
import { CLIENT_ID, startAuthServer, startXOAuthSmtp, type AuthServer, type XOAuthSmtp } from '../oauth-fixture';
import { captureScreen, cli, expectNoErrors, openApp, setupApp } from './harness';

const env = setupApp();
let auth: AuthServer;
let smtp: XOAuthSmtp;

beforeAll(async () => {
  auth = await startAuthServer({ accessTtlSeconds: 30 });
  smtp = await startXOAuthSmtp(auth);
});
afterAll(async () => {
  await smtp?.close();
  await auth?.close();
});

/** The provider's pages in the tab the app opened: log in, then allow (or decline). */
async function provider(tab: Page, choice: 'allow' | 'decline'): Promise<void> {
  // The provider remembers a sign-in from before (its session cookie): then it asks only for consent.
  await tab.getByPlaceholder('Enter any login').or(tab.getByRole('button', { name: 'Continue' })).waitFor();
  if (await tab.getByPlaceholder('Enter any login').count()) {
    await tab.getByPlaceholder('Enter any login').fill('ann');
    await tab.getByPlaceholder('and password').fill('any password');
    await tab.getByRole('button', { name: 'Sign-in' }).click();
  }
  await tab.getByRole('button', { name: 'Continue' }).waitFor();
  if (choice === 'allow') await tab.getByRole('button', { name: 'Continue' }).click();
  else await tab.goto(`${tab.url().replace(/\/$/, '')}/abort`); // the consent page's "no", as a provider's Cancel does
  await tab.getByRole('heading', { level: 1 }).waitFor();
}

describe('signing in to a relay in the window', () => {
  it('shows "Sign in with Microsoft" instead of a password for Microsoft 365, and says plainly where the client ID comes from', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.goto(`${env.server.origin}/#/relays/new`);
    await page.getByRole('heading', { level: 1, name: 'Add a relay' }).waitFor();
    await page.getByRole('radio', { name: 'Microsoft 365' }).check();
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor();
    expect(await page.getByLabel(/^Password/).count()).toBe(0);
    await page.getByText(/has no Microsoft app registration built in/).waitFor();
    await captureScreen(page, 'relay-sign-in-m365', { fullPage: true });
    await page.getByRole('radio', { name: 'Gmail', exact: true }).check();
    await page.getByRole('button', { name: 'Sign in with Google' }).waitFor();

    // A business's own registration, entered once in Settings, is the default from then on.
    await app.goTo('Settings');
    await page.getByRole('textbox', { name: 'Microsoft client ID' }).fill('11111111-2222-3333-4444-555555555555');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.getByText('Entered here: 11111111-2222-3333-4444-555555555555.').waitFor();
    await captureScreen(page, 'settings-sign-in-apps', { fullPage: true });
    await page.goto(`${env.server.origin}/#/relays/new`);
    await page.getByRole('radio', { name: 'Microsoft 365' }).check();
    await page.getByText(/Leave empty to use the default \(set in Settings\)/).waitFor();
    expectNoErrors(app, [/Failed to load resource/]);
    await app.close();
  });

  it('signs in through the provider’s pages in a new tab, shows the address, refuses a declined consent, and asks to sign in again after access is withdrawn', async () => {
    const app = await openApp(env.browser, env.server);
    const { page, context } = app;
    await page.goto(`${env.server.origin}/#/relays/new`);
    await page.getByRole('heading', { level: 1, name: 'Add a relay' }).waitFor();
    await page.getByRole('radio', { name: 'Other SMTP server' }).check();
    await page.getByRole('textbox', { name: 'Relay name' }).fill('Office');
    await page.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
    await page.getByRole('checkbox', { name: 'Set the port and encryption myself' }).check();
    await page.getByRole('textbox', { name: 'Port' }).fill(String(smtp.port));
    await page.getByRole('combobox', { name: 'Encryption' }).click();
    await page.getByRole('option', { name: /None: unencrypted/ }).click();
    await page.getByText('Sign in with OAuth2', { exact: true }).click();
    await page.getByRole('textbox', { name: /Sign-in provider address/ }).fill(auth.issuer);
    await page.getByRole('textbox', { name: /App registration/ }).fill(CLIENT_ID);

    await page.getByRole('button', { name: 'Sign in with your provider' }).click();
    await page.getByText('Waiting for you to sign in…').waitFor();
    await captureScreen(page, 'relay-sign-in-waiting', { fullPage: true });
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Open .* sign-in page/ }).click()]);
    await provider(tab, 'allow');
    expect(await tab.getByRole('heading', { level: 1 }).innerText()).toBe('Signed in');
    await tab.close();
    await page.getByText('Signed in as').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Signed in as' }).innerText()).toMatch(/ann@example\.test/);
    await captureScreen(page, 'relay-signed-in', { fullPage: true });

    await page.getByRole('button', { name: 'Save and test connection' }).click();
    await page.getByText('The connection works').waitFor();

    // Sign out, then decline on the provider's consent page: refused, in words.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with your provider' }).click();
    const [tab2] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Open .* sign-in page/ }).click()]);
    await provider(tab2, 'decline');
    await tab2.close();
    const refused = page.getByRole('alert').filter({ hasText: 'Not signed in' });
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(/was declined/);

    // Signed in again, then the person withdraws access at the provider: the next renewal is refused.
    await page.getByRole('button', { name: 'Sign in with your provider' }).click();
    const [tab3] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Open .* sign-in page/ }).click()]);
    await provider(tab3, 'allow');
    await tab3.close();
    await page.getByText('Signed in as').waitFor();
    const db = openDatabase(env.server.dataDir);
    const sealed = (db.prepare(`SELECT refresh_sealed FROM relay_oauth`).get() as { refresh_sealed: Buffer }).refresh_sealed;
    db.close();
    await auth.revoke(fileSecretBox(env.server.dataDir).decrypt(sealed));
    const tested = await cli(['relay', 'test', 'Office', '--data', env.server.dataDir]).then(
      () => 'passed',
      (e: { stderr: string }) => e.stderr,
    );
    expect(tested).toMatch(/sign in .* again/);

    await app.goTo('Relays');
    await page.getByRole('row').filter({ hasText: 'Office' }).getByRole('link', { name: 'Sign in again to Office' }).waitFor();
    await page.getByRole('status', { name: 'Status' }).getByRole('link', { name: 'Sign in again to Office' }).waitFor();
    await captureScreen(page, 'relays-sign-in-again');
    await page.getByRole('status', { name: 'Status' }).getByRole('link', { name: 'Sign in again to Office' }).click();
    await page.getByRole('button', { name: 'Sign in again with your provider' }).waitFor();
    expectNoErrors(app, [/Failed to load resource/]);
    await app.close();
  });
});
