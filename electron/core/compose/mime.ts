/**
 * A direct MIME writer for the messages a campaign sends most: a text part and an HTML part (no attachments).
 * It writes the same structure nodemailer's MailComposer does (multipart/alternative, 7bit / quoted-printable /
 * base64 chosen by the same rules, headers encoded and folded by nodemailer's own MimeNode and mime-funcs), but
 * in one pass into one Buffer, without the stream pipeline MailComposer builds for every message: that pipeline
 * cost about 0.5 ms of CPU per message, more than everything else in sending together.
 *
 * Messages with attachments still go through MailComposer (composer.ts), whose MIME tree they need.
 */
import crypto from 'node:crypto';
import type MimeNode from 'nodemailer/lib/mime-node';
import { onFirstUse } from '../first-use';
import { mimeFuncs } from './headers';

const mimeNode = onFirstUse<typeof MimeNode>('nodemailer/lib/mime-node');

/** Longest encoded line before the soft break's `=` (lines are at most 76 characters, RFC 2045 §6.7 rule 5). */
const QP_LINE = 75;
// What quoted-printable must escape in a text part: `=`, control characters but HT (LF is a line break, CR was
// made one), and everything beyond ASCII (whole code points, so a character's UTF-8 bytes are escaped together).
// eslint-disable-next-line no-control-regex
const QP_ESCAPE = /[=\x00-\x08\x0b-\x1f\x7f-\u{10ffff}]/gu;
const escapes = new Map<string, string>();
function qpEscape(ch: string): string {
  let e = escapes.get(ch);
  if (e === undefined) {
    e = '';
    for (const b of Buffer.from(ch, 'utf8')) e += `=${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()}`;
    if (escapes.size < 4096) escapes.set(ch, e);
  }
  return e;
}
/** Whether the escape at `i` is a UTF-8 continuation byte (=80 to =BF). */
const continues = (line: string, i: number) => line.charCodeAt(i) === 0x3d && '89AB'.includes(line[i + 1] ?? '');

/**
 * Quoted-printable for a text part: line breaks of any kind (CRLF, LF, CR) become CRLF hard breaks, lines
 * longer than 76 characters get soft breaks (`=` CRLF) that never split an `=XX` escape nor a UTF-8 character,
 * and a space or tab at the end of a line is escaped so that no transport can strip it. Done with native string
 * operations (one replace, then a few slices per line), not byte by byte.
 */
export function quotedPrintable(text: string): Buffer {
  const lf = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const out: string[] = [];
  for (let line of lf.replace(QP_ESCAPE, qpEscape).split('\n')) {
    const last = line.charCodeAt(line.length - 1);
    if (last === 0x20 || last === 0x09) line = line.slice(0, -1) + (last === 0x20 ? '=20' : '=09');
    while (line.length > QP_LINE + 1) {
      // A soft break after at most 75 characters, moved back so that it splits no escape and no character.
      let cut = QP_LINE;
      if (line.charCodeAt(cut - 1) === 0x3d) cut -= 1;
      else if (line.charCodeAt(cut - 2) === 0x3d) cut -= 2;
      while (cut >= 3 && continues(line, cut) && line.charCodeAt(cut - 3) === 0x3d) cut -= 3;
      out.push(line.slice(0, cut) + '=');
      line = line.slice(cut);
    }
    out.push(line);
  }
  return Buffer.from(out.join('\r\n'), 'latin1');
}

/** Base64 in lines of 76 characters, CRLF between them (RFC 2045 §6.8). */
export function base64Lines(data: Buffer): Buffer {
  const b64 = data.toString('base64');
  const lines = Math.ceil(b64.length / 76);
  const out = Buffer.allocUnsafe(b64.length + Math.max(0, lines - 1) * 2);
  let o = 0;
  for (let i = 0; i < b64.length; i += 76) {
    if (i) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    }
    o += out.write(b64.slice(i, i + 76), o, 'latin1');
  }
  return out.subarray(0, o);
}

// Control characters (but HT, LF, CR) or anything beyond ASCII: such text can't go as 7bit.
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[\x00-\x08\x0b\x0c\x0e-\x1f\u0080-\uffff]/;

/** Whether a (LF-only) text has a line longer than `max` characters. */
function hasLongLine(text: string, max: number): boolean {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > max) return true;
    if (nl < 0) return false;
    start = nl + 1;
  }
}

/** nodemailer's choice between Q and B for text that can't go as 7bit: more ASCII letters than other bytes → Q. */
function prefersQp(text: string): boolean {
  let other = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || (c <= 0x1f && c !== 0x09 && c !== 0x0a && c !== 0x0d)) other++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
  }
  return other < latin;
}

export interface EncodedPart {
  /** The part's own headers (Content-Type, Content-Transfer-Encoding), CRLF-separated, without the blank line. */
  headers: string;
  body: Buffer;
}

/** A text/* part, encoded the way MailComposer encodes one: 7bit when it can, else quoted-printable or base64. */
export function textPart(subtype: 'plain' | 'html', text: string): EncodedPart {
  const lf = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  let encoding: '7bit' | 'quoted-printable' | 'base64';
  let body: Buffer;
  const plain = !NOT_PLAIN.test(lf);
  if (plain && !hasLongLine(lf, 76)) {
    encoding = '7bit';
    body = Buffer.from(lf.replace(/\n/g, '\r\n'), 'latin1');
  } else if (plain ? /[A-Za-z]/.test(lf) : prefersQp(lf)) {
    // (ASCII with long lines: nothing but letters to count, so any letter means Q.)
    encoding = 'quoted-printable';
    body = quotedPrintable(lf);
  } else {
    encoding = 'base64';
    body = base64Lines(Buffer.from(lf.replace(/\n/g, '\r\n'), 'utf8'));
  }
  return { headers: `Content-Type: text/${subtype}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}`, body };
}

/** Random bytes drawn from a pool refilled in large blocks: a boundary costs no system call. */
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    pool = crypto.randomBytes(4096);
    poolAt = 0;
  }
  const s = pool.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  return s;
}

/**
 * A multipart boundary nobody can predict. `=_` can't occur in quoted-printable or base64 text, and a 7bit part
 * that happens to hold it (chance 2^-96, or someone who guessed it) gets another one.
 */
function boundaryFor(parts: EncodedPart[]): string {
  for (;;) {
    const b = `=_postroom_${randomHex(12)}`;
    if (!parts.some((p) => p.body.includes(b))) return b;
  }
}

export type HeaderValue = string | Date | { name: string; address: string } | { prepared: string };

/**
 * Header lines as nodemailer writes them: addresses punycoded and their names RFC 2047-encoded, text headers
 * encoded when they hold non-ASCII, everything folded at 76; `prepared` values are written as they are.
 */
export class HeaderWriter {
  private readonly node = new (mimeNode())(false);
  /**
   * The last line written for each header, with what it was written from: a campaign's From comes again message
   * after message, and so does its Date within a second (the header is written to the second); encoding an
   * address (punycode, an RFC 2047 name) is most of what writing a header costs. Only an equal value reuses a line.
   */
  private readonly last = new Map<string, { from: string; line: string }>();

  line(key: string, value: HeaderValue): string {
    if (typeof value === 'object' && 'prepared' in value) return `${key}: ${value.prepared}`;
    const from = typeof value === 'string' ? `s${value}` : value instanceof Date ? `d${Math.floor(value.getTime() / 1000)}` : `a${value.name}\u0000${value.address}`;
    const seen = this.last.get(key);
    if (seen?.from === from) return seen.line;
    const line = mimeFuncs().foldLines(`${key}: ${this.node.encodeHeaderValue(key, value)}`, 76);
    this.last.set(key, { from, line });
    return line;
  }
}

/**
 * The whole message: `headers` (already written lines, in order), then MIME-Version and the body — one part, or
 * a multipart/alternative of text then HTML (the last part is the preferred one, RFC 2046 §5.1.4).
 */
export function buildMessage(headerLines: string[], text: string | null, html: string | null): Buffer {
  const parts: EncodedPart[] = [];
  if (text) parts.push(textPart('plain', text));
  if (html) parts.push(textPart('html', html));
  if (parts.length === 0) parts.push(textPart('plain', ''));
  const chunks: Buffer[] = [];
  const head = headerLines.join('\r\n') + '\r\nMIME-Version: 1.0\r\n';
  if (parts.length === 1) {
    const p = parts[0]!;
    chunks.push(Buffer.from(`${head}${p.headers}\r\n\r\n`, 'utf8'), p.body);
    const last = p.body.length ? p.body[p.body.length - 1] : undefined;
    if (last !== 0x0a) chunks.push(Buffer.from('\r\n', 'latin1'));
  } else {
    const b = boundaryFor(parts);
    chunks.push(Buffer.from(`${head}Content-Type: multipart/alternative;\r\n boundary="${b}"\r\n\r\n`, 'utf8'));
    parts.forEach((p, i) => {
      chunks.push(Buffer.from(`${i ? '\r\n' : ''}--${b}\r\n${p.headers}\r\n\r\n`, 'latin1'), p.body);
    });
    chunks.push(Buffer.from(`\r\n--${b}--\r\n`, 'latin1'));
  }
  return Buffer.concat(chunks);
}

/** A file sent with a message, as MailComposer takes it. */
export interface FilePart {
  filename: string;
  content: Buffer;
  contentType: string;
  cid?: string;
  contentDisposition: 'inline' | 'attachment';
}

/**
 * A file's whole MIME part (its headers and base64 body) exactly as MailComposer writes it, for MailComposer's
 * `raw`: the files every message of a campaign carries are encoded once for the campaign, not once per message.
 */
export async function encodedFilePart(file: FilePart): Promise<Buffer> {
  const node = new (mimeNode())('multipart/mixed', { newline: 'win' }).createChild(file.contentType, { filename: file.filename, newline: 'win' });
  if (file.cid) node.setHeader('Content-Id', `<${file.cid.replace(/[<>]/g, '')}>`);
  node.setHeader('Content-Transfer-Encoding', 'base64');
  node.setHeader('Content-Disposition', file.contentDisposition);
  node.setContent(file.content);
  const built = await node.build();
  // MailComposer ends each part with a line break of its own.
  return built.subarray(0, built.length - 2);
}
