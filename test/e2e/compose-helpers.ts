/**
 * Steps shared by the template, campaign and sending end-to-end tests: a customer CSV with some first names
 * missing, setting things up through the command line (the same data folder `postroom serve` uses), and
 * composing a campaign through the window as a person would.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { cli, type Server, type SmtpPeer } from './harness';

/** `n` customers; every fifth has no first name (for the fallback); cities for a second field. */
export function writeCustomers(dir: string, n: number, name = 'customers.csv'): string {
  const cities = ['Lyon', 'Leeds', 'Graz', 'Porto'];
  const lines = ['Email,First name,City'];
  for (let i = 1; i <= n; i++) lines.push(`customer${i}@example.com,${i % 5 === 0 ? '' : `Ann${i}`},${cities[i % cities.length]}`);
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  return file;
}

export async function importList(server: Server, file: string, list: string): Promise<void> {
  await cli(['import', file, '--list', list, '--data', server.dataDir]);
}

/** A relay pointing at the test SMTP server; its password is read from `passwordEnv` in the serve process. */
export async function addRelay(server: Server, name: string, port: number, passwordEnv: string, extra: string[] = []): Promise<void> {
  await cli(['relay', 'add', name, '--host', '127.0.0.1', '--port', String(port), '--security', 'none', '--user', 'user', '--password-env', passwordEnv, '--retry-min', '1s', ...extra, '--data', server.dataDir]);
}

/**
 * A test's retry (vitest.e2e.config.mts runs a failed test once more) finds in the data folder what its first
 * attempt made, and that attempt's campaign may still be sending. This cancels every campaign still active, waits
 * until the SMTP peer has heard nothing for a second, and answers the names the retry uses: `name (retry N)` for a
 * campaign (its name is taken), and whether a relay of that name is there already (used again, not added twice).
 */
export async function afterFailedAttempt(server: Server, smtp: SmtpPeer, retry: number): Promise<{ campaign: (name: string) => string; hasRelay: (name: string) => Promise<boolean> }> {
  const hasRelay = async (name: string) =>
    retry > 0 && (JSON.parse((await cli(['relay', 'list', '--json', '--data', server.dataDir])).stdout) as Array<{ name: string }>).some((r) => r.name === name);
  if (retry === 0) return { campaign: (name) => name, hasRelay };
  const campaigns = JSON.parse((await cli(['campaign', 'list', '--json', '--data', server.dataDir])).stdout) as Array<{ name: string; state: string }>;
  for (const c of campaigns) if (['sending', 'paused', 'scheduled'].includes(c.state)) await cli(['cancel', c.name, '--data', server.dataDir]);
  for (let heard = -1; heard !== smtp.messages.length; ) {
    heard = smtp.messages.length;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { campaign: (name) => `${name} (retry ${retry})`, hasRelay };
}

export async function addTemplate(server: Server, dir: string, name: string, html: string, subject = 'Spring news'): Promise<void> {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.html`);
  fs.writeFileSync(file, html);
  await cli(['template', 'add', name, '--subject', subject, '--from', 'Corner Shop <shop@example.com>', '--html', file, '--data', server.dataDir]);
}

/**
 * On the composer: picks the list, relay and template by their visible labels, names the campaign, sets the
 * unsubscribe address, and ticks every warning. Leaves the page at the send button.
 */
export async function compose(page: Page, opts: { list: string; relay: string; template: string; name: string; unsubscribe?: string }): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'New campaign' }).waitFor();
  await pick(page, 'List', new RegExp(`^${opts.list} \\(`));
  await pick(page, 'Send through', new RegExp(`^${opts.relay} \\(`));
  await pick(page, 'Template', new RegExp(`^${opts.template}$`));
  await page.getByRole('textbox', { name: 'Campaign name' }).fill(opts.name);
  await setUnsubscribe(page, opts.unsubscribe ?? 'mailto:leave@example.com');
  // Wait until the list has been checked (the sentence names the count), then acknowledge each warning.
  await page.getByRole('status').filter({ hasText: /^Send / }).waitFor();
  await tickWarnings(page);
}

/** Sets the campaign's unsubscribe step: a mailto: address (by e-mail) or an https:// link. */
export async function setUnsubscribe(page: Page, value: string): Promise<void> {
  if (/^mailto:/i.test(value)) {
    const byMail = page.getByRole('checkbox', { name: /By e-mail/ });
    if (!(await byMail.isChecked())) await byMail.check();
    await page.getByRole('textbox', { name: 'Unsubscribe address' }).fill(value.replace(/^mailto:/i, ''));
  } else {
    await page.getByRole('textbox', { name: /a link to an unsubscribe page/ }).fill(value);
  }
}

export async function tickWarnings(page: Page): Promise<void> {
  await page.waitForTimeout(600); // the template check and the preview answer after a short pause
  const boxes = page.getByRole('group').filter({ hasText: 'Please read and tick each one' }).getByRole('checkbox');
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    if (!(await box.isChecked())) await box.check();
  }
}

async function pick(page: Page, label: string, option: RegExp): Promise<void> {
  const box = page.getByRole('combobox', { name: label, exact: true });
  const current = await box.inputValue();
  if (option.test(current)) return;
  await box.click();
  await page.getByRole('option', { name: option }).click();
}

/** Opens a new template in the editor, named, from Corner Shop, with its fields and preview taken from `list`. */
export async function newTemplateFor(page: Page, server: Server, list: string, name: string): Promise<void> {
  await page.goto(server.origin + '/#/templates/new');
  await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
  await page.getByRole('combobox', { name: 'Fields and preview from the list' }).click();
  await page.getByRole('option', { name: new RegExp(`^${list}`) }).click();
  await page.getByRole('textbox', { name: 'Template name' }).fill(name);
  await page.getByRole('textbox', { name: 'From' }).fill('Corner Shop <shop@example.com>');
  // A blank new template switches from the visual editor to HTML without a question.
  await page.locator('label', { hasText: /^HTML$/ }).click();
}
