/**
 * Inline images: pictures a template's HTML shows as `<img src="cid:…">`, carried by each message as a part of
 * multipart/related with that Content-ID (RFC 2392), never as a data: URL (Gmail and Outlook block those) nor a
 * link to a file on this computer. The one place that decides what a picture from the window may be (by its
 * bytes), what content ID it gets, and which of a template's images a message carries (those its HTML shows).
 */
import path from 'node:path';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import { MAX_INLINE_IMAGE_BYTES, type TemplateAttachment } from '../../../shared/contract/templates';
import { insertAttachment, loadTemplate } from '../store/templates';
import { takeUpload } from '../uploads';

/** The picture types every mail program shows. */
export type InlineImageType = 'image/png' | 'image/jpeg' | 'image/gif';

const EXTENSION: Record<InlineImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' };

/**
 * What a file is by its first bytes (its magic number), whatever its name says: a PNG, JPEG or GIF picture, `webp`
 * (a picture Outlook for Windows doesn't show), or null for anything else (an SVG, a PDF, a renamed text file).
 */
export function imageTypeOf(bytes: Buffer): InlineImageType | 'webp' | null {
  const starts = (sig: number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  const head = bytes.subarray(0, 6).toString('latin1');
  if (head === 'GIF87a' || head === 'GIF89a') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

/**
 * The content ID for a picture named `filename`: its name in plain lower-case letters, digits and hyphens, with the
 * extension of its real type (`Schaufenster März.PNG` → `schaufenster-marz.png`), and `-2`, `-3`… when the template
 * already has that ID (`taken`, compared without regard to case). Safe as it is in a header and an HTML attribute.
 */
export function inlineImageCid(filename: string, type: InlineImageType, taken: Iterable<string>): string {
  const stem =
    path
      .parse(path.basename(filename))
      .name.normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'image';
  const used = new Set([...taken].map((c) => c.toLowerCase()));
  const ext = EXTENSION[type];
  let cid = `${stem}.${ext}`;
  for (let n = 2; used.has(cid); n++) cid = `${stem}-${n}.${ext}`;
  return cid;
}

/** Megabytes to one decimal, rounded up: a file over the limit never reads as the limit. */
const mb = (bytes: number) => Math.ceil(bytes / 104857.6) / 10;

function tooBig(file: string, size: number): PostroomError {
  const limit = mb(MAX_INLINE_IMAGE_BYTES);
  return new PostroomError(
    'INVALID_INPUT',
    `“${file}” is ${mb(size)} MB. A picture in an email can be at most ${limit} MB: bigger ones make the message slow to open and more likely to be blocked. Save a smaller copy (most photo apps can) and choose it again.`,
    { reason: 'imageTooBig', file, size: mb(size), limit },
  );
}

/** The file name the recipient sees: the person's, with the extension of the picture's real type. */
function fileNameFor(name: string, type: InlineImageType): string {
  const parsed = path.parse(path.basename(name).replace(/[\p{Cc}\p{Cf}]/gu, ''));
  const fits = type === 'image/jpeg' ? /^\.jpe?g$/i.test(parsed.ext) : parsed.ext.toLowerCase() === `.${EXTENSION[type]}`;
  return fits ? parsed.base : `${parsed.name || 'image'}.${EXTENSION[type]}`;
}

/**
 * Reads the upload the window named, checks it is a picture a mail program shows, and keeps it with the template as
 * an inline image (see `templates:addImage` in the contract). The same bytes already there answer that image.
 */
export async function addInlineImage(ctx: CoreContext, input: { templateId: number; upload: string }): Promise<TemplateAttachment> {
  const template = loadTemplate(ctx.db, input.templateId);
  const { name, content } = await takeUpload(ctx.dataDir, input.upload, { maxBytes: MAX_INLINE_IMAGE_BYTES, tooBig });
  const type = imageTypeOf(content);
  if (type === 'webp') {
    throw new PostroomError('INVALID_INPUT', `“${name}” is a WebP picture, which Outlook for Windows doesn't show. Save it as PNG or JPEG and choose it again.`, { reason: 'webp', file: name });
  }
  if (type === null) {
    throw new PostroomError('INVALID_INPUT', `“${name}” isn't a PNG, JPEG or GIF picture, so it can't go in the message. Choose a picture in one of those formats.`, { reason: 'notImage', file: name });
  }
  const same = template.attachments.find((a) => a.cid && a.content.equals(content));
  if (same) return { id: same.id, filename: same.filename, contentType: same.contentType, size: same.size, cid: same.cid };
  const cid = inlineImageCid(name, type, template.attachments.flatMap((a) => (a.cid ? [a.cid] : [])));
  return insertAttachment(ctx.db, input.templateId, { filename: fileNameFor(name, type), contentType: type, cid, content }, ctx.clock.now());
}

/** One of a template's inline images by content ID, for the editor to show. */
export function inlineImage(ctx: CoreContext, input: { templateId: number; cid: string }): { cid: string; contentType: string; contentBase64: string } {
  const found = loadTemplate(ctx.db, input.templateId).attachments.find((a) => a.cid === input.cid && a.contentType.startsWith('image/'));
  if (!found) throw new PostroomError('NOT_FOUND', `The template has no image "cid:${input.cid}". Add the picture again.`);
  return { cid: found.cid!, contentType: found.contentType, contentBase64: found.content.toString('base64') };
}
