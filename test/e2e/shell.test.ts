import { describe, expect, it } from 'vitest';
import { captureScreen, expectAccessible, expectNoErrors, openApp, setupApp } from './harness';

const env = setupApp();

describe('the window', () => {
  it('loads the home screen with the first-run checklist and no console errors', async () => {
    const app = await openApp(env.browser, env.server);
    await expect(app.page.getByRole('heading', { level: 1, name: 'Home' }).isVisible()).resolves.toBe(true);
    await app.page.getByRole('list', { name: 'Checklist' }).waitFor();
    expect(await app.page.getByRole('listitem').filter({ hasText: 'Connect a sending account' }).count()).toBe(1);
    await captureScreen(app.page, 'home');
    expectNoErrors(app);
    await app.close();
  });

  it('reaches every section from the sidebar, each accessible, with a screenshot in both themes', async () => {
    const app = await openApp(env.browser, env.server);
    for (const [section, screen] of [
      ['Campaigns', 'campaigns'],
      ['Recipients', 'recipients'],
      ['Templates', 'templates'],
      ['Relays', 'relays'],
      ['Outbox', 'outbox'],
      ['Settings', 'settings'],
      ['Home', 'home'],
    ] as const) {
      await app.goTo(section);
      await app.page.getByRole('status').first().waitFor();
      await captureScreen(app.page, screen);
    }
    expectNoErrors(app);
    await app.close();
  });

  it('shows the status bar with the connection state and the outbox count from the core', async () => {
    const app = await openApp(env.browser, env.server);
    const status = app.page.getByRole('status', { name: 'Status' });
    await status.getByText('Online').waitFor();
    await status.getByText('Outbox empty').waitFor();
    await status.getByRole('link', { name: 'No sending account yet' }).waitFor();
    await expectAccessible(app.page, 'status bar');
    expectNoErrors(app);
    await app.close();
  });

  it('shows a page-not-found screen with a way back for an unknown address', async () => {
    const app = await openApp(env.browser, env.server);
    await app.page.goto(env.server.origin + '/#/nowhere');
    await app.page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await app.page.getByRole('link', { name: 'Go to Home' }).click();
    await app.page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    expectNoErrors(app);
    await app.close();
  });

  it('switches to the dark theme from Settings and back to following the computer', async () => {
    const app = await openApp(env.browser, env.server, { colorScheme: 'light' });
    const { page } = app;
    await app.goTo('Settings');
    const scheme = () => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
    expect(await scheme()).toBe('light');
    await page.getByRole('radio', { name: 'Dark' }).dispatchEvent('click');
    await expect.poll(scheme).toBe('dark');
    await page.getByRole('radio', { name: 'Automatic' }).dispatchEvent('click');
    await expect.poll(scheme).toBe('light');
    await page.getByText(env.server.dataDir).waitFor();
    expectNoErrors(app);
    await app.close();
  });

  it('fits at 200% zoom: the sidebar folds behind a named menu button', async () => {
    const app = await openApp(env.browser, env.server, { viewport: { width: 640, height: 400 } });
    const { page } = app;
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await nav.getByRole('link', { name: /^Relays/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Relays' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await captureScreen(page, 'relays-zoom200');
    expectNoErrors(app);
    await app.close();
  });

  it('is usable from the keyboard: a skip link first, then the sections in order', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(skip.isVisible()).resolves.toBe(true);
    const focusedName = () => page.evaluate(() => (document.activeElement?.textContent ?? '').trim());
    await page.keyboard.press('Tab'); // Postroom (home link in the header)
    await page.keyboard.press('Tab');
    expect(await focusedName()).toMatch(/^Home/);
    await page.keyboard.press('Tab');
    expect(await focusedName()).toMatch(/^Campaigns/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Recipients' }).waitFor();
    await app.close();
  });

  it('jumps between sections with Ctrl+number', async () => {
    const app = await openApp(env.browser, env.server);
    await app.page.keyboard.press('Control+3');
    await app.page.getByRole('heading', { level: 1, name: 'Recipients' }).waitFor();
    await app.page.keyboard.press('Control+7');
    await app.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await app.close();
  });
});

describe('the link to the core', () => {
  it('shows "Reconnecting…" when the WebSocket drops and carries on when it is back', async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let first: { close(): Promise<void> } | undefined;
    await page.routeWebSocket(/\/ws$/, (ws) => {
      ws.connectToServer();
      first ??= ws;
    });
    await page.goto(env.server.url);
    const status = page.getByRole('status', { name: 'Status' });
    await status.getByText('Online').waitFor();
    await first!.close();
    await status.getByText('Reconnecting…').waitFor();
    await status.getByText('Online').waitFor();
    // Requests work again over the new connection.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Settings/ }).click();
    await page.getByText(env.server.dataDir).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
