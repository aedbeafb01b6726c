import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../electron/core/service';
import { call, createTemplate, draft, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

describe('templates through the contract', () => {
  it('creates, reads, lists, updates and removes a template', async () => {
    service = openService();
    const created = await call(service, 'templates:create', draft({ attachField: 'Invoice File', replyTo: '  ' }));
    expect(created).toMatchObject({ name: 'Spring news', format: 'html', attachField: 'invoice_file', replyTo: null, attachments: [], text: null });
    expect(await call(service, 'templates:get', { id: created.id })).toEqual(created);
    const updated = await call(service, 'templates:update', { id: created.id, template: draft({ name: 'Summer news', subject: 'Summer' }) });
    expect(updated).toMatchObject({ name: 'Summer news', subject: 'Summer' });
    expect((await call(service, 'templates:list', {})).map((t) => t.name)).toEqual(['Summer news']);
    expect(await call(service, 'templates:remove', { id: created.id })).toEqual({ removed: true });
    await expect(call(service, 'templates:get', { id: created.id })).rejects.toThrow(/NOT_FOUND/);
  });

  it('refuses a second template with the same name, whatever its case', async () => {
    service = openService();
    await createTemplate(service, { name: 'News' });
    await expect(createTemplate(service, { name: 'NEWS' })).rejects.toThrow(/ALREADY_EXISTS: A template named "NEWS" already exists/);
  });

  it('refuses a From without an address, and merge fields in the address', async () => {
    service = openService();
    await expect(createTemplate(service, { from: 'Ann Baker' })).rejects.toThrow(/TEMPLATE_INVALID: The From address "Ann Baker" has no valid e-mail address/);
    await expect(createTemplate(service, { from: 'Ann <{{ rep }}@example.com>' })).rejects.toThrow(/not in the address/);
  });

  it('keeps files in the template and removes them on request', async () => {
    service = openService();
    const id = await createTemplate(service);
    const a = await call(service, 'templates:addAttachment', { templateId: id, filename: 'terms.txt', contentBase64: Buffer.from('terms').toString('base64') });
    expect(a).toMatchObject({ filename: 'terms.txt', contentType: 'text/plain', size: 5, cid: null });
    expect((await call(service, 'templates:get', { id })).attachments).toEqual([a]);
    expect(await call(service, 'templates:removeAttachment', { templateId: id, attachmentId: a.id })).toEqual({ removed: true });
    expect((await call(service, 'templates:get', { id })).attachments).toEqual([]);
  });

  it('reports an attachment path that cannot be read', async () => {
    service = openService();
    const id = await createTemplate(service);
    await expect(call(service, 'templates:addAttachment', { templateId: id, path: '/no/such/file.pdf' })).rejects.toThrow(/FILE_UNREADABLE: Couldn't read \/no\/such\/file.pdf/);
  });

  it('refuses to change or delete a template a sending campaign uses', async () => {
    service = openService();
    const id = await createTemplate(service);
    const now = Date.now();
    service.ctx.db
      .prepare(`INSERT INTO campaigns (name, template_id, state, created_at, updated_at) VALUES ('March', ?, 'sending', ?, ?)`)
      .run(id, now, now);
    await expect(call(service, 'templates:remove', { id })).rejects.toThrow(/CONFLICT: .*"March"/);
    await expect(call(service, 'templates:update', { id, template: draft({ subject: 'x' }) })).rejects.toThrow(/CONFLICT/);
  });

  it('lists the starter templates with the fields they use', async () => {
    service = openService();
    const starters = await call(service, 'templates:starters', {});
    expect(starters.map((s) => [s.key, s.format])).toEqual([
      ['newsletter', 'visual'],
      ['announcement', 'markdown'],
      ['plain-letter', 'markdown'],
    ]);
    expect(starters[0]!.fields).toEqual(['first_name']);
  });

  it('copies a template with its files under a new name', async () => {
    service = openService();
    const id = await createTemplate(service, { name: 'News' });
    await call(service, 'templates:addAttachment', { templateId: id, filename: 'terms.txt', contentBase64: Buffer.from('terms').toString('base64') });
    const copy = await call(service, 'templates:duplicate', { id });
    expect(copy).toMatchObject({ name: 'News (copy)', subject: 'Hello {{ first_name | default: "there" }}' });
    expect(copy.attachments.map((a) => [a.filename, a.size])).toEqual([['terms.txt', 5]]);
    expect((await call(service, 'templates:duplicate', { id })).name).toBe('News (copy 2)');
    await expect(call(service, 'templates:duplicate', { id, name: 'news' })).rejects.toThrow(/ALREADY_EXISTS/);
  });
});
