/**
 * Performance in the browser, measured with the Performance API and printed (not asserted as timings: they
 * depend on the machine). Target from issue 6: no main-thread task over 50 ms.
 */
import { describe, expect, it } from 'vitest';
import { cli, openApp, setupApp, tempDataDir, writeRecipientsCsv } from './harness';
import { describeTasks, longTasks, recordLongTasks, timeSectionVisit, wheelScroll } from './window-measure';

const ROWS = 100_000;
const env = setupApp(async (dataDir) => {
  const csv = writeRecipientsCsv(tempDataDir('postroom-e2e-files-'), ROWS);
  await cli(['import', csv, '--list', 'Big list', '--data', dataDir]);
});

function report(what: string, tasks: number[]): void {
  console.log(`[perf] ${what}: ${describeTasks(tasks)}`);
}

describe('performance', () => {
  it('measures the time to an interactive home screen', async () => {
    const app = await openApp(env.browser, env.server);
    await app.page.getByRole('list', { name: 'Checklist' }).waitFor();
    const t = await app.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const mark = performance.getEntriesByName('postroom:home-interactive')[0];
      return { interactive: mark?.startTime ?? NaN, domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
    });
    console.log(`[perf] navigation → DOMContentLoaded ${t.domContentLoaded.toFixed(0)} ms; → interactive home (real data shown) ${t.interactive.toFixed(0)} ms`);
    expect(Number.isFinite(t.interactive)).toBe(true);
    await app.close();
  });

  it('measures first visits to the lazily loaded sections (their code is fetched after the first screen)', async () => {
    const app = await openApp(env.browser, env.server);
    await app.page.getByRole('list', { name: 'Checklist' }).waitFor();
    await app.page.waitForTimeout(1500); // the preload starts 300 ms after the first screen
    await recordLongTasks(app.page);
    for (const section of ['Outbox', 'Campaigns', 'Templates']) {
      const ms = await timeSectionVisit(app.page, section);
      console.log(`[perf] first visit to ${section}: ${ms.toFixed(0)} ms from the click to its heading painted`);
      expect(ms).toBeGreaterThan(0);
    }
    report('first visits', await longTasks(app.page));
    await app.close();
  });

  it(`measures the longest main-thread task while scrolling a ${ROWS.toLocaleString()}-recipient list`, async () => {
    const app = await openApp(env.browser, env.server);
    const { page } = app;
    await page.goto(env.server.origin + '/#/recipients');
    await page.getByRole('link', { name: 'Big list' }).click();
    const table = page.getByRole('table', { name: 'Recipients of Big list' });
    await table.getByRole('link', { name: /^person\d+@example\.com$/ }).first().waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe(String(ROWS + 1));

    await recordLongTasks(page);
    const started = Date.now();
    await wheelScroll(page, 'Recipients of Big list');
    report(`wheel-scrolling 60 × 1500 px in ${Date.now() - started} ms`, await longTasks(page));

    await recordLongTasks(page);
    // Jumps, as dragging the scrollbar does: to the middle, then the end; rows load page by page.
    for (const fraction of [0.5, 0.75, 1]) {
      await table.evaluate((el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), fraction);
      await page.waitForTimeout(300);
    }
    await table.getByRole('cell', { name: /@example\.com$/ }).last().waitFor();
    const lastRow = await table.getByRole('row').last().getAttribute('aria-rowindex');
    expect(Number(lastRow)).toBe(ROWS + 1);
    report('jumping to the middle and the end', await longTasks(page));

    await recordLongTasks(page);
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('person99999');
    await page.getByText('1 of 100,000 match').waitFor();
    report('searching 100,000 recipients', await longTasks(page));
    await app.close();
  });
});
