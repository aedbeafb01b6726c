/**
 * Pictures chosen in the window's visual editor: uploaded, checked by their bytes and size, kept with the template
 * under a content ID of their own, carried by each message once as an inline part (multipart/related), and read
 * only from the uploads the window made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer } from '../../../electron/core/compose';
import { imageTypeOf, inlineImageCid } from '../../../electron/core/compose/inline-images';
import type { Service } from '../../../electron/core/service';
import { uploadsDir } from '../../../electron/core/uploads';
import { saveUpload } from '../../../electron/hosts/uploads';
import { MAX_INLINE_IMAGE_BYTES } from '../../../shared/contract/templates';
import { dispatch } from '../../../shared/router';
import { call, createTemplate, draft, openService, parse, tempDir } from './helpers';

let service: Service;
afterEach(async () => service?.close());

// A 1×1 PNG, and the first bytes of the other kinds.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('\0\x10JFIF\0 a jpeg')]);
const GIF = Buffer.from('GIF89a\x01\0\x01\0\0\0\0;', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 a webp')]);
const bob = { email: 'bob@example.net', name: 'Bob', fields: { first_name: 'Bob' } };

/** A file handed over as the window does: POST ./upload, saved by the host into uploads/. */
const upload = async (name: string, content: Buffer) => (await saveUpload(Readable.from([content]), service.ctx.dataDir, name)).path;

/** The answer's error, for the facts it carries (`params`). */
async function refusal(input: { templateId: number; upload: string }) {
  const r = await dispatch(service.handlers, 'templates:addImage', input);
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.value)}`);
  return r.error;
}

describe('what a picture is', () => {
  it('is decided by its bytes, not its name: PNG, JPEG and GIF go in a message, WebP and the rest do not', () => {
    expect(imageTypeOf(PNG)).toBe('image/png');
    expect(imageTypeOf(JPEG)).toBe('image/jpeg');
    expect(imageTypeOf(GIF)).toBe('image/gif');
    expect(imageTypeOf(WEBP)).toBe('webp');
    expect(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(imageTypeOf(Buffer.from('%PDF-1.4'))).toBeNull();
    expect(imageTypeOf(Buffer.alloc(0))).toBeNull();
    expect(imageTypeOf(PNG.subarray(0, 4))).toBeNull();
  });
});

describe('the content ID of a picture', () => {
  it('is its name in plain letters, digits and hyphens, with the extension of what it really is', () => {
    expect(inlineImageCid('Schaufenster März.PNG', 'image/png', [])).toBe('schaufenster-marz.png');
    expect(inlineImageCid('IMG_2041.JPEG', 'image/jpeg', [])).toBe('img-2041.jpg');
    expect(inlineImageCid('photo.png', 'image/jpeg', [])).toBe('photo.jpg');
    expect(inlineImageCid('.png', 'image/png', [])).toBe('png.png');
    expect(inlineImageCid('日本.gif', 'image/gif', [])).toBe('image.gif');
  });

  it('is unique in the template, whatever the case', () => {
    expect(inlineImageCid('Logo.png', 'image/png', ['logo.png'])).toBe('logo-2.png');
    expect(inlineImageCid('logo.png', 'image/png', ['LOGO.png', 'logo-2.png'])).toBe('logo-3.png');
  });

  it('can carry nothing that breaks out of a header or an HTML attribute', () => {
    for (const name of ['"><img src=x onerror=alert(1)>.png', 'a\r\nBcc: eve@example.com.png', '../../etc/passwd', 'x>y<z.png', 'a'.repeat(500) + '.png']) {
      const cid = inlineImageCid(name, 'image/png', []);
      expect(cid, name).toMatch(/^[a-z0-9-]{1,60}\.png$/);
      expect(cid, name).not.toMatch(/^-|-\./);
    }
  });
});

describe('templates:addImage', () => {
  it('keeps an uploaded picture with the template as an inline image, and deletes the upload', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const file = await upload('Shop window.png', PNG);
    const added = await call(service, 'templates:addImage', { templateId, upload: file });
    expect(added).toMatchObject({ filename: 'Shop window.png', contentType: 'image/png', size: PNG.length, cid: 'shop-window.png' });
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    expect((await call(service, 'templates:get', { id: templateId })).attachments).toEqual([added]);
    expect(await call(service, 'templates:image', { templateId, cid: 'shop-window.png' })).toEqual({ cid: 'shop-window.png', contentType: 'image/png', contentBase64: PNG.toString('base64') });
  });

  it('types a picture by its bytes and names its file to match', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const added = await call(service, 'templates:addImage', { templateId, upload: await upload('holiday.png', JPEG) });
    expect(added).toMatchObject({ filename: 'holiday.jpg', contentType: 'image/jpeg', cid: 'holiday.jpg' });
  });

  it('answers the image the template already has when the same picture is chosen again, and a new ID for another of that name', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const first = await call(service, 'templates:addImage', { templateId, upload: await upload('logo.png', PNG) });
    expect(await call(service, 'templates:addImage', { templateId, upload: await upload('logo.png', PNG) })).toEqual(first);
    const other = await call(service, 'templates:addImage', { templateId, upload: await upload('logo.png', GIF) });
    expect(other.cid).toBe('logo.gif');
    const third = await call(service, 'templates:addImage', { templateId, upload: await upload('logo.gif', Buffer.concat([GIF, Buffer.from('x')])) });
    expect(third.cid).toBe('logo-2.gif');
    expect((await call(service, 'templates:get', { id: templateId })).attachments).toHaveLength(3);
  });

  it('refuses a file that only says it is a picture, saying what to choose instead', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const file = await upload('menu.png', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(await refusal({ templateId, upload: file })).toEqual({
      code: 'INVALID_INPUT',
      message: '“menu.png” isn\'t a PNG, JPEG or GIF picture, so it can\'t go in the message. Choose a picture in one of those formats.',
      params: { reason: 'notImage', file: 'menu.png' },
    });
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    expect((await call(service, 'templates:get', { id: templateId })).attachments).toEqual([]);
  });

  it("refuses WebP, which Outlook for Windows doesn't show", async () => {
    service = openService();
    const templateId = await createTemplate(service);
    expect(await refusal({ templateId, upload: await upload('spring.webp', WEBP) })).toMatchObject({ code: 'INVALID_INPUT', params: { reason: 'webp', file: 'spring.webp' } });
  });

  it('refuses a picture over 1 MB in words, with the facts for the window to say it in its language', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_INLINE_IMAGE_BYTES + 300_000 - PNG.length)]);
    const file = await upload('poster.png', big);
    expect(await refusal({ templateId, upload: file })).toEqual({
      code: 'INVALID_INPUT',
      message:
        '“poster.png” is 1.3 MB. A picture in an email can be at most 1 MB: bigger ones make the message slow to open and more likely to be blocked. Save a smaller copy (most photo apps can) and choose it again.',
      params: { reason: 'imageTooBig', file: 'poster.png', size: 1.3, limit: 1 },
    });
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    // Exactly the limit is fine.
    const fits = await call(service, 'templates:addImage', { templateId, upload: await upload('fits.png', big.subarray(0, MAX_INLINE_IMAGE_BYTES)) });
    expect(fits.size).toBe(MAX_INLINE_IMAGE_BYTES);
  });

  it('reads nothing but an upload: no path elsewhere, no climbing out, no link, no folder, no pipe', async () => {
    service = openService();
    const dataDir = service.ctx.dataDir;
    const templateId = await createTemplate(service);
    const outside = tempDir();
    const secret = path.join(outside, 'secret.png');
    fs.writeFileSync(secret, PNG);
    const genuine = await upload('real.png', PNG);
    const folder = path.dirname(genuine);
    const uploads = uploadsDir(dataDir);

    // A link inside an upload folder, and an upload folder that is itself a link, both to the file outside.
    const linkFolder = path.join(uploads, 'aaaaaaaaaaaaaaaa');
    fs.mkdirSync(linkFolder);
    fs.symlinkSync(secret, path.join(linkFolder, 'link.png'));
    fs.symlinkSync(outside, path.join(uploads, 'bbbbbbbbbbbbbbbb'));
    const fifoFolder = path.join(uploads, 'cccccccccccccccc');
    fs.mkdirSync(fifoFolder);
    const fifo = path.join(fifoFolder, 'pipe.png');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);

    const hostile = [
      secret,
      path.join(dataDir, 'postroom.db'),
      path.join(folder, '..', '..', 'postroom.db'),
      path.join(folder, '..', path.basename(folder), '..', '..', 'secrets.key'),
      path.relative(process.cwd(), genuine),
      'real.png',
      `${genuine}\0.png`,
      folder,
      uploads,
      path.join(folder, 'a', 'b.png'),
      path.join(uploads, 'not-an-upload', 'x.png'),
      path.join(linkFolder, 'link.png'),
      path.join(uploads, 'bbbbbbbbbbbbbbbb', 'secret.png'),
      fifo,
      '/dev/zero',
      '/proc/self/environ',
    ];
    for (const p of hostile) {
      const r = await dispatch(service.handlers, 'templates:addImage', { templateId, upload: p });
      expect(r.ok, p).toBe(false);
      if (!r.ok) expect(r.error.code, p).toBe('INVALID_INPUT');
    }
    expect((await call(service, 'templates:get', { id: templateId })).attachments).toEqual([]);
    // Nothing outside was touched; the genuine upload is still there to be used.
    expect(fs.readFileSync(secret).equals(PNG)).toBe(true);
    expect(fs.existsSync(outside)).toBe(true);
    expect((await call(service, 'templates:addImage', { templateId, upload: genuine })).cid).toBe('real.png');
    // An upload already used is gone: choosing it again is needed.
    expect((await refusal({ templateId, upload: genuine })).code).toBe('FILE_UNREADABLE');
  });
});

describe('a message with a picture from the window', () => {
  it('carries it once as an inline part of multipart/related, with its Content-ID, and the HTML shows it by cid:', async () => {
    service = openService();
    const templateId = await createTemplate(service, { format: 'visual', body: '<p>Our new window:</p>\n<p><img src="cid:shop-window.png" alt="The shop window"></p>\n' });
    await call(service, 'templates:addImage', { templateId, upload: await upload('Shop window.png', PNG) });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const m = await composer.compose(bob, newMessageId('ann@example.com'));
    const raw = m.raw.toString('latin1');
    expect(raw).toMatch(/Content-Type: multipart\/related/);
    expect(raw.match(/Content-ID: <shop-window\.png>/gi)).toHaveLength(1);
    expect(raw).not.toMatch(/data:image/);
    // mailparser would put data: URLs in place of cid: links, as a mail program shows them; kept as sent here.
    const parsed = await simpleParser(m.raw, { keepCidLinks: true });
    expect(parsed.html).toMatch(/<img src="cid:shop-window\.png" alt="The shop window"/);
    expect(parsed.attachments.map((a) => [a.contentId, a.contentDisposition, a.contentType, a.content.equals(PNG)])).toEqual([['<shop-window.png>', 'inline', 'image/png', true]]);
  });

  it("leaves out an inline image the HTML doesn't show (taken out again in the editor), and keeps files that aren't inline", async () => {
    service = openService();
    const templateId = await createTemplate(service, { body: '<html><body><p>No pictures today</p></body></html>' });
    await call(service, 'templates:addImage', { templateId, upload: await upload('logo.png', PNG) });
    await call(service, 'templates:addAttachment', { templateId, filename: 'terms.txt', contentBase64: Buffer.from('terms').toString('base64') });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const parsed = await parse((await composer.compose(bob, newMessageId('ann@example.com'))).raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['terms.txt']);
  });

  it("is in the preview and the check of the editor's unsaved draft of that template, and only then", async () => {
    service = openService();
    const templateId = await createTemplate(service);
    await call(service, 'templates:addImage', { templateId, upload: await upload('logo.png', PNG) });
    const unsaved = draft({ body: '<html><body><p>Hi</p><img src="cid:logo.png" alt="Logo"></body></html>' });
    const p = await call(service, 'templates:preview', { draft: unsaved, templateId });
    expect(p.html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(p.raw).toContain('Content-ID: <logo.png>');
    const codes = async (source: { draft: typeof unsaved; templateId?: number }) => (await call(service, 'templates:check', { ...source, fields: [] })).warningItems.map((w) => w.code);
    expect(await codes({ draft: unsaved, templateId })).not.toContain('INLINE_IMAGE_MISSING');
    expect(await codes({ draft: unsaved })).toContain('INLINE_IMAGE_MISSING');
  });

  it('shows nothing of another template, and says so for an image the template lacks', async () => {
    service = openService();
    const a = await createTemplate(service, { name: 'A' });
    const b = await createTemplate(service, { name: 'B' });
    await call(service, 'templates:addImage', { templateId: a, upload: await upload('logo.png', PNG) });
    await expect(call(service, 'templates:image', { templateId: b, cid: 'logo.png' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
