/**
 * Compose benchmark (issue 4): merge + compose throughput for a ~5 KB HTML newsletter with 6 merge fields and
 * a generated text part, composed to RFC 5322 bytes, with and without DKIM (RSA-2048); and where the time goes.
 *
 * The composer does the heavy work once per template (layout, juice, html-to-text on a Liquid skeleton), so
 * per message only Liquid rendering, MIME writing (mime.ts, directly into one Buffer) and (when a key is kept) the
 * DKIM signature remain. For comparison it also times nodemailer's MailComposer (still used for messages with
 * files) and what juice and html-to-text would cost if they ran per message.
 * Run: `npm run bench -- compose`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import juice from 'juice';
import { convert } from 'html-to-text';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createService } from '../../electron/core/service';
import { newMessageId, prepareComposer, type MergeRecipient } from '../../electron/core/compose';
import { createComposer } from '../../electron/core/compose/composer';
import { loadTemplate } from '../../electron/core/store/templates';
import { signMessage, signerFor } from '../../electron/core/compose/dkim';
import { buildMessage, HeaderWriter } from '../../electron/core/compose/mime';

const N = 5000;

function body(): string {
  const story = (n: number) => `
      <tr><td class="item">
        <h2>Story ${n}: what changed in our workshop this season</h2>
        <p>We spent the winter rebuilding the bench line, {{ first_name | default: "friend" }}, and the result is quicker turnaround on every order from {{ city }}.
        Deliveries to {{ company }} now leave on the same day when you order before noon, and our new tracking page shows where each parcel is.</p>
        <p><a href="https://example.com/news/${n}?ref={{ member_id }}">Read the whole story</a></p>
      </td></tr>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>News</title>
<style>
  body { margin: 0; padding: 0; background-color: #eef1f5; }
  .card { width: 600px; max-width: 600px; background-color: #ffffff; }
  .body { padding: 28px 40px; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.6; color: #1f2933; }
  .body h1 { margin: 0 0 14px; font-size: 26px; color: #0f3d56; }
  .item h2 { margin: 0 0 8px; font-size: 18px; color: #0f3d56; }
  .item { padding: 16px 0; border-top: 1px solid #e3e8ee; }
  .item p { margin: 0 0 12px; }
  .footer { padding: 20px 40px; font-size: 12px; color: #5b6b79; text-align: center; }
  @media only screen and (max-width: 620px) { .card { width: 100% !important; } .body { padding: 20px !important; } }
</style></head>
<body><table role="presentation" width="100%"><tr><td align="center">
  <table role="presentation" class="card" width="600"><tr><td class="body">
    <h1>Hello {{ first_name | default: "there" }} {{ last_name }},</h1>
    <p>{% if company %}Thank you to everyone at {{ company }} for a busy year.{% else %}Thank you for a busy year.{% endif %} Here is our news, with a few stories we think you will like.</p>
    <table role="presentation" width="100%">${[1, 2, 3, 4, 5, 6].map(story).join('')}</table>
    <p>Your member number is {{ member_id }}; we have {{ phone }} as your phone number. Reply to this message if anything is unclear.</p>
  </td></tr></table>
  <table role="presentation" width="600"><tr><td class="footer">Example Ltd, 1 Quay Road, Bristol · <a href="{{ unsubscribe_url }}">Unsubscribe</a></td></tr></table>
</td></tr></table></body></html>`;
}

function recipient(i: number): MergeRecipient {
  return {
    email: `user${i}@example${i % 97}.net`,
    name: `Anna Müller ${i}`,
    fields: { first_name: i % 10 ? 'Anna' : '', last_name: 'Müller', company: i % 3 ? `Company ${i} Ltd` : '', city: 'Zürich', member_id: String(100000 + i), phone: '+49 30 1234567' },
  };
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-bench-compose-'));
  const service = createService({ dataDir: dir, host: 'cli' });
  try {
    const html = body();
    const tpl = await service.handlers['templates:create']({
      name: 'Bench',
      subject: 'News for {{ first_name | default: "you" }} at {{ company | default: "home" }}',
      from: 'Example News <news@example.com>',
      replyTo: null,
      format: 'html',
      body: html,
      text: null,
      attachField: null,
    });
    const opts = { templateId: tpl.id, campaignName: 'Bench', listName: 'Customers', unsubscribe: { url: 'https://example.com/u?e={{ email }}', mailto: 'leave@example.com' } };
    console.log(`template: ${html.length} bytes of HTML, 6 fields (first_name, last_name, company, city, member_id, phone) + email, text part generated`);

    let t = process.hrtime.bigint();
    const composer = prepareComposer(service.ctx, opts);
    console.log(`prepare (once per campaign: parse, juice, html-to-text skeleton): ${ms(t).toFixed(1)} ms`);

    const mid = newMessageId('news@example.com');
    for (let i = 0; i < 300; i++) await composer.compose(recipient(i), mid); // warm up

    let bytes = 0;
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) bytes += (await composer.compose(recipient(i), mid)).raw.length;
    const plain = ms(t);
    console.log(`compose, no DKIM:   ${(N / (plain / 1000)).toFixed(0)} messages/s (${(plain / N).toFixed(3)} ms each, ${Math.round(bytes / N)} bytes each)`);

    await service.handlers['dkim:add']({ domain: 'example.com', selector: 'bench' });
    const signed = prepareComposer(service.ctx, opts);
    for (let i = 0; i < 100; i++) await signed.compose(recipient(i), mid);
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await signed.compose(recipient(i), mid);
    const withDkim = ms(t);
    console.log(`compose, with DKIM: ${(N / (withDkim / 1000)).toFixed(0)} messages/s (${(withDkim / N).toFixed(3)} ms each)`);

    // Where the time goes, per message.
    const full = createComposer(service.ctx, loadTemplate(service.ctx.db, tpl.id), opts);
    const M = 2000;
    t = process.hrtime.bigint();
    const rendered = [];
    for (let i = 0; i < M; i++) rendered.push(full.renderParts(recipient(i)));
    const liquid = ms(t) / M;
    t = process.hrtime.bigint();
    const raws: Buffer[] = [];
    for (let i = 0; i < M; i++) {
      const r = rendered[i]!;
      raws.push(await new MailComposer({ from: r.from, to: r.to, subject: r.subject, messageId: mid, date: new Date(), text: r.text, html: r.html, newline: 'win' }).compile().build());
    }
    const mimeComposer = ms(t) / M;
    const h = new HeaderWriter();
    t = process.hrtime.bigint();
    for (let i = 0; i < M; i++) {
      const r = rendered[i]!;
      buildMessage([h.line('From', r.from), h.line('To', r.to), h.line('Subject', r.subject), `Message-ID: ${mid}`, h.line('Date', new Date())], r.text, r.html);
    }
    const mime = ms(t) / M;
    const signer = signerFor(service.ctx, 'example.com')!;
    t = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) await signMessage(raws[i]!, signer);
    const dkim = ms(t) / 500;
    t = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) juice(rendered[i]!.html);
    const juiceEach = ms(t) / 200;
    t = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) convert(rendered[i]!.html, { wordwrap: 76 });
    const h2tEach = ms(t) / 200;
    console.log('\nwhere the time goes, per message (ms):');
    console.log(`  liquid render (subject, From name, HTML, text, unsubscribe links, tidy): ${liquid.toFixed(3)}`);
    console.log(`  MIME composition to bytes (direct writer, mime.ts):                     ${mime.toFixed(3)}`);
    console.log(`  MIME composition with nodemailer's MailComposer (messages with files):  ${mimeComposer.toFixed(3)}`);
    console.log(`  DKIM signature (RSA-2048, relaxed/relaxed):                             ${dkim.toFixed(3)}`);
    console.log(`  juice           — done once per template, would cost per message:      ${juiceEach.toFixed(3)}`);
    console.log(`  html-to-text    — done once per template, would cost per message:      ${h2tEach.toFixed(3)}`);
    const naive = liquid + mime + juiceEach + h2tEach;
    console.log(`\nper-message juice + html-to-text would cap compose at ~${(1000 / naive).toFixed(0)} messages/s; done once it runs at ~${(1000 / (liquid + mime)).toFixed(0)}.`);
  } finally {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
