/**
 * The window's responsiveness, in Chromium against the built `postroom serve` (run `npm run build` first):
 * long tasks (PerformanceObserver) while wheel-scrolling a 100,000-recipient list, and the time from a click to
 * the heading of a first visit to Outbox, Campaigns and Templates. Goals (issue 16): no task over 50 ms, a
 * first visit under 100 ms. Run: `npm run bench -- window`. Needs Chromium (/usr/bin/chromium or POSTROOM_CHROMIUM).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';
import { describeTasks, longTasks, recordLongTasks, timeSectionVisit, wheelScroll } from '../e2e/window-measure';

const ROWS = 100_000;
const ROOT = process.cwd();
const BIN = path.join(ROOT, 'bin/postroom.js');

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/cli.cjs'))) throw new Error('Build first: npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-bench-window-'));
  const data = path.join(dir, 'data');
  const csv = path.join(dir, 'big.csv');
  const lines = ['email,first_name,city'];
  for (let i = 1; i <= ROWS; i++) lines.push(`person${i}@example.com,Name${i},City${i % 50}`);
  fs.writeFileSync(csv, lines.join('\n') + '\n');
  execFileSync(process.execPath, [BIN, 'import', csv, '--list', 'Big list', '--data', data], { stdio: 'ignore' });

  const serve = spawn(process.execPath, [BIN, 'serve', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: serve.stdout! }).once('line', (l) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(l);
      if (m) resolve(m[1]!);
      else reject(new Error(`postroom serve said: ${l}`));
    });
  });
  const browser = await chromium.launch({ executablePath: process.env.POSTROOM_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const results: string[] = [];
    for (let run = 1; run <= 3; run++) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await page.goto(url);
      await page.getByRole('list', { name: 'Checklist' }).waitFor();
      await page.waitForTimeout(1500);
      const visits: string[] = [];
      for (const section of ['Outbox', 'Campaigns', 'Templates']) visits.push(`${section} ${(await timeSectionVisit(page, section)).toFixed(0)} ms`);
      await page.goto(`${url.split('?')[0]}#/recipients`);
      await page.getByRole('link', { name: 'Big list' }).click();
      const table = page.getByRole('table', { name: 'Recipients of Big list' });
      await table.getByRole('link', { name: /^person\d+@example\.com$/ }).first().waitFor();
      await recordLongTasks(page);
      await wheelScroll(page, 'Recipients of Big list');
      results.push(`run ${run}: first visits ${visits.join(', ')}; scrolling ${ROWS.toLocaleString('en')} recipients: ${describeTasks(await longTasks(page))}`);
      await page.context().close();
    }
    console.log(results.join('\n'));
  } finally {
    await browser.close();
    serve.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
