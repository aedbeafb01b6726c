import { describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMessage, HeaderWriter, quotedPrintable, textPart } from '../../../electron/core/compose/mime';
import { headerBlock, parse } from './helpers';

/** Texts that exercise every rule of the encoders: long lines, `=`, line-end spaces, dots, CR/LF kinds, UTF-8. */
const SAMPLES: Record<string, string> = {
  ascii: 'Hello Bob,\n\nA short letter.\n',
  longAscii: `${'word '.repeat(40)}end\n.starts with a dot\n`,
  equalsAndSpaces: `a=b c =3D  \nline with tab\t\nx ${'= '.repeat(60)}\n`,
  accents: `Grüße aus Zürich, ${'çà é ø '.repeat(20)}\nÉnde.\n`,
  emoji: `${'ab🎉'.repeat(40)}\n${'x'.repeat(74)}🎉🎉\n`,
  cyrillic: `${'Привет, мир! '.repeat(30)}\n`,
  cjk: `${'日本語のテキスト'.repeat(20)}\n`,
  lineEnds: 'one\r\ntwo\rthree\nfour',
  digitsOnly: `${'0123456789 '.repeat(10)}\n`,
  html: `<html><body><p style="color:#333">${'Our spring collection is here, with new colours. '.repeat(8)}</p>\n<p>Gruß, {{ name }}</p></body></html>`,
};

function decodeQp(qp: string): string {
  const bytes = Buffer.from(qp.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  return bytes.toString('utf8');
}

function composerMessage(text: string | null, html: string | null): Promise<Buffer> {
  return new MailComposer({
    from: { name: 'Ann Müller', address: 'ann@example.com' },
    to: { name: 'Bob', address: 'bob@example.net' },
    subject: 'Grüße, Bob',
    messageId: '<x@example.com>',
    date: new Date(Date.UTC(2026, 2, 1)),
    ...(text !== null ? { text } : {}),
    ...(html !== null ? { html } : {}),
    newline: 'win',
  })
    .compile()
    .build();
}

function directMessage(text: string | null, html: string | null): Buffer {
  const h = new HeaderWriter();
  return buildMessage(
    [
      h.line('From', { name: 'Ann Müller', address: 'ann@example.com' }),
      h.line('To', { name: 'Bob', address: 'bob@example.net' }),
      h.line('Subject', 'Grüße, Bob'),
      'Message-ID: <x@example.com>',
      h.line('Date', new Date(Date.UTC(2026, 2, 1))),
    ],
    text,
    html,
  );
}

describe('quoted-printable', () => {
  it('decodes back to the text with CRLF line ends, for every sample', () => {
    for (const [name, text] of Object.entries(SAMPLES)) {
      const decoded = decodeQp(quotedPrintable(text).toString('latin1'));
      expect(decoded, name).toBe(text.replace(/\r\n|\r|\n/g, '\r\n'));
    }
  });

  it('keeps every line within 76 characters and ends soft breaks with =', () => {
    for (const [name, text] of Object.entries(SAMPLES)) {
      for (const line of quotedPrintable(text).toString('latin1').split('\r\n')) {
        expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(76);
      }
    }
  });

  it('escapes a space or tab at the end of a line, and never splits an escape or a UTF-8 character', () => {
    const qp = quotedPrintable('end \ntab\t\nlast ').toString('latin1');
    expect(qp).toBe('end=20\r\ntab=09\r\nlast=20');
    const emoji = quotedPrintable(`${'x'.repeat(73)}🎉`).toString('latin1');
    expect(emoji).toBe(`${'x'.repeat(73)}=\r\n=F0=9F=8E=89`);
  });
});

describe('quoted-printable on random text', () => {
  // A fixed-seed generator, so a failure can be replayed.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pieces = ['a', 'word ', ' ', '\t', '=', '.', 'é', 'ß', '🎉', '日本', '\u0001', '\n', '\r\n', '\r', 'x'.repeat(30), '=3D'];
  const texts = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(random() * 120) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));

  it('decodes back to the text, keeps lines within 76 and never splits a character across a soft break', () => {
    for (const text of texts) {
      const qp = quotedPrintable(text).toString('latin1');
      expect(decodeQp(qp)).toBe(text.replace(/\r\n|\r|\n/g, '\r\n'));
      for (const line of qp.split('\r\n')) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line).not.toMatch(/[ \t]$/);
        // Each soft-broken piece decodes on its own to whole characters.
        const piece = decodeQp(line.replace(/=$/, ''));
        expect(piece).not.toContain('\ufffd');
      }
    }
  });
});

describe('the direct MIME writer', () => {
  it('chooses the transfer encoding MailComposer chooses', async () => {
    for (const [name, text] of Object.entries(SAMPLES)) {
      const ours = /Content-Transfer-Encoding: (\S+)/.exec(textPart('plain', text).headers)![1];
      const theirs = /Content-Transfer-Encoding: (\S+)/.exec((await composerMessage(text, null)).toString('latin1'))![1];
      expect(ours, name).toBe(theirs);
    }
  });

  it('writes messages a mail reader reads exactly as MailComposer’s', async () => {
    for (const [name, text] of Object.entries(SAMPLES)) {
      for (const [t, h] of [
        [text, SAMPLES.html!],
        [text, null],
        [null, text],
      ] as const) {
        const ours = await parse(directMessage(t, h));
        const theirs = await parse(await composerMessage(t, h));
        // A lone CR is a line break in ours; MailComposer leaves it bare (RFC 5322 forbids that; SMTP's dot
        // stuffing turns it into CRLF on the wire), so both are compared with line breaks made alike.
        const lines = (s: string | false | undefined) => (typeof s === 'string' ? s.replace(/\r\n?/g, '\n') : s);
        expect(lines(ours.text), name).toBe(lines(theirs.text));
        expect(lines(ours.html), name).toBe(lines(theirs.html));
        expect(ours.subject).toBe(theirs.subject);
        expect(ours.from?.value).toEqual(theirs.from?.value);
        expect(ours.to).toEqual(theirs.to);
        expect(ours.date).toEqual(theirs.date);
        expect(ours.messageId).toBe(theirs.messageId);
        expect(ours.headers.get('content-type')).toMatchObject({ value: (theirs.headers.get('content-type') as { value: string }).value });
      }
    }
  });

  it('uses a fresh, unpredictable boundary for each message that no part contains', () => {
    const a = directMessage(SAMPLES.ascii!, SAMPLES.html!).toString('latin1');
    const b = directMessage(SAMPLES.ascii!, SAMPLES.html!).toString('latin1');
    const boundary = (s: string) => /boundary="([^"]+)"/.exec(s)![1]!;
    expect(boundary(a)).not.toBe(boundary(b));
    expect(boundary(a)).toMatch(/^=_postroom_[0-9a-f]{24}$/);
    // Twice as a delimiter, once closing, once in the header: nowhere inside a part.
    expect(a.split(boundary(a)).length - 1).toBe(4);
  });

  it('encodes and folds headers as nodemailer does: non-ASCII names and subjects as RFC 2047 words', () => {
    const head = headerBlock(directMessage('x', null));
    expect(head).toContain('From: =?UTF-8?Q?Ann_M=C3=BCller?= <ann@example.com>');
    expect(head).toContain('Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe=2C_Bob?=');
    expect(head).toContain('Date: Sun, 01 Mar 2026 00:00:00 +0000');
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });
});

describe('header lines written message after message', () => {
  it('are the lines a fresh writer writes, whether the value came before or not', () => {
    const values: Array<[string, Parameters<HeaderWriter['line']>[1]]> = [];
    const t0 = Date.UTC(2026, 11, 7, 19, 30, 0, 100);
    for (let i = 0; i < 40; i++) {
      values.push(['From', { name: i % 7 === 6 ? 'Ann Müller' : 'The Shop', address: i % 11 === 10 ? 'shop@bücher.example' : 'shop@example.com' }]);
      values.push(['To', { name: `Kunde ${i % 3}`, address: `p${i % 3}@example.net` }]);
      values.push(['Subject', i % 5 ? 'Spring news' : `Grüße, ${i}`]);
      values.push(['Date', new Date(t0 + i * 350)]);
    }
    const writer = new HeaderWriter();
    for (const [key, value] of values) expect(writer.line(key, value), `${key} ${JSON.stringify(value)}`).toBe(new HeaderWriter().line(key, value));
    // The same From twice gives the same line; another value is written anew.
    expect(writer.line('From', { name: 'The Shop', address: 'shop@example.com' })).toBe('From: The Shop <shop@example.com>');
    expect(writer.line('From', { name: 'Other', address: 'shop@example.com' })).toBe('From: Other <shop@example.com>');
  });
});
