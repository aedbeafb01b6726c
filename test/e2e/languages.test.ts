/**
 * The window in other languages. Under the pseudo-locale (en-XA: every letter accented, every message ~40 %
 * longer) the translated screens must show no plain-ASCII word that isn't the person's own data: such a word
 * is a string that escaped translation. In German and French each screen is drawn at the window's smallest
 * size (720×480), checked with axe in both schemes, and saved under docs/screenshots/de/ and fr/. Last, the
 * choice in Settings: applied at once, remembered by the core, and "System" goes back to the browser's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureScreen, cli, expectNoErrors, launchBrowser, openApp, SCREENSHOT_DIR, startServer, startSmtp, tempDataDir, type AppPage, type Server, type SmtpPeer } from './harness';

let server: Server;
let browser: Browser;
let smtp: SmtpPeer;
let files: string;
const SMALLEST = { width: 720, height: 480 };

const LIST = 'Kundschaft';
const CAMPAIGN = 'Frühlingsbrief';
const TEMPLATE = 'Rundbrief';
const RELAY = 'Laden';
const PLANNED = 'Sommerbrief';
const SENDING = 'Herbstbrief';
const SLOW = 'Langsam';

/** Parts of the screen that belong to components translated in a later session (see the report of issue 15). */
const LATER: string[] = [];

/**
 * Words Intl writes for the pseudo-locale, which formats as English ("today", "Dec", "5 minutes"): the real
 * languages get their own from Intl, so these are not strings we left untranslated.
 */
const INTL_ENGLISH = new Set(
  'today tomorrow yesterday and AM PM Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun second seconds minute minutes hour hours'.split(' '),
);
/** Names that stay as they are in every language: the product, the sign-in providers, and each language named in itself. */
const NAMES = new Set(['Postroom', 'English', 'Deutsch', 'Microsoft', 'Google', 'Gmail', 'Workspace', 'Amazon', 'SES', 'SendGrid', 'Mailgun', 'Postmark', 'HTML', 'Markdown']);

beforeAll(async () => {
  process.env.E2E_LANG_PASSWORD = 'secret';
  smtp = await startSmtp();
  server = await startServer();
  browser = await launchBrowser();
  files = tempDataDir('postroom-e2e-lang-');
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

/** Every visible text and accessible name on the page, outside the parts translated later. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate((later) => {
    const skip = (el: Element) => later.some((s) => el.closest(s)) || !!el.closest('script, style, iframe, code');
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || skip(el) || !el.getClientRects().length || !n.textContent?.trim()) continue;
      out.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  }, LATER);
}

/** The plain-ASCII words on the page that are neither the person's data nor allowed names. */
async function untranslated(page: Page, data: Set<string>): Promise<string[]> {
  const found = new Set<string>();
  for (const text of await visibleTexts(page)) {
    for (const word of text.match(/\p{L}+/gu) ?? []) {
      if (/^[A-Za-z]{2,}$/.test(word) && !data.has(word) && !INTL_ENGLISH.has(word) && !NAMES.has(word)) found.add(`${word} (in “${text.trim().slice(0, 80)}”)`);
    }
  }
  return [...found];
}

/** The words of the data this test put in: list, campaign, relay, template names, addresses, fields, folders. */
function dataWords(...extra: string[]): Set<string> {
  const all = [LIST, CAMPAIGN, TEMPLATE, RELAY, PLANNED, SENDING, SLOW, server.dataDir, files, 'customers.csv', 'kunden.csv', 'email first_name city Email First name City', 'Lyon Leeds Graz Porto', 'example com customer Ann', 'Neuigkeiten laden@example.com', 'https://example.com/unsubscribe?email={{ email }}', 'smtp.example.com you@example.com https://example.com/logo.png', // the template's own HTML, shown in its code editor
    'Hallo href unsubscribe_url url Abmelden',
    'company moving_date', // the starter templates' merge fields, named on their cards
    'OK message queued', // the test SMTP server's reply (250 OK: message queued), shown as the server's own words
    ...extra];
  return new Set(all.join(' ').match(/\p{L}+/gu) ?? []);
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  // A screen that keeps talking to the core (a preview, a live campaign) never goes idle: don't wait it out.
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
  await page.waitForTimeout(400); // queries answer, the status bar fills in
}

let prepared = false;
async function prepareData(): Promise<void> {
  if (prepared) return; // a retried test finds the data in place
  prepared = true;
  const csv = path.join(files, 'kunden.csv');
  const rows = ['email,first_name,city'];
  for (let i = 1; i <= 12; i++) rows.push(`customer${i}@example.com,Ann${i},${['Lyon', 'Leeds', 'Graz', 'Porto'][i % 4]}`);
  fs.writeFileSync(csv, rows.join('\n') + '\n');
  const html = path.join(files, 'rundbrief.html');
  fs.writeFileSync(html, '<p>Hallo {{ first_name }}</p><p><a href="{{ unsubscribe_url }}">Abmelden</a></p>');
  const d = ['--data', server.dataDir];
  await cli(['import', csv, '--list', LIST, ...d]);
  await cli(['relay', 'add', RELAY, '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', 'user', '--password-env', 'E2E_LANG_PASSWORD', '--daily', '1000', ...d]);
  await cli(['template', 'add', TEMPLATE, '--subject', 'Neuigkeiten', '--from', 'Laden <laden@example.com>', '--html', html, ...d]);
  await cli(['campaign', 'create', CAMPAIGN, '--list', LIST, '--template', TEMPLATE, '--relay', RELAY, '--unsubscribe', 'mailto:abmelden@example.com', ...d]);
  await cli(['send', CAMPAIGN, '--follow', ...d], { env: { E2E_LANG_PASSWORD: 'secret' } });
  // One waiting in the outbox: scheduled for a week from now.
  const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await cli(['campaign', 'create', PLANNED, '--list', LIST, '--template', TEMPLATE, '--relay', RELAY, '--unsubscribe', 'mailto:abmelden@example.com', '--at', later, ...d]);
  // One sending while the screens are drawn: one a minute, so it is still going at the end.
  await cli(['relay', 'add', SLOW, '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', 'user', '--password-env', 'E2E_LANG_PASSWORD', '--rate', '1/m', ...d]);
  await cli(['campaign', 'create', SENDING, '--list', LIST, '--template', TEMPLATE, '--relay', SLOW, '--unsubscribe', 'mailto:abmelden@example.com', ...d]);
  await cli(['send', SENDING, ...d]);
}

/** The screens this session translated, as `[name, address]`, once the app has data. */
async function screensWithData(): Promise<[string, string][]> {
  const { stdout } = await cli(['campaign', 'list', '--json', '--data', server.dataDir]);
  const campaigns = JSON.parse(stdout) as { id: number; name: string }[];
  const sent = campaigns.find((c) => c.name === CAMPAIGN)!;
  const sending = campaigns.find((c) => c.name === SENDING)!;
  return [
    ['home-progress', '#/'],
    ['recipients', '#/recipients'],
    ['list', '#/recipients/lists/1'],
    ['campaigns', '#/campaigns'],
    ['campaign-report', `#/campaigns/${sent.id}`],
    ['campaign-sending', `#/campaigns/${sending.id}`],
    ['campaign-new', '#/campaigns/new'],
    ['relay-new', '#/relays/new'],
    ['import', '#/recipients/import'],
    ['templates', '#/templates'],
    ['template-new', '#/templates/new'],
    ['template', '#/templates/1'],
    ['outbox', '#/outbox'],
    ['settings', '#/settings'],
    ['not-found', '#/nowhere'],
  ];
}

const EMPTY_SCREENS: [string, string][] = [
  ['home', '#/'],
  ['recipients-empty', '#/recipients'],
  ['campaigns-empty', '#/campaigns'],
  ['outbox-empty', '#/outbox'],
];

async function expectAllTranslated(app: AppPage, screens: [string, string][]): Promise<void> {
  const leftovers: string[] = [];
  for (const [name, hash] of screens) {
    await go(app.page, hash);
    leftovers.push(...(await untranslated(app.page, dataWords())).map((w) => `${name}: ${w}`));
  }
  expect(leftovers).toEqual([]);
}

describe('the window in other languages', () => {
  it('shows no untranslated English on the first-run screens under the pseudo-locale', async () => {
    const app = await openApp(browser, server, { locale: 'en-XA' });
    expect(await app.page.evaluate(() => document.documentElement.lang)).toBe('en-XA');
    await expectAllTranslated(app, EMPTY_SCREENS);
    // The sample-data dialog, from Home's second door.
    await go(app.page, '#/');
    await app.page.getByRole('button').filter({ hasText: /šåɱþļé/ }).first().click();
    await app.page.getByRole('dialog').waitFor();
    expect(await untranslated(app.page, dataWords())).toEqual([]);
    expectNoErrors(app);
    await app.close();
  });

  it('draws the first-run screens in German and French at the smallest window size, accessible, with screenshots', async () => {
    for (const [lang, locale, door] of [
      ['de', 'de-DE', 'Mit Beispieldaten ausprobieren'],
      ['fr', 'fr-FR', 'Essayer avec des données d’exemple'],
    ] as const) {
      const app = await openApp(browser, server, { locale, viewport: SMALLEST });
      await app.page.getByRole('button', { name: door }).waitFor();
      fs.mkdirSync(path.join(SCREENSHOT_DIR, lang), { recursive: true });
      for (const [name, hash] of EMPTY_SCREENS) {
        await go(app.page, hash);
        await captureScreen(app.page, `${lang}/${name}`, { fullPage: true });
      }
      await go(app.page, '#/');
      await app.page.getByRole('button', { name: door }).click();
      await app.page.getByRole('dialog').waitFor();
      await captureScreen(app.page, `${lang}/home-sample-dialog`);
      expectNoErrors(app);
      await app.close();
    }
  });

  it('shows no untranslated English on the screens with data under the pseudo-locale', { timeout: 400_000 }, async () => {
    await prepareData();
    const app = await openApp(browser, server, { locale: 'en-XA' });
    await expectAllTranslated(app, await screensWithData());
    expectNoErrors(app);
    await app.close();
  });

  for (const [lang, locale, home] of [
    ['de', 'de-DE', 'Start'],
    ['fr', 'fr-FR', 'Accueil'],
  ] as const) {
    // Eleven screens, each checked by axe in two schemes: minutes on a busy 2-core machine.
    it(`draws each screen in ${lang === 'de' ? 'German' : 'French'} at the smallest window size, accessible, with screenshots`, { timeout: 400_000 }, async () => {
      const app = await openApp(browser, server, { locale, viewport: SMALLEST });
      const { page } = app;
      await page.getByRole('heading', { level: 1, name: home }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      fs.mkdirSync(path.join(SCREENSHOT_DIR, lang), { recursive: true });
      for (const [name, hash] of await screensWithData()) {
        await go(page, hash);
        await captureScreen(page, `${lang}/${name}`, { fullPage: true });
        // Nothing wider than the window: longer words wrap instead of pushing the page sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${lang}/${name} overflows sideways`).toBeLessThanOrEqual(0);
      }
      // Plurals and numbers the local way, from the core's counts.
      await go(page, '#/recipients/lists/1');
      await page.getByText(lang === 'de' ? '12 Empfänger' : '12 destinataires').first().waitFor();
      expectNoErrors(app);
      await app.close();
    });
  }

  it('switches language from Settings at once, remembers it in the core, and follows the computer again on "System"', async () => {
    const first = await openApp(browser, server, { locale: 'en-US' });
    await first.page.evaluate(() => (location.hash = '#/settings'));
    await first.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await first.page.getByRole('radio', { name: 'Deutsch' }).check();
    await first.page.getByRole('heading', { level: 1, name: 'Einstellungen' }).waitFor();
    expect(await first.page.evaluate(() => document.documentElement.lang)).toBe('de');
    await first.close();

    // A fresh browser profile (nothing cached) still opens in German: the core kept the choice.
    const second = await openApp(browser, server, { locale: 'en-US' });
    await second.page.getByRole('heading', { level: 1, name: 'Start' }).waitFor();
    await second.page.evaluate(() => (location.hash = '#/settings'));
    await second.page.getByRole('radio', { name: /^System/ }).check();
    await second.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expectNoErrors(second);
    await second.close();
  });
});
