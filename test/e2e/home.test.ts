import { describe, expect, it } from 'vitest';
import { captureScreen, expectNoErrors, openApp, setupApp } from './harness';

const env = setupApp();

describe('home', () => {
  it('offers sample data whose every address reaches only the person, and ticks the checklist from it', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.getByRole('heading', { name: 'Welcome to Postroom' }).waitFor();
    await page.getByRole('button', { name: 'Try it with sample data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Try it with sample data' });
    await dialog.getByRole('textbox', { name: 'Your e-mail address' }).fill('owner@shop.example');
    await dialog.getByText('owner+sample-anna@shop.example').waitFor();
    await captureScreen(page, 'sample-data');
    await dialog.getByRole('button', { name: 'Add sample data' }).click();
    await dialog.waitFor({ state: 'detached' });

    const checklist = page.getByRole('list', { name: 'Checklist' });
    await checklist.getByRole('listitem', { name: /Import your recipients \(done\)/ }).waitFor();
    await checklist.getByRole('listitem', { name: /Write your first newsletter \(done\)/ }).waitFor();
    expect(await checklist.getByRole('listitem', { name: /Connect a sending account \(done\)/ }).count()).toBe(0);
    await page.getByText('8 recipients in 1 list').waitFor();
    await captureScreen(page, 'home-progress');

    await page.goto(env.server.origin + '/#/recipients');
    await page.getByRole('link', { name: /^Sample customers/ }).click();
    const table = page.getByRole('table', { name: /^Recipients of Sample customers/ });
    await table.getByText('owner+sample-anna@shop.example').waitFor();
    // Every address in the sample list delivers to the owner's mailbox.
    const emails = await table.getByRole('link').allInnerTexts();
    expect(emails).toHaveLength(8);
    for (const e of emails) expect(e).toMatch(/^owner\+sample-[a-z]+@shop\.example$/);
    expectNoErrors(app);
    await app.close();
  });
});
