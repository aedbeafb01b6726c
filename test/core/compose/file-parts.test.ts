import fs from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer } from '../../../electron/core/compose';
import { encodedFilePart, type FilePart } from '../../../electron/core/compose/mime';
import type { Service } from '../../../electron/core/service';
import { call, createTemplate, openService, parse, tempDir } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const files = (): FilePart[] => [
  { filename: 'Preisliste März.pdf', content: Buffer.alloc(5000, 7), contentType: 'application/pdf', contentDisposition: 'attachment' },
  { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo.png', contentDisposition: 'inline' },
];

/** MailComposer's boundaries are random: the same message written twice differs only in them. */
const withoutBoundaries = (raw: Buffer) => raw.toString('latin1').replace(/--_NmP-[0-9a-f]+-Part_\d+/g, '--B').replace(/boundary="[^"]+"/g, 'boundary="B"');

describe("a campaign's files", () => {
  it('are encoded once into parts that make the very message MailComposer writes from the files themselves', async () => {
    const mail = { from: 'ann@example.com', to: 'bob@example.net', subject: 'Prices', messageId: '<1@example.com>', date: new Date(0), text: 'Hi', html: '<p>Hi <img src="cid:logo.png"></p>', newline: 'win' as const, disableFileAccess: true, disableUrlAccess: true };
    const fromFiles = await new MailComposer({ ...mail, attachments: files() }).compile().build();
    const parts = await Promise.all(files().map(encodedFilePart));
    const fromParts = await new MailComposer({ ...mail, attachments: files().map((f, i) => ({ ...f, raw: parts[i] })) }).compile().build();
    expect(withoutBoundaries(fromParts)).toBe(withoutBoundaries(fromFiles));
  });

  it('go with every message, next to a recipient’s own file, inline images in place', async () => {
    service = openService();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Preisliste März.pdf'), '%PDF-1.4 prices');
    fs.writeFileSync(path.join(dir, 'invoice-bob.pdf'), 'invoice for bob');
    fs.writeFileSync(path.join(dir, 'invoice-eve.pdf'), 'invoice for eve');
    const templateId = await createTemplate(service, { body: '<html><body><p>Hi</p><img src="cid:logo.png" alt="Our logo"></body></html>', attachField: 'invoice' });
    await call(service, 'templates:addAttachment', { templateId, path: path.join(dir, 'Preisliste März.pdf') });
    await call(service, 'templates:addAttachment', { templateId, filename: 'logo.png', contentBase64: PNG.toString('base64') });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null, attachmentsDir: dir });
    const bob = { email: 'bob@example.net', name: 'Bob', fields: { first_name: 'Bob', invoice: 'invoice-bob.pdf' } };
    const eve = { email: 'eve@example.net', name: 'Eve', fields: { first_name: 'Eve', invoice: 'invoice-eve.pdf' } };
    const [forBob, forEve] = await Promise.all([bob, eve].map(async (r) => parse((await composer.compose(r, newMessageId('ann@example.com'))).raw)));
    const summary = (m: Awaited<ReturnType<typeof parse>>) => m.attachments.map((a) => [a.filename, a.contentDisposition, a.contentId ?? null, a.content.toString('base64')]);
    const prices = ['Preisliste März.pdf', 'attachment', null, Buffer.from('%PDF-1.4 prices').toString('base64')];
    const logo = ['logo.png', 'inline', '<logo.png>', PNG.toString('base64')];
    expect(summary(forBob!)).toEqual(expect.arrayContaining([prices, logo, ['invoice-bob.pdf', 'attachment', null, Buffer.from('invoice for bob').toString('base64')]]));
    expect(summary(forBob!)).toHaveLength(3);
    expect(summary(forEve!)).toEqual(expect.arrayContaining([prices, logo, ['invoice-eve.pdf', 'attachment', null, Buffer.from('invoice for eve').toString('base64')]]));
    expect(summary(forEve!)).toHaveLength(3);
    expect(forEve!.to).toMatchObject({ text: expect.stringContaining('eve@example.net') });
  });
});
