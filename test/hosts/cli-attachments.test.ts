/**
 * Per-recipient attachments from the command line: an `invoice.pdf` next to the spreadsheet, named relatively in
 * it, is attached byte for byte by `preview` and by `send` (a real SMTP server receives it); values that leave the
 * folder are skipped with the reason. `template add` inlines images from the template's own folder only.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { captureIo, tempDir } from '../helpers';
import { startSmtp } from '../core/outbox/harness';

const root = path.resolve(__dirname, '../..');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'core'], { cwd: root, stdio: 'ignore' });
}, 120_000);

async function cli(args: string[], cwd: string) {
  const c = captureIo();
  c.io.cwd = cwd;
  const code = await runCli(args, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

describe('per-recipient attachments on the command line', () => {
  it('attaches invoice.pdf from beside the spreadsheet byte for byte in preview and send, and skips a row that reaches outside', async () => {
    const data = tempDir();
    const sheet = tempDir();
    const invoice = crypto.randomBytes(30_000);
    fs.writeFileSync(path.join(sheet, 'invoice.pdf'), invoice);
    fs.writeFileSync(path.join(sheet, 'customers.csv'), `email,first_name,invoice\nann@example.test,Ann,invoice.pdf\nbob@example.test,Bob,${path.join(data, 'secret.key')}\n`);
    fs.writeFileSync(path.join(sheet, 'letter.md'), 'Hello {{ first_name }}, your invoice is attached.');
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const d = ['--data', data];
    expect((await cli(['import', 'customers.csv', '--list', 'customers', ...d], sheet)).code).toBe(0);
    expect((await cli(['template', 'add', 'invoice', '--subject', 'Invoice', '--from', 'Shop <shop@example.com>', '--markdown', 'letter.md', '--attach-field', 'invoice', ...d], sheet)).code).toBe(0);
    expect((await cli(['relay', 'add', 'local', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', ...d], sheet)).code).toBe(0);
    // No --attachments-dir: the folder of the spreadsheet the list was imported from.
    expect((await cli(['campaign', 'create', 'invoices', '--list', 'customers', '--template', 'invoice', '--relay', 'local', ...d], sheet)).code).toBe(0);

    const preview = await cli(['preview', 'invoices', '--recipient', 'ann@example.test', '--raw', ...d], sheet);
    expect(preview.code).toBe(0);
    const previewed = await simpleParser(Buffer.from(preview.out, 'utf8'));
    expect(previewed.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
    expect(previewed.attachments[0]!.content.equals(invoice)).toBe(true);
    const refused = await cli(['preview', 'invoices', '--recipient', 'bob@example.test', '--raw', ...d], sheet);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/The attachment for bob@example\.test was refused: ".*secret\.key" is a full path/);

    // The review refuses while a recipient's file can't be sent, and says so; skipping them is the person's choice.
    const blocked = await cli(['send', 'invoices', '--follow', ...d], sheet);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toMatch(/can't be sent for 1 person.*bob@example\.test/s);
    expect(smtp.accepted()).toEqual([]);
    const sent = await cli(['send', 'invoices', '--follow', '--skip-unreadable-attachments', ...d], sheet);
    expect(sent.code).toBe(0);
    expect(smtp.accepted().map((m) => m.to)).toEqual(['ann@example.test']);
    const delivered = await simpleParser(Buffer.from(smtp.accepted()[0]!.raw, 'utf8'));
    expect(delivered.attachments[0]!.content.equals(invoice)).toBe(true);
    const report = path.join(sheet, 'report.csv');
    expect((await cli(['report', 'invoices', '--csv', report, ...d], sheet)).code).toBe(0);
    expect(fs.readFileSync(report, 'utf8')).toMatch(/bob@example\.test,skipped,0,"?Not sent: The attachment for bob@example\.test was refused/);
  });

  it('takes --attachments-dir on campaign create, relative to the working folder, and refuses the data folder', async () => {
    const data = tempDir();
    const sheet = tempDir();
    fs.mkdirSync(path.join(sheet, 'invoices'));
    fs.writeFileSync(path.join(sheet, 'customers.csv'), 'email,invoice\nann@example.test,a.pdf\n');
    fs.writeFileSync(path.join(sheet, 'letter.md'), 'Hello');
    const d = ['--data', data];
    await cli(['import', 'customers.csv', '--list', 'customers', ...d], sheet);
    await cli(['template', 'add', 'invoice', '--subject', 'Invoice', '--from', 'Shop <shop@example.com>', '--markdown', 'letter.md', '--attach-field', 'invoice', ...d], sheet);
    await cli(['relay', 'add', 'local', '--host', '127.0.0.1', '--port', '2525', '--security', 'none', ...d], sheet);
    const made = await cli(['campaign', 'create', 'c', '--list', 'customers', '--template', 'invoice', '--relay', 'local', '--attachments-dir', 'invoices', '--json', ...d], sheet);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out).attachmentsDir).toBe(path.join(sheet, 'invoices'));
    const bad = await cli(['campaign', 'create', 'd', '--list', 'customers', '--template', 'invoice', '--relay', 'local', '--attachments-dir', data, ...d], sheet);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/inside Postroom's data folder/);
  });

  it('template add inlines images from the template folder only, and refuses one from elsewhere with the reason', async () => {
    const data = tempDir();
    const folder = tempDir();
    const elsewhere = tempDir();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    fs.writeFileSync(path.join(folder, 'logo.png'), png);
    fs.writeFileSync(path.join(elsewhere, 'private.png'), png);
    fs.writeFileSync(path.join(data, 'secret.key'), crypto.randomBytes(32));
    fs.writeFileSync(path.join(folder, 'ok.html'), '<p>Hi</p><img src="logo.png" alt="logo"><img src="https://example.com/x.png" alt="web">');
    const d = ['--data', data];
    const ok = await cli(['template', 'add', 'ok', '--subject', 'S', '--from', 'Shop <shop@example.com>', '--html', 'ok.html', '--json', ...d], folder);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).attachments).toEqual([expect.objectContaining({ filename: 'logo.png', cid: 'logo.png' })]);
    for (const src of [path.join(elsewhere, 'private.png'), `../${path.basename(elsewhere)}/private.png`, path.join(data, 'secret.key')]) {
      fs.writeFileSync(path.join(folder, 'bad.html'), `<p>Hi</p><img src="${src}">`);
      const bad = await cli(['template', 'add', 'bad', '--subject', 'S', '--from', 'Shop <shop@example.com>', '--html', 'bad.html', ...d], folder);
      expect(bad.code, src).toBe(1);
      expect(bad.err, src).toMatch(/images are taken only from the template's own folder/);
    }
    fs.symlinkSync(path.join(elsewhere, 'private.png'), path.join(folder, 'linked.png'));
    fs.writeFileSync(path.join(folder, 'bad.html'), '<p>Hi</p><img src="linked.png">');
    const linked = await cli(['template', 'add', 'bad', '--subject', 'S', '--from', 'Shop <shop@example.com>', '--html', 'bad.html', ...d], folder);
    expect(linked.err).toMatch(/"linked\.png" is a link that leads out of the folder/);
    const list = await cli(['template', 'list', '--json', ...d], folder);
    expect(JSON.parse(list.out).map((t: { name: string }) => t.name)).toEqual(['ok']);
  });
});
