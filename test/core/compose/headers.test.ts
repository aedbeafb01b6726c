import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer, type MergeRecipient, type Unsubscribe } from '../../../electron/core/compose';
import type { Service } from '../../../electron/core/service';
import type { TemplateDraft } from '../../../shared/contract/templates';
import { readHeaders } from '../../../electron/core/compose/preview';
import { createTemplate, headerBlock, openService, parse } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const EVIL = 'Eve\r\nBcc: victim@example.net';
const bob: MergeRecipient = { email: 'bob@example.net', name: 'Bob Stone', fields: { first_name: 'Bob' } };

async function compose(
  over: Partial<TemplateDraft> = {},
  recipient: MergeRecipient = bob,
  unsubscribe: Unsubscribe | null = { url: 'https://example.com/u?e={{ email }}' },
  listName = 'Customers',
  messageId = '<fixed.1@example.com>',
) {
  service = openService();
  const templateId = await createTemplate(service, over);
  const composer = prepareComposer(service.ctx, { templateId, campaignName: 'Spring', listName, unsubscribe });
  const message = await composer.compose(recipient, messageId, { date: new Date(Date.UTC(2026, 2, 1, 9, 30)) });
  return { message, parsed: await parse(message.raw), head: headerBlock(message.raw) };
}

/** Every header line name of the top-level header block (unfolded). */
function headerNames(head: string): string[] {
  return head
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')
    .map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
}

describe('the headers a careful sender sets', () => {
  it('sets Date, the given Message-ID, and To with the display name', async () => {
    const { parsed, message } = await compose();
    expect(parsed.date?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(parsed.messageId).toBe('<fixed.1@example.com>');
    expect(message.messageId).toBe('<fixed.1@example.com>');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0] : null).toMatchObject({ name: 'Bob Stone', address: 'bob@example.net' });
    expect(message.envelope).toEqual({ from: 'ann@example.com', to: ['bob@example.net'] });
  });

  it('makes Message-IDs on the From domain, unique each time', () => {
    const a = newMessageId('Ann@Example.COM');
    const b = newMessageId('ann@example.com');
    expect(a).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(a).not.toBe(b);
    // A campaign's start makes one for every recipient, from a pool of random bytes: past its refills, all differ.
    const many = Array.from({ length: 1_000 }, () => newMessageId('ann@example.com'));
    expect(new Set(many).size).toBe(1_000);
    expect(many.every((id) => /^<[0-9a-f]{32}@example\.com>$/.test(id))).toBe(true);
  });

  it('sets List-Id from the list name on the From domain', async () => {
    const { parsed } = await compose({}, bob, null, 'Spring Customers 2026');
    expect((parsed.headers.get('list') as { id?: unknown }).id).toMatchObject({ id: 'spring-customers-2026.example.com', name: 'Spring Customers 2026' });
  });

  it('encodes a non-ASCII list name in List-Id per RFC 2047, with an ASCII id', async () => {
    const { message, head } = await compose({}, bob, null, 'Kunden Zürich');
    expect(head).toMatch(/^List-I[dD]: =\?UTF-8\?Q\?Kunden_Z=C3=BCrich\?= <kunden-zurich\.example\.com>$/m);
    // mailparser leaves encoded-words in List-Id as they are; the preview's header reader decodes them.
    expect(readHeaders(message.raw).find((h) => /^list-id$/i.test(h.name))?.value).toBe('Kunden Zürich <kunden-zurich.example.com>');
  });

  it('sets List-Unsubscribe with both methods, merged per recipient, and One-Click for the https link', async () => {
    const { head } = await compose({}, bob, { mailto: 'leave@example.com?subject=unsubscribe {{ email }}', url: 'https://example.com/u?e={{ email }}' });
    const unfolded = head.replace(/\r\n[ \t]/g, ' ');
    expect(unfolded).toContain('List-Unsubscribe: <mailto:leave@example.com?subject=unsubscribe%20bob%40example.net>, <https://example.com/u?e=bob%40example.net>');
    expect(unfolded).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('sets no One-Click header when only a mailto: address is given', async () => {
    const { head } = await compose({}, bob, { mailto: 'leave@example.com' });
    expect(head).toContain('List-Unsubscribe: <mailto:leave@example.com>');
    expect(head).not.toContain('List-Unsubscribe-Post');
  });

  it('sets no List-Unsubscribe when the campaign has no unsubscribe method', async () => {
    const { head } = await compose({}, bob, null);
    expect(head).not.toMatch(/List-Unsubscribe/i);
  });

  it('leaves the Subject header out when the merged subject is empty, and writes every header once', async () => {
    const { head } = await compose({ subject: '{{ nickname }}' });
    expect(head).not.toMatch(/^Subject:/im);
    const names = headerNames(head);
    expect(new Set(names).size).toBe(names.length);
  });

  it('encodes a non-ASCII subject and names per RFC 2047', async () => {
    const { parsed, head } = await compose({ subject: 'Grüße, {{ first_name }} — 春', from: 'Zoë Köhler <zoe@example.com>' }, { ...bob, name: 'Jürgen Groß', fields: { first_name: 'Jürgen' } });
    expect(head).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    expect(head).toMatch(/^From: =\?UTF-8\?[QB]\?/m);
    expect([...head].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    expect(parsed.subject).toBe('Grüße, Jürgen — 春');
    expect(parsed.from?.value[0]?.name).toBe('Zoë Köhler');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.name : '').toBe('Jürgen Groß');
  });

  it('folds a long subject into lines of at most 78 characters', async () => {
    const long = 'A very long subject line about our spring collection and all the news that goes with it {{ first_name }}';
    const { parsed, head } = await compose({ subject: `${long} ${long}` });
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(parsed.subject).toContain('goes with it Bob A very long');
  });

  it('adds [TEST] and sends to another address in test mode', async () => {
    service = openService();
    const templateId = await createTemplate(service, { subject: 'Hi {{ first_name }}' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const m = await composer.compose(bob, newMessageId('ann@example.com'), { subjectPrefix: '[TEST]', to: 'me@example.org' });
    const parsed = await parse(m.raw);
    expect(parsed.subject).toBe('[TEST] Hi Bob');
    expect(m.envelope.to).toEqual(['me@example.org']);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((v) => v.address) : []).toEqual(['me@example.org']);
  });
});

describe('no header injection, ever', () => {
  const injected = async (over: Partial<TemplateDraft>, recipient: MergeRecipient, unsubscribe: Unsubscribe | null = null, listName = 'Customers') => {
    const r = await compose(over, recipient, unsubscribe, listName);
    expect(headerNames(r.head)).not.toContain('bcc');
    expect(r.message.envelope.to).toEqual([recipient.email]);
    expect(r.parsed.bcc).toBeUndefined();
    expect(r.parsed.headers.has('bcc')).toBe(false);
    return r;
  };

  it('keeps a CR/LF value in the subject inside the subject', async () => {
    const { parsed } = await injected({ subject: 'Hi {{ first_name }}' }, { ...bob, fields: { first_name: EVIL } });
    expect(parsed.subject).toBe('Hi Eve Bcc: victim@example.net');
  });

  it('keeps a CR/LF value in the From name inside the From name', async () => {
    const { parsed } = await injected({ from: '{{ first_name }} <ann@example.com>' }, { ...bob, fields: { first_name: EVIL } });
    expect(parsed.from?.value).toHaveLength(1);
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Eve Bcc: victim@example.net', address: 'ann@example.com' });
  });

  it('keeps a CR/LF value in the Reply-To name inside the Reply-To', async () => {
    const { parsed } = await injected({ replyTo: '{{ first_name }} <reply@example.com>' }, { ...bob, fields: { first_name: EVIL } });
    expect(parsed.replyTo?.value).toHaveLength(1);
    expect(parsed.replyTo?.value[0]?.address).toBe('reply@example.com');
  });

  it('keeps a CR/LF value in the recipient name inside the To header', async () => {
    const { parsed } = await injected({}, { ...bob, name: EVIL });
    const to = parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : [];
    expect(to).toHaveLength(1);
    expect(to[0]).toMatchObject({ name: 'Eve Bcc: victim@example.net', address: 'bob@example.net' });
  });

  it('keeps a CR/LF value in an unsubscribe link inside the link', async () => {
    const { head } = await injected({}, { ...bob, fields: { token: EVIL } }, { url: 'https://example.com/u/{{ token }}', mailto: 'leave@example.com?subject={{ token }}' });
    expect(head).toContain('<https://example.com/u/Eve%0D%0ABcc%3A%20victim%40example.net>');
    expect(head).toContain('<mailto:leave@example.com?subject=Eve%0D%0ABcc%3A%20victim%40example.net>');
  });

  it('keeps a CR/LF list name inside List-Id', async () => {
    const { parsed } = await injected({}, bob, null, EVIL);
    expect((parsed.headers.get('list') as { id?: unknown }).id).toMatchObject({ name: 'Eve Bcc: victim@example.net', id: 'eve-bcc-victim-example-net.example.com' });
  });

  it('refuses a recipient address that carries a line break', async () => {
    await expect(compose({}, { ...bob, email: 'bob@example.net\r\nBcc: victim@example.net' })).rejects.toThrow(/not a valid e-mail address/);
  });

  it('refuses a Message-ID that could break its header', async () => {
    await expect(compose({}, bob, null, 'Customers', '<a@b>\r\nBcc: victim@example.net')).rejects.toThrow(/not a Message-ID/);
  });
});
