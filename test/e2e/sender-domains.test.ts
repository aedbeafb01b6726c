/**
 * Settings → Sender domains against a real DNS server (dnsmasq on 127.0.0.1, started here, passed to
 * `postroom serve` as POSTROOM_DNS_SERVERS): add a DKIM key, copy its record, see it unpublished; publish it
 * (a new DNS server with the record) and see SPF, DKIM and DMARC ready; remove the key.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { captureScreen, cli, expectNoErrors, launchBrowser, openApp, startServer, tempDataDir, type Server } from './harness';
import { startDns, type DnsServer } from '../dns-server';
import type { Browser } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (stops.length) await stops.pop()!();
});

async function serveWith(dataDir: string, dns: DnsServer): Promise<Server> {
  process.env.POSTROOM_DNS_SERVERS = dns.address; // read by the `postroom serve` child at start
  const server = await startServer(dataDir);
  delete process.env.POSTROOM_DNS_SERVERS;
  stops.push(() => server.stop());
  return server;
}

describe('Sender domains', () => {
  it('adds a DKIM key, shows the record to publish, checks SPF, DKIM and DMARC in DNS, and removes the key', async () => {
    const dataDir = tempDataDir();
    const files = tempDataDir('postroom-e2e-domains-');
    fs.writeFileSync(path.join(files, 'news.html'), '<p>Hello</p>');
    await cli(['template', 'add', 'News', '--subject', 'News', '--from', 'Shop <hello@shop.test>', '--html', path.join(files, 'news.html'), '--data', dataDir]);
    await cli(['relay', 'add', 'mailhost', '--host', 'smtp.mailhost.test', '--port', '2525', '--security', 'none', '--data', dataDir]);
    const zone = { txt: { 'shop.test': 'v=spf1 include:_spf.mailhost.test -all', '_spf.mailhost.test': 'v=spf1 ip4:192.0.2.0/24 -all' }, a: { 'smtp.mailhost.test': '192.0.2.25' } };
    const before = await startDns(zone);
    stops.push(() => before.stop());
    let server = await serveWith(dataDir, before);
    const browser: Browser = await launchBrowser();
    stops.push(() => browser.close());
    let app = await openApp(browser, server);
    let page = app.page;
    page.setDefaultTimeout(15_000);

    // From Settings to Sender domains; the domain of the template's From address is there.
    await app.goTo('Settings');
    await page.getByRole('link', { name: 'Open Sender domains' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sender domains' }).waitFor();
    const card = page.getByRole('region', { name: 'shop.test' });
    await card.getByText('From address of “News”.').waitFor();
    await card.getByRole('button', { name: 'Add a DKIM key for shop.test' }).click();
    await card.getByText('DKIM key postroom1').waitFor();
    const dkim = JSON.parse((await cli(['dkim', 'list', '--json', '--data', dataDir])).stdout) as Array<{ dnsName: string; dnsValue: string }>;
    const record = card.getByRole('table', { name: 'DKIM record of shop.test' });
    await expect(record.getByText(dkim[0]!.dnsValue)).toBeTruthy();
    expect(await record.getByRole('cell', { name: 'postroom1._domainkey.shop.test' }).count()).toBe(1);

    await card.getByRole('button', { name: 'Check shop.test in DNS' }).click();
    await card.getByRole('listitem', { name: 'SPF: Ready' }).waitFor();
    await card.getByRole('listitem', { name: 'DKIM: To do' }).waitFor();
    await card.getByRole('listitem', { name: 'DMARC: To do' }).waitFor();
    await card.getByRole('table', { name: 'DMARC record to add' }).getByText(/^v=DMARC1; p=none/).waitFor();
    await captureScreen(page, 'sender-domains', { fullPage: true });
    expectNoErrors(app);
    await app.close();
    await server.stop();

    // The records are published: a DNS server that has them.
    const after = await startDns({ ...zone, txt: { ...zone.txt, [dkim[0]!.dnsName]: dkim[0]!.dnsValue, '_dmarc.shop.test': 'v=DMARC1; p=none' } });
    stops.push(() => after.stop());
    server = await serveWith(dataDir, after);
    app = await openApp(browser, server);
    page = app.page;
    page.setDefaultTimeout(15_000);
    // The review's DKIM button lands here with the domain in focus.
    await page.evaluate(() => (location.hash = '#/settings/domains?domain=shop.test'));
    const again = page.getByRole('region', { name: 'shop.test' });
    await again.getByRole('button', { name: 'Check shop.test in DNS' }).click();
    for (const name of ['SPF: Ready', 'DKIM: Ready', 'DMARC: Ready']) await again.getByRole('listitem', { name }).waitFor();

    await again.getByRole('button', { name: 'Remove key…' }).click();
    await again.getByRole('button', { name: 'Remove the key' }).click();
    await again.getByText('No DKIM key').waitFor();
    expect(JSON.parse((await cli(['dkim', 'list', '--json', '--data', dataDir])).stdout)).toEqual([]);
    expectNoErrors(app);
    await app.close();
  }, 180_000);
});
