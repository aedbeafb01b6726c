import { dispatch } from '../../../shared/router';
/**
 * Per-recipient attachments resolve inside the campaign's attachments folder only (compose/attachments.ts): the
 * preview, the composer on the engine's thread, the compose worker and the engine all refuse the same values,
 * and the engine records such a recipient as skipped with the reason, never sending without the file.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareComposer } from '../../../electron/core/compose';
import { attachmentsFolderOf, scanAttachments } from '../../../electron/core/compose/attachments';
import { ComposePool } from '../../../electron/core/outbox/compose-pool';
import { Engine } from '../../../electron/core/outbox/engine';
import { emailKey } from '../../../electron/core/store/suppressions';
import { buildComposeWorker, campaignState, rowsOf, setup, startSmtp, until, type Setup } from '../outbox/harness';
import { tempDir } from '../../helpers';

let workerFile = '';
beforeAll(async () => {
  workerFile = await buildComposeWorker('attach');
}, 60_000);
afterAll(() => fs.rmSync(workerFile, { force: true }));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const INVOICE = crypto.randomBytes(50_000);

/**
 * A folder as a person keeps it: the spreadsheet's folder `files` with invoice.pdf in it, Postroom's data folder
 * inside it too (so that "in the data folder" is reachable by a relative path), a secret next door, and one
 * recipient per way a value could try to leave the folder.
 */
function world(): { s: Setup; files: string; secret: string; cases: Record<string, { value: string; reason: RegExp }> } {
  const root = tempDir('postroom-attach-');
  const files = path.join(root, 'files');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(files);
  fs.mkdirSync(outside);
  const secret = path.join(outside, 'secret.txt');
  fs.writeFileSync(secret, 'the secret');
  fs.writeFileSync(path.join(files, 'invoice.pdf'), INVOICE);
  fs.writeFileSync(path.join(files, 'empty.pdf'), '');
  fs.symlinkSync(secret, path.join(files, 'link.pdf'));
  fs.symlinkSync(outside, path.join(files, 'linked'));
  fs.symlinkSync('/proc/self/environ', path.join(files, 'environ'));
  fs.symlinkSync('/dev/zero', path.join(files, 'zero'));
  fs.mkdirSync(path.join(files, 'sub'));
  execFileSync('mkfifo', [path.join(files, 'pipe')]);
  const s = setup({ dir: path.join(files, 'data') });
  cleanups.push(() => s.close());
  // The data folder's own key: what a hostile row would most like to attach.
  s.service.ctx.secrets.encrypt('make the key file');
  const cases: Record<string, { value: string; reason: RegExp }> = {
    'absolute@example.test': { value: secret, reason: /is a full path/ },
    'windows@example.test': { value: 'C:\\Users\\ann\\secret.txt', reason: /is a full path/ },
    'dotdot@example.test': { value: '../outside/secret.txt', reason: /climbs out of the folder/ },
    'backslash@example.test': { value: 'sub\\..\\..\\outside\\secret.txt', reason: /climbs out of the folder/ },
    'link@example.test': { value: 'link.pdf', reason: /is a link that leads out of the folder/ },
    'dirlink@example.test': { value: 'linked/secret.txt', reason: /is a link that leads out of the folder/ },
    'proc@example.test': { value: 'environ', reason: /is a link that leads out of the folder/ },
    'device@example.test': { value: 'zero', reason: /is a link that leads out of the folder/ },
    'fifo@example.test': { value: 'pipe', reason: /is not a regular file/ },
    'folder@example.test': { value: 'sub', reason: /is a folder, not a file/ },
    'empty@example.test': { value: 'empty.pdf', reason: /is an empty file/ },
    'key@example.test': { value: 'data/secret.key', reason: /inside Postroom's data folder/ },
    'missing@example.test': { value: 'nope.pdf', reason: /is missing: .*nope\.pdf does not exist/ },
  };
  const listId = (s.db.prepare(`SELECT id FROM lists WHERE name = 'customers'`).get() as { id: number }).id;
  const ins = s.db.prepare(`INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  for (const [email, c] of [['ok@example.test', { value: 'invoice.pdf' }] as const, ...Object.entries(cases)]) {
    ins.run(listId, email, emailKey(email), null, JSON.stringify({ email, first_name: 'X', invoice: c.value }), 0, 0);
  }
  s.db.prepare(`UPDATE lists SET fields = json_insert(fields, '$[#]', 'invoice') WHERE id = ? AND NOT EXISTS (SELECT 1 FROM json_each(fields) WHERE value = 'invoice')`).run(listId);
  return { s, files, secret, cases };
}

async function invoiceTemplate(s: Setup, attachmentsDir?: string): Promise<number> {
  const t = await s.call('templates:create', {
    name: 'invoice',
    subject: 'Your invoice',
    from: 'Shop <shop@example.com>',
    replyTo: null,
    format: 'html',
    body: '<p>Hello {{ first_name }}, your invoice is attached.</p>',
    text: null,
    attachField: 'invoice',
    ...(attachmentsDir ? { attachmentsDir } : {}),
  });
  return t.id;
}

function recipient(email: string, value: string) {
  return { email, name: null, fields: { invoice: value } };
}

describe('per-recipient attachments stay inside the attachments folder', () => {
  it('preview attaches the relative invoice.pdf byte for byte, and says why each other value is refused', async () => {
    const { s, files, cases } = world();
    await invoiceTemplate(s, files);
    const ok = await s.call('templates:preview', { id: 2, list: 'customers', email: 'ok@example.test' });
    expect(ok.problem).toBeNull();
    expect(ok.attachments).toEqual([{ filename: 'invoice.pdf', contentType: 'application/pdf', size: INVOICE.length, inline: false }]);
    const parsed = await simpleParser(Buffer.from(ok.raw, 'utf8'));
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.content.equals(INVOICE)).toBe(true);
    for (const [email, c] of Object.entries(cases)) {
      const p = await s.call('templates:preview', { id: 2, list: 'customers', email });
      expect(p.problem, email).toMatch(c.reason);
      // Shown without any file: never the refused one, never another.
      expect(p.attachments, email).toEqual([]);
      expect(p.raw).not.toContain('the secret');
    }
  });

  it('the composer refuses the same values, with FILE_UNREADABLE, and reads nothing outside', async () => {
    const { s, files, cases } = world();
    const templateId = await invoiceTemplate(s);
    const composer = prepareComposer(s.service.ctx, { templateId, campaignName: 'c', listName: 'customers', unsubscribe: null, attachmentsDir: files });
    const m = await composer.compose(recipient('ok@example.test', 'invoice.pdf'), '<a@example.com>');
    expect((await simpleParser(m.raw)).attachments[0]!.content.equals(INVOICE)).toBe(true);
    for (const [email, c] of Object.entries(cases)) {
      await expect(composer.compose(recipient(email, c.value), '<b@example.com>'), email).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringMatching(c.reason) });
    }
  });

  it('the compose worker refuses the same values and attaches the same bytes', async () => {
    const { s, files, cases } = world();
    const templateId = await invoiceTemplate(s);
    const options = { templateId, campaignName: 'c', listName: 'customers', unsubscribe: null, attachmentsDir: files };
    const pool = new ComposePool(s.service.ctx, options, prepareComposer(s.service.ctx, options), workerFile, 1);
    cleanups.push(() => pool.close());
    expect(await pool.workersInUse()).toBe(1);
    const m = await pool.compose(recipient('ok@example.test', 'invoice.pdf'), '<a@example.com>');
    expect((await simpleParser(m.raw)).attachments[0]!.content.equals(INVOICE)).toBe(true);
    for (const [email, c] of Object.entries(cases)) {
      await expect(pool.compose(recipient(email, c.value), '<b@example.com>'), email).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringMatching(c.reason) });
    }
    expect(await pool.workersInUse()).toBe(1);
  });

  it('refuses everything when no attachments folder is chosen', async () => {
    const { s } = world();
    const templateId = await invoiceTemplate(s);
    const composer = prepareComposer(s.service.ctx, { templateId, campaignName: 'c', listName: 'customers', unsubscribe: null });
    expect(composer.checkRecipient(recipient('ok@example.test', 'invoice.pdf'))).toMatch(/no attachments folder is chosen/);
  });

  it('refuses a folder inside the data folder, one that does not exist, and /proc', async () => {
    const { s, files } = world();
    for (const [dir, why] of [
      [path.join(files, 'data'), /inside Postroom's data folder/],
      [path.join(files, 'nope'), /does not exist/],
      ['/proc/self', /holds the system's own files/],
      ['relative/folder', /not a full path/],
    ] as const) {
      await expect(invoiceTemplate(s, dir), dir).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(why) });
    }
  });

  for (const where of ['the engine thread', 'a compose worker'] as const) {
    it(`the engine (composing on ${where}) sends invoice.pdf byte for byte and skips every refused recipient with the reason`, async () => {
      const { s, files, cases } = world();
      const smtp = await startSmtp();
      cleanups.push(() => smtp.close());
      s.addRelay('local', smtp.port);
      await invoiceTemplate(s);
      await s.call('campaigns:create', { name: 'invoices', list: 'customers', template: 'invoice', relays: ['local'], attachmentsDir: files });
      const listId = (s.db.prepare(`SELECT id FROM lists WHERE name = 'customers'`).get() as { id: number }).id;
      const folder = attachmentsFolderOf(s.db, { campaignId: 1, listId });
      expect(folder).toBe(files);
      const review = scanAttachments(s.service.ctx, { field: 'invoice', folder, startedId: null, listId });
      expect(review.count).toBe(Object.keys(cases).length);
      expect(review.examples).toHaveLength(5);
      for (const e of review.examples) expect(e.reason).toMatch(cases[e.email]!.reason);
      // The review blocks until the person chooses to skip those recipients.
      const refused = await dispatch(s.service.handlers, 'campaigns:send', { campaign: 'invoices' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'REVIEW_BLOCKED', params: { blockers: 'ATTACHMENTS_UNREADABLE' } } });
      await s.call('campaigns:send', { campaign: 'invoices', skipUnreadableAttachments: true });
      const engine = new Engine(s.service.ctx, { composeWorker: where === 'a compose worker' ? workerFile : null });
      engine.start();
      cleanups.push(() => engine.stop());
      await until(() => campaignState(s.db, 'invoices') === 'completed', 15_000, 'the campaign to complete');
      const rows = rowsOf(s.db, 'invoices');
      expect(rows.find((r) => r.email === 'ok@example.test')!.state).toBe('sent');
      expect(smtp.accepted().map((d) => d.to)).toEqual(['ok@example.test']);
      const got = await simpleParser(Buffer.from(smtp.accepted()[0]!.raw, 'utf8'));
      expect(got.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
      expect(got.attachments[0]!.content.equals(INVOICE)).toBe(true);
      for (const [email, c] of Object.entries(cases)) {
        const row = rows.find((r) => r.email === email)!;
        expect(row.state, email).toBe('skipped');
        expect(row.last_response, email).toMatch(c.reason);
      }
      const status = await s.call('campaigns:status', { campaign: 'invoices' });
      expect(status).toMatchObject({ sent: 1, skipped: Object.keys(cases).length, failed: 0 });
    });
  }
});
