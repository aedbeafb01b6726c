import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer } from '../../../electron/core/compose';
import type { Service } from '../../../electron/core/service';
import { call, createTemplate, openService, parse, tempDir } from './helpers';

let service: Service;
afterEach(async () => service?.close());

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const bob = { email: 'bob@example.net', name: 'Bob', fields: { first_name: 'Bob' } };

describe('attachments', () => {
  it('sends a global attachment with every message', async () => {
    service = openService();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'price-list.pdf'), '%PDF-1.4 prices');
    const templateId = await createTemplate(service);
    await call(service, 'templates:addAttachment', { templateId, path: path.join(dir, 'price-list.pdf') });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const parsed = await parse((await composer.compose(bob, newMessageId('ann@example.com'))).raw);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['price-list.pdf', 'application/pdf', '%PDF-1.4 prices']]);
    expect(parsed.text).toBeTruthy();
  });

  it('shows an image the HTML refers to by cid: inline, in multipart/related', async () => {
    service = openService();
    const templateId = await createTemplate(service, { body: '<html><body><p>Hi</p><img src="cid:logo.png" alt="Our logo"></body></html>' });
    const added = await call(service, 'templates:addAttachment', { templateId, filename: 'logo.png', contentBase64: PNG.toString('base64') });
    expect(added.cid).toBe('logo.png');
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const m = await composer.compose(bob, newMessageId('ann@example.com'));
    expect(m.raw.toString('latin1')).toMatch(/Content-Type: multipart\/related/);
    const parsed = await parse(m.raw);
    const img = parsed.attachments.find((a) => a.filename === 'logo.png')!;
    expect(img.contentId).toBe('<logo.png>');
    expect(img.contentDisposition).toBe('inline');
    expect(img.content.equals(PNG)).toBe(true);
  });

  it("attaches each recipient's own file from the field that names it", async () => {
    service = openService();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'invoice-17.pdf'), 'invoice for bob');
    const templateId = await createTemplate(service, { attachField: 'Invoice File' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null, attachmentsDir: dir });
    const recipient = { ...bob, fields: { invoice_file: 'invoice-17.pdf' } };
    expect(composer.checkRecipient(recipient)).toBeNull();
    const parsed = await parse((await composer.compose(recipient, newMessageId('ann@example.com'))).raw);
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['invoice-17.pdf', 'invoice for bob']]);
  });

  it('reports a missing per-recipient file before sending, naming the recipient and the path', async () => {
    service = openService();
    const templateId = await createTemplate(service, { attachField: 'invoice' });
    const dir = tempDir();
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null, attachmentsDir: dir });
    const missing = path.join(dir, 'nope.pdf');
    expect(composer.checkRecipient({ ...bob, fields: { invoice: 'nope.pdf' } })).toBe(`The attachment for bob@example.net is missing: ${missing} does not exist.`);
    expect(composer.checkRecipient({ ...bob, fields: { invoice: '' } })).toMatch(/has no file in the field "invoice"/);
    await expect(composer.compose({ ...bob, fields: { invoice: 'nope.pdf' } }, newMessageId('ann@example.com'))).rejects.toThrow(/is missing/);
  });

  it('reports a per-recipient path that cannot be opened before sending', async () => {
    service = openService();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'x');
    const templateId = await createTemplate(service, { attachField: 'invoice' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null, attachmentsDir: dir });
    // A file used as a folder: ENOTDIR, which no permission (not even root's) gets past.
    expect(composer.checkRecipient({ ...bob, fields: { invoice: 'plain.txt/invoice.pdf' } })).toMatch(/^The attachment for bob@example\.net can't be read: /);
  });

  it('reports a per-recipient path that is a folder, not a file', async () => {
    service = openService();
    const templateId = await createTemplate(service, { attachField: 'invoice' });
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'invoices'));
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null, attachmentsDir: dir });
    expect(composer.checkRecipient({ ...bob, fields: { invoice: 'invoices' } })).toMatch(/is a folder, not a file/);
  });
});

describe('files attached to every message of a template', () => {
  it('refuses a pipe, a device and the data folder instead of hanging or reading them, and reads a linked file', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    service.ctx.secrets.encrypt('make the key file');
    for (const [file, why] of [
      [path.join(dir, 'pipe'), /is not a regular file/],
      ['/dev/zero', /holds the system's own files/],
      [path.join(service.ctx.dataDir, 'secret.key'), /inside Postroom's data folder/],
    ] as const) {
      await expect(call(service, 'templates:addAttachment', { templateId, path: file }), file).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(why) });
    }
    // The window's upload copies live in the data folder (hosts/uploads.ts): those, and only those, are read.
    const upload = path.join(service.ctx.dataDir, 'uploads', 'a1b2');
    fs.mkdirSync(upload, { recursive: true });
    fs.writeFileSync(path.join(upload, 'price-list.pdf'), '%PDF prices');
    expect(await call(service, 'templates:addAttachment', { templateId, path: path.join(upload, 'price-list.pdf') })).toMatchObject({ filename: 'price-list.pdf' });
    fs.symlinkSync(path.join(service.ctx.dataDir, 'secret.key'), path.join(upload, 'key.pdf'));
    await expect(call(service, 'templates:addAttachment', { templateId, path: path.join(upload, 'key.pdf') })).rejects.toMatchObject({ message: expect.stringMatching(/inside Postroom's data folder/) });
    fs.writeFileSync(path.join(dir, 'terms.pdf'), '%PDF terms');
    fs.symlinkSync(path.join(dir, 'terms.pdf'), path.join(dir, 'link.pdf'));
    expect(await call(service, 'templates:addAttachment', { templateId, path: path.join(dir, 'link.pdf') })).toMatchObject({ filename: 'link.pdf', size: 10 });
  });
});
