import { afterEach, describe, expect, it } from 'vitest';
import { prepareComposer } from '../../../electron/core/compose';
import type { Service } from '../../../electron/core/service';
import { addList, call, createTemplate, draft, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

describe('checking a template against a list', () => {
  it('reports each use of a field the list lacks, with part, line and column', async () => {
    service = openService();
    addList(service, 'Customers', ['email', 'first_name'], []);
    const id = await createTemplate(service, {
      subject: 'Hi {{ first_name }} from {{ city }}',
      body: '<p>Hello</p>\n<p>{% if company %}\n  at {{ company | upcase }}{% endif %}</p>',
    });
    const check = await call(service, 'templates:check', { id, list: 'Customers' });
    expect(check.ok).toBe(false);
    expect(check.missing).toEqual([
      { field: 'city', part: 'subject', line: 1, column: 29 },
      { field: 'company', part: 'body', line: 2, column: 10 },
      { field: 'company', part: 'body', line: 3, column: 9 },
    ]);
    expect(check.fields).toEqual(['first_name', 'city', 'company']);
    expect(check.errors).toEqual([]);
  });

  it('reports a syntax error with its line and column', async () => {
    service = openService();
    const check = await call(service, 'templates:check', { draft: draft({ body: '<p>one</p>\n<p>two {% iff x %}</p>' }), fields: [] });
    expect(check.ok).toBe(false);
    expect(check.errors).toEqual([{ part: 'body', line: 2, column: 8, message: 'unknown tag "{% iff %}"' }]);
  });

  it('reports a misspelt filter and an unclosed tag as syntax errors', async () => {
    service = openService();
    const check = await call(service, 'templates:check', { draft: draft({ subject: 'Hi {{ name | upcase2 }}', body: '{% if a %}x' }), fields: [] });
    expect(check.errors.map((e) => [e.part, e.line, e.column, e.message])).toEqual([
      ['subject', 1, 4, 'unknown filter "upcase2"'],
      ['body', 1, 1, '{% if a %} is never closed (add its {% end… %} tag)'],
    ]);
  });

  it('places a problem in the From name at its column in the From text', async () => {
    service = openService();
    const check = await call(service, 'templates:check', { draft: draft({ from: '"{{ rep }}" <ann@example.com>' }), fields: ['first_name', 'company'] });
    expect(check.missing).toEqual([{ field: 'rep', part: 'from', line: 1, column: 5 }]);
  });

  it('does not count the built-in variables, assigned names or loop variables as missing', async () => {
    service = openService();
    const body = '{{ email }} {{ name }} {{ list }} {{ campaign }} {{ unsubscribe_url }} {% assign x = "a" %}{{ x }}{% for i in (1..2) %}{{ i }}{{ forloop.index }}{% endfor %}';
    const check = await call(service, 'templates:check', { draft: draft({ subject: 'Hi', body }), fields: [] });
    expect(check).toMatchObject({ ok: true, missing: [], errors: [], fields: [] });
  });

  it('matches the list fields as the import normalises them', async () => {
    service = openService();
    const check = await call(service, 'templates:check', { draft: draft({ subject: '{{ first_name }}', body: '' }), fields: ['First Name'] });
    expect(check.ok).toBe(true);
  });

  it('reports the per-recipient attachment field when the list lacks it', async () => {
    service = openService();
    const check = await call(service, 'templates:check', { draft: draft({ subject: 'x', body: 'y', attachField: 'invoice' }), fields: ['email'] });
    expect(check.missing).toEqual([{ field: 'invoice', part: 'attachField', line: 1, column: 1 }]);
  });

  it('warns a campaign without any unsubscribe method, and one without One-Click', async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const none = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null }).check(['first_name', 'company']);
    expect(none.ok).toBe(true);
    expect(none.warnings.some((w) => w.startsWith('This campaign has no unsubscribe method.'))).toBe(true);
    const mailto = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: { mailto: 'leave@example.com' } }).check(['first_name', 'company']);
    expect(mailto.warnings.some((w) => w.includes('one-click'))).toBe(true);
    const both = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: { url: 'https://example.com/u' } }).check(['first_name', 'company']);
    expect(both.warnings.filter((w) => /unsubscribe/i.test(w))).toEqual([]);
  });

  it("checks the fields of the campaign's unsubscribe link too", async () => {
    service = openService();
    const templateId = await createTemplate(service);
    const check = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: { url: 'https://example.com/u/{{ token }}' } }).check(['first_name', 'company']);
    expect(check.missing).toEqual([{ field: 'token', part: 'unsubscribe', line: 1, column: 26 }]);
  });

  it('still answers the check when the template does not parse', async () => {
    service = openService();
    const templateId = await createTemplate(service, { body: '{% if x %}' });
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    expect(composer.check(['x']).errors).toHaveLength(1);
  });

  it('checks as a campaign would through the contract when an unsubscribe method is given', async () => {
    service = openService();
    const none = await call(service, 'templates:check', { draft: draft(), fields: ['first_name', 'company'], unsubscribe: null });
    expect(none.warnings.some((w) => w.startsWith('This campaign has no unsubscribe method.'))).toBe(true);
    const withLink = await call(service, 'templates:check', { draft: draft(), fields: ['first_name', 'company'], unsubscribe: { url: 'https://example.com/u/{{ token }}' } });
    expect(withLink.missing.map((m) => [m.field, m.part])).toEqual([['token', 'unsubscribe']]);
    const alone = await call(service, 'templates:check', { draft: draft(), fields: ['first_name', 'company'] });
    expect(alone.warnings.some((w) => /unsubscribe/i.test(w))).toBe(false);
  });
});
