import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer, type CampaignComposeOptions, type MergeRecipient } from '../../../electron/core/compose';
import type { Service } from '../../../electron/core/service';
import type { TemplateDraft } from '../../../shared/contract/templates';
import { createTemplate, headerBlock, openService, parse } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const bob: MergeRecipient = { email: 'bob@example.net', name: 'Bob Stone', fields: { first_name: 'Bob', company: 'Stone & Sons' } };

async function composeWith(over: Partial<TemplateDraft>, recipient: MergeRecipient = bob, opts: Partial<CampaignComposeOptions> = {}) {
  service = openService();
  const templateId = await createTemplate(service, over);
  const composer = prepareComposer(service.ctx, { templateId, campaignName: 'Spring', listName: 'Customers', unsubscribe: { url: 'https://example.com/u/{{ email }}' }, ...opts });
  const message = await composer.compose(recipient, newMessageId('ann@example.com'), { date: new Date(Date.UTC(2026, 2, 1, 9, 30)) });
  return { message, parsed: await parse(message.raw), composer };
}

describe('merging', () => {
  it('escapes merged values in the HTML body so a field cannot add markup', async () => {
    const { parsed } = await composeWith({ body: '<html><body><p>Hi {{ first_name }}</p></body></html>' }, { ...bob, fields: { first_name: '<script>alert(1)</script>&' } });
    expect(parsed.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;&amp;');
    expect(parsed.html).not.toContain('<script>');
  });

  it('writes merged values as they are in the text part and the subject', async () => {
    const { parsed } = await composeWith({ subject: 'For {{ company }}', text: 'Dear {{ company }}' }, bob);
    expect(parsed.subject).toBe('For Stone & Sons');
    expect(parsed.text?.trim()).toBe('Dear Stone & Sons');
  });

  it('falls back to the default filter when a field is empty or absent', async () => {
    const { parsed } = await composeWith({ subject: 'Hello {{ first_name | default: "there" }}, {{ nickname | default: "friend" }}' }, { ...bob, fields: { first_name: '' } });
    expect(parsed.subject).toBe('Hello there, friend');
  });

  it('treats an empty field as false in a conditional', async () => {
    const body = '<html><body>{% if company %}<p>At {{ company }}</p>{% else %}<p>No company</p>{% endif %}</body></html>';
    const withCompany = await composeWith({ body }, bob);
    expect(withCompany.parsed.html).toContain('At Stone &amp; Sons');
    await service.close();
    const without = await composeWith({ body }, { ...bob, fields: { company: '' } });
    expect(without.parsed.html).toContain('No company');
    expect(without.parsed.html).not.toContain('At ');
  });

  it('merges the From name and the Reply-To', async () => {
    const { parsed } = await composeWith(
      { from: '{{ rep | default: "Ann" }} at Baker Co <ann@example.com>', replyTo: '{{ rep }} <{{ rep_email }}>' },
      { ...bob, fields: { rep: 'Carla', rep_email: 'carla@example.com' } },
    );
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Carla at Baker Co', address: 'ann@example.com' });
    expect(parsed.replyTo?.value[0]).toMatchObject({ name: 'Carla', address: 'carla@example.com' });
  });

  it('refuses a Reply-To that merges to something that is not an address', async () => {
    service = openService();
    const templateId = await createTemplate(service, { replyTo: '{{ rep_email }}' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    await expect(composer.compose({ ...bob, fields: { rep_email: 'not an address' } }, newMessageId('ann@example.com'))).rejects.toThrow(/Reply-To/);
  });

  it('offers the built-in variables: email, name, list, campaign and the unsubscribe link', async () => {
    const { parsed } = await composeWith({ text: '{{ email }}|{{ name }}|{{ list }}|{{ campaign }}|{{ unsubscribe_url }}' });
    expect(parsed.text?.trim()).toBe('bob@example.net|Bob Stone|Customers|Spring|https://example.com/u/bob%40example.net');
  });
});

describe('the parts of the message', () => {
  it('is multipart/alternative with a text part made from the HTML when none is given', async () => {
    const { parsed, message } = await composeWith({ body: '<html><body><h1>News for {{ first_name }}</h1><p>Our <a href="https://example.com/shop">shop</a> is open.</p></body></html>' });
    expect(headerBlock(message.raw)).toMatch(/Content-Type: multipart\/alternative/);
    expect(parsed.text).toContain('News for Bob');
    expect(parsed.text).toContain('shop [https://example.com/shop]');
    expect(parsed.text).not.toContain('<');
  });

  it('uses the text part the template gives instead of generating one', async () => {
    const { parsed } = await composeWith({ text: 'Plain words for {{ first_name }}.' });
    expect(parsed.text?.trim()).toBe('Plain words for Bob.');
  });

  it('inlines the CSS of a <style> block into the elements', async () => {
    const { parsed } = await composeWith({ body: '<html><head><style>p.lead { color: #123456; }</style></head><body><p class="lead">Hi</p></body></html>' });
    expect(parsed.html).toMatch(/<p class="lead" style="color: #123456;?">Hi<\/p>/);
  });

  it('renders Markdown into the responsive layout, merged values never read as Markdown', async () => {
    const { parsed } = await composeWith(
      { format: 'markdown', body: '# Hello {{ first_name }}\n\n{% if company %}\nYou work at **{{ company }}**.\n{% endif %}\n\n- one\n- two' },
      { ...bob, fields: { first_name: '*Bob*', company: 'Acme' } },
    );
    expect(parsed.html).toMatch(/<h1[^>]*>Hello \*Bob\*<\/h1>/);
    expect(parsed.html).toContain('<strong>Acme</strong>');
    expect(parsed.html).toMatch(/<li[^>]*>one<\/li>/);
    expect(parsed.html).toContain('@media only screen and (max-width: 620px)');
    expect(parsed.html).toMatch(/<td class="content" style="[^"]*font-size: 16px/);
    expect(parsed.text).toMatch(/^Hello \*Bob\*\n\nYou work at Acme\./);
  });

  it('adds an unsubscribe footer to a Markdown template that has none', async () => {
    const { parsed } = await composeWith({ format: 'markdown', body: 'Hello' });
    expect(parsed.html).toContain('href="https://example.com/u/bob%40example.net"');
    expect(parsed.text).toContain('Unsubscribe [https://example.com/u/bob%40example.net]');
  });

  it('composes many recipients from one prepared composer, each with their own values', async () => {
    service = openService();
    const templateId = await createTemplate(service, { subject: 'Hi {{ first_name }}' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const subjects: string[] = [];
    for (const n of ['Ann', 'Ben', 'Cid']) {
      const m = await composer.compose({ email: `${n.toLowerCase()}@example.net`, name: n, fields: { first_name: n } }, newMessageId('ann@example.com'));
      subjects.push((await parse(m.raw)).subject ?? '');
    }
    expect(subjects).toEqual(['Hi Ann', 'Hi Ben', 'Hi Cid']);
  });

  it('reports a template that does not parse when composing, with its line and column', async () => {
    service = openService();
    const templateId = await createTemplate(service, { body: '<p>\n{% iff x %}</p>' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    await expect(composer.compose(bob, newMessageId('ann@example.com'))).rejects.toThrow(/line 2, column 1: unknown tag/);
  });
});

describe('what a template may not do', () => {
  it('cannot read a file from the disk with include or render', async () => {
    service = openService();
    // package.json sits in the working folder of the test run, where Liquid's default file system would look.
    const templateId = await createTemplate(service, { text: "{% include 'package.json' %}{% render 'package.json' %}" });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    await expect(composer.compose(bob, newMessageId('ann@example.com'))).rejects.toThrow(/^The template could not be merged: ENOENT/);
    expect(composer.check([]).errors).toEqual([
      { part: 'text', line: 1, column: 1, message: "{% include %} can't be used: a mail template can't read other files" },
      { part: 'text', line: 1, column: 29, message: "{% render %} can't be used: a mail template can't read other files" },
    ]);
  });
});
