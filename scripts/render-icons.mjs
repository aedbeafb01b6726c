// Renders assets/icon.svg to the PNG sizes electron-builder and the tray use, with Debian's Chromium.
// Run after editing the SVG: node scripts/render-icons.mjs
import { chromium } from 'playwright-core';
import fs from 'node:fs';
const svg = fs.readFileSync('assets/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
for (const size of [1024, 512, 256]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`);
  await page.screenshot({ path: size === 1024 ? 'assets/icon.png' : `assets/icon-${size}.png`, omitBackground: true });
  await page.close();
}
await browser.close();
