import { describe, expect, it } from 'vitest';
import { expectNoErrors, openApp, setupApp } from './harness';

const env = setupApp();

describe('the browser host', () => {
  it('takes the token out of the address bar once the page has loaded, and the page keeps working after a reload', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Postroom' }).waitFor();
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => location.search)).toBe('');
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome to Postroom' }).waitFor();
    expect(page.url()).not.toContain('token');
    expectNoErrors(app);
    await app.close();
  });
});
