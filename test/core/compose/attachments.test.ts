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
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const recipient = { ...bob, fields: { invoice_file: path.join(dir, 'invoice-17.pdf') } };
    expect(composer.checkRecipient(recipient)).toBeNull();
    const parsed = await parse((await composer.compose(recipient, newMessageId('ann@example.com'))).raw);
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['invoice-17.pdf', 'invoice for bob']]);
  });

  it('reports a missing per-recipient file before sending, naming the recipient and the path', async () => {
    service = openService();
    const templateId = await createTemplate(service, { attachField: 'invoice' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const missing = path.join(tempDir(), 'nope.pdf');
    expect(composer.checkRecipient({ ...bob, fields: { invoice: missing } })).toBe(`The attachment for bob@example.net is missing: ${missing} does not exist.`);
    expect(composer.checkRecipient({ ...bob, fields: { invoice: '' } })).toMatch(/has no file in the field "invoice"/);
    await expect(composer.compose({ ...bob, fields: { invoice: missing } }, newMessageId('ann@example.com'))).rejects.toThrow(/is missing/);
  });

  it('reports a per-recipient path that cannot be opened before sending', async () => {
    service = openService();
    const file = path.join(tempDir(), 'plain.txt');
    fs.writeFileSync(file, 'x');
    const templateId = await createTemplate(service, { attachField: 'invoice' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    // A file used as a folder: ENOTDIR, which no permission (not even root's) gets past.
    expect(composer.checkRecipient({ ...bob, fields: { invoice: path.join(file, 'invoice.pdf') } })).toMatch(/^The attachment for bob@example\.net can't be read: /);
  });

  it('reports a per-recipient path that is a folder, not a file', async () => {
    service = openService();
    const templateId = await createTemplate(service, { attachField: 'invoice' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    expect(composer.checkRecipient({ ...bob, fields: { invoice: tempDir() } })).toMatch(/is not a file/);
  });
});
