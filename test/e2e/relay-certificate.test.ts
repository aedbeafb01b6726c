/**
 * "Accept a self-signed certificate" in the relay form: the test shows the certificate's SHA-256 fingerprint and
 * the relay then accepts only that certificate, which the form says.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { captureScreen, expectNoErrors, openApp, setupApp, startSmtp, type SmtpPeer } from './harness';
import { selfSignedCert } from '../core/relay/helpers';

const env = setupApp();
let smtp: SmtpPeer;
let fingerprint: string;

beforeAll(async () => {
  const cert = selfSignedCert();
  fingerprint = new crypto.X509Certificate(cert.cert).fingerprint256;
  smtp = await startSmtp({ secure: true, key: cert.key, cert: cert.cert, disabledCommands: [], user: 'shop@example.com', password: 'right-password' });
});
afterAll(async () => {
  await smtp?.close();
});

describe('a relay with a self-signed certificate', () => {
  it('shows the certificate it accepted, by fingerprint, after the test', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    await app.goTo('Relays');
    await page.getByRole('link', { name: 'Add a relay' }).first().click();
    await page.getByRole('radio', { name: 'Other SMTP server' }).check();
    await page.getByRole('textbox', { name: 'Relay name' }).fill('Own server');
    await page.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
    await page.getByRole('checkbox', { name: 'Set the port and encryption myself' }).check();
    await page.getByRole('textbox', { name: 'Port' }).fill(String(smtp.port));
    await page.getByRole('combobox', { name: 'Encryption' }).click();
    await page.getByRole('option', { name: /TLS from the start/ }).click();
    await page.getByRole('textbox', { name: 'User name' }).fill('shop@example.com');
    await page.getByLabel(/^Password/).fill('right-password');
    await page.getByRole('checkbox', { name: 'Accept a self-signed certificate' }).check();
    await page.getByRole('button', { name: 'Save and test connection' }).click();
    const answer = page.getByRole('status').filter({ hasText: 'The connection works' });
    await answer.getByText(`self-signed, SHA-256 ${fingerprint}: only this certificate is accepted from now on`).waitFor();
    await page.getByText(`Only this certificate is accepted: SHA-256 ${fingerprint}.`).waitFor();
    await captureScreen(page, 'relay-self-signed', { fullPage: true });
    expectNoErrors(app);
    await app.close();
  });
});
