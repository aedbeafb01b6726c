/**
 * Measurements of the window's responsiveness, shared by the performance e2e test (which prints them) and
 * `npm run bench -- window` (which reports them): long tasks seen by a PerformanceObserver, and the time from a
 * click on a section to its heading on screen. Timings are reported, never asserted: a busy machine must not fail.
 */
import type { Page } from 'playwright-core';

/** Starts recording long tasks (≥ 50 ms, the browser's own threshold) from now on. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskObserver?: PerformanceObserver };
    w.__longTasks = [];
    w.__longTaskObserver?.disconnect();
    w.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    });
    w.__longTaskObserver.observe({ type: 'longtask', buffered: false });
  });
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
}

export function describeTasks(tasks: number[]): string {
  const max = tasks.length ? Math.max(...tasks) : 0;
  return tasks.length ? `longest task ${max.toFixed(0)} ms, ${tasks.length} task(s) over 50 ms` : 'no task over 50 ms';
}

/** Milliseconds from a click on the sidebar's `section` link to its page's heading being painted. */
export async function timeSectionVisit(page: Page, section: string): Promise<number> {
  return page.evaluate(async (label) => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>('nav a')].find((a) => (a.textContent ?? '').startsWith(label));
    if (!link) throw new Error(`No sidebar link ${label}`);
    const t0 = performance.now();
    link.click();
    await new Promise<void>((resolve) => {
      const check = () => {
        const h = document.querySelector('h1');
        if (h && h.textContent === label) requestAnimationFrame(() => resolve());
        else requestAnimationFrame(check);
      };
      check();
    });
    return performance.now() - t0;
  }, section);
}

/** Wheel-scrolls a virtual table `times` × 1500 px, one step a frame or so. */
export async function wheelScroll(page: Page, tableLabel: string, times = 60): Promise<void> {
  const box = (await page.getByRole('table', { name: tableLabel }).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < times; i++) {
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(16);
  }
}
