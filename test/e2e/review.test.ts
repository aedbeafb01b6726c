/**
 * The window's review and `postroom review --json` agree: for one campaign per blocker and warning (built by
 * test/core/outbox/review-cases.ts), the composer's review step lists the same items, with the core's sentences,
 * each with the window's own action (a link or button, never a command).
 */
import { describe, expect, it } from 'vitest';
import { captureScreen, cli, expectNoErrors, openApp, setupApp } from './harness';
import { buildReviewCases, type ReviewCase } from '../core/outbox/review-cases';

let cases: ReviewCase[] = [];
const env = setupApp(async (dir) => {
  cases = (await buildReviewCases(dir)).cases;
});

/** Clock times move between two asks (the quota's "tomorrow 09:14"): compare the rest. */
const steady = (text: string) => text.replace(/\d{1,2}:\d{2}/g, 'HH:MM');

describe("the window's review", () => {
  it('lists the same blockers and warnings as postroom review --json, with actions in the window\'s terms', async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    page.setDefaultTimeout(15_000);
    const campaigns = JSON.parse((await cli(['campaign', 'list', '--json', '--data', env.server.dataDir])).stdout) as Array<{ id: number; name: string }>;
    for (const c of cases) {
      const review = JSON.parse(
        (await cli(['review', c.campaign, '--json', '--data', env.server.dataDir]).catch((e: { stdout: string }) => e)).stdout,
      ) as { blockers: Array<{ code: string; message: string }>; warnings: Array<{ code: string; message: string }> };
      const id = campaigns.find((x) => x.name === c.campaign)!.id;
      await page.evaluate((h) => (location.hash = h), `#/campaigns/${id}`);
      await page.getByRole('heading', { level: 1, name: `Campaign: ${c.campaign}` }).waitFor();
      const step = page.locator('#step-review');
      await step.locator(`[data-code="${c.code}"]`).first().waitFor();
      await page.waitForTimeout(700); // the review answers 300 ms after the form settles: let it
      const shown = await step.locator('[data-code]').evaluateAll((els) =>
        els.map((e) => ({ code: e.getAttribute('data-code')!, blocker: !!e.closest('[role="alert"]'), text: e.textContent ?? '' })),
      );
      const expected = [...review.blockers.map((b) => ({ ...b, blocker: true })), ...review.warnings.map((w) => ({ ...w, blocker: false }))];
      expect(shown.map((s) => `${s.blocker ? 'B' : 'W'} ${s.code}`).sort(), c.campaign).toEqual(expected.map((e) => `${e.blocker ? 'B' : 'W'} ${e.code}`).sort());
      for (const e of expected) {
        const item = shown.find((s) => s.code === e.code && steady(s.text).startsWith(steady(e.message)));
        expect(item, `${c.campaign}: ${e.message}`).toBeDefined();
        expect(item!.text).not.toMatch(/postroom /);
      }
      const send = step.getByRole('button', { name: /^(Send to|Schedule for|Send$)/ });
      if (c.blocker) expect(await send.isDisabled()).toBe(true);
      if (c.code === 'RELAY_NEEDS_PASSWORD') {
        await step.scrollIntoViewIfNeeded();
        await captureScreen(page, 'campaign-review-blocked');
      }
      if (c.code === 'DKIM_MISSING') {
        // The DKIM warning offers the Sender domains screen, not a command.
        const link = step.getByRole('link', { name: 'Set up example.com' });
        expect(await link.getAttribute('href')).toBe('#/settings/domains?domain=example.com');
      }
    }
    // The "missing image" template shows cid:logo.png, which no attachment provides: the preview can't load it.
    expectNoErrors(app, [/ERR_UNKNOWN_URL_SCHEME/]);
    await app.close();
  }, 240_000);
});
