import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer } from '../../../electron/core/compose';
import { loadStarters } from '../../../electron/core/compose/starters';
import { parseSpamReport, spamCheck } from '../../../electron/core/compose/spam';
import type { Service } from '../../../electron/core/service';
import { Language } from '../../../shared/contract/app';
import { call, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const FORBIDDEN = [/^MISSING_DATE$/, /^MISSING_MID$/, /^MIME_HTML_ONLY$/, /^MPART_ALT_DIFF/, /^HTML_IMAGE_ONLY_/, /^LIST_PARTIAL_/];
const starters = loadStarters();

describe('the spam-filter check', () => {
  it('ships the three starter templates', () => {
    expect(starters.map((s) => s.key)).toEqual(['newsletter', 'announcement', 'plain-letter']);
  });

  const everyLanguage = Language.options.flatMap((lang) => loadStarters(undefined, lang).map((s) => [lang, s.key, s] as const));
  it.each(everyLanguage)('scores the %s %s starter, merged with sample data, at most 1.0 with no structural rule firing', async (_lang, _key, starter) => {
    service = openService();
    const t = await call(service, 'templates:create', {
      name: starter.name,
      subject: starter.subject,
      from: 'Maria Lopez <maria@harbourstreet.example.com>',
      replyTo: null,
      format: starter.format,
      body: starter.body,
      text: null,
      attachField: null,
      language: starter.language,
    });
    const composer = prepareComposer(service.ctx, {
      templateId: t.id,
      campaignName: 'March news',
      listName: 'Customers',
      unsubscribe: { url: 'https://harbourstreet.example.com/unsubscribe?e={{ email }}', mailto: 'unsubscribe@harbourstreet.example.com' },
    });
    const m = await composer.compose(
      { email: 'jane.doe@example.net', name: 'Jane Doe', fields: { first_name: 'Jane', company: 'Doe & Partners', moving_date: '3 March' } },
      newMessageId('maria@harbourstreet.example.com'),
    );
    const result = await spamCheck(m.raw);
    expect(result.available, result.message).toBe(true);
    const fired = result.rules.map((r) => r.name);
    for (const rule of FORBIDDEN) expect(fired.filter((f) => rule.test(f))).toEqual([]);
    expect(result.score!).toBeLessThanOrEqual(1.0);
  }, 60_000);

  it('finds the problems of a bad message: no Date, no Message-ID, HTML only', async () => {
    const raw = Buffer.from('From: a@example.com\r\nTo: b@example.net\r\nSubject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hello there, this is only HTML.</p></body></html>\r\n');
    const result = await spamCheck(raw);
    const fired = result.rules.map((r) => r.name);
    expect(fired).toEqual(expect.arrayContaining(['MISSING_DATE', 'MISSING_MID', 'MIME_HTML_ONLY']));
    expect(result.score!).toBeGreaterThan(1);
  }, 60_000);

  it('says clearly when SpamAssassin is not installed', async () => {
    const result = await spamCheck(Buffer.from('Subject: x\r\n\r\nx'), { command: 'postroom-no-such-spamassassin' });
    expect(result).toMatchObject({ available: false, score: null, rules: [] });
    expect(result.message).toMatch(/SpamAssassin isn't installed .* apt-get install spamassassin/);
  });

  it('reads the score, the threshold and every rule of a report, wrapped descriptions included', () => {
    const report = [
      'Content analysis details:   (2.6 points, 5.0 required)',
      '',
      ' pts rule name              description',
      '---- ---------------------- --------------------------------------------------',
      ' 1.4 MISSING_DATE           Missing Date: header',
      '-0.0 NO_RELAYS              Informational: message was not relayed via SMTP',
      ' 0.1 MISSING_MID            Missing Message-Id: header',
      '                            and more words',
      '',
    ].join('\n');
    expect(parseSpamReport(report)).toEqual({
      score: 2.6,
      threshold: 5,
      rules: [
        { score: 1.4, name: 'MISSING_DATE', description: 'Missing Date: header' },
        { score: -0, name: 'NO_RELAYS', description: 'Informational: message was not relayed via SMTP' },
        { score: 0.1, name: 'MISSING_MID', description: 'Missing Message-Id: header and more words' },
      ],
    });
  });

  it('runs on a template through the contract', async () => {
    service = openService();
    const result = await call(service, 'templates:spamCheck', {
      draft: { name: 'd', subject: 'A note for {{ first_name }}', from: 'Ann <ann@example.com>', replyTo: null, format: 'markdown', body: 'Hello {{ first_name }},\n\nThank you for your order last week. It is on its way.\n\nAnn', text: null, attachField: null },
      unsubscribe: { url: 'https://example.com/u' },
    });
    expect(result.available).toBe(true);
    expect(result.rules.map((r) => r.name)).not.toContain('MISSING_MID');
  }, 60_000);
});
