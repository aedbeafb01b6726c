import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../electron/core/service';
import { addList, call, createTemplate, draft, openService, parse, tempDir } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function customers(s: Service, source: string | null = null) {
  addList(s, 'Customers', ['email', 'first_name', 'company', 'invoice'], [
    { email: 'ann@example.net', name: 'Ann Archer', fields: { first_name: 'Ann', company: 'Archer Ltd' } },
    { email: 'Bob@Example.net', name: 'Bob Stone', fields: { first_name: 'Bob', company: '', invoice: 'invoices/bob.pdf' } },
  ], source);
}

describe('preview', () => {
  it("shows a list recipient's message exactly as sent: html, text, headers and raw bytes", async () => {
    service = openService();
    customers(service);
    const id = await createTemplate(service);
    const p = await call(service, 'templates:preview', { id, list: 'Customers', email: 'bob@example.net', unsubscribe: { url: 'https://example.com/u?e={{ email }}' } });
    expect(p.recipient).toEqual({ email: 'Bob@Example.net', name: 'Bob Stone', index: 1 });
    expect(p.total).toBe(2);
    expect(p.subject).toBe('Hello Bob');
    expect(p.to).toBe('Bob Stone <Bob@example.net>'); // nodemailer writes the domain in lower case
    expect(p.html).toContain('<p>Hi Bob,</p>');
    expect(p.html).not.toContain('Greetings to');
    expect(p.text).toContain('Hi Bob,');
    expect(p.headers.find((h) => h.name === 'List-Unsubscribe')?.value).toBe('<https://example.com/u?e=Bob%40Example.net>');
    const parsed = await parse(Buffer.from(p.raw));
    expect(parsed.subject).toBe('Hello Bob');
    expect(parsed.html).toBe(p.html);
    expect(p.problem).toBeNull();
  });

  it('walks the list by position for a next/previous switcher', async () => {
    service = openService();
    customers(service);
    const id = await createTemplate(service);
    const first = await call(service, 'templates:preview', { id, list: 'Customers', index: 0 });
    expect(first.recipient.email).toBe('ann@example.net');
    expect(first.html).toContain('Greetings to Archer Ltd.');
    const last = await call(service, 'templates:preview', { id, list: 'Customers', index: 9 });
    expect(last.recipient.index).toBe(1);
  });

  it('previews an unsaved draft with a sample recipient when no list is given', async () => {
    service = openService();
    const p = await call(service, 'templates:preview', { draft: draft({ subject: '{{ first_name }} at {{ company }}' }) });
    expect(p.subject).toBe('Alex at Morgan & Daughters');
    expect(p.total).toBe(0);
    expect(p.recipient.index).toBeNull();
  });

  it('decodes non-ASCII headers for display', async () => {
    service = openService();
    const p = await call(service, 'templates:preview', { draft: draft({ subject: 'Grüße an {{ first_name }}', from: 'Zoë <zoe@example.com>' }) });
    expect(p.headers.find((h) => h.name === 'Subject')?.value).toBe('Grüße an Alex');
    expect(p.from).toBe('Zoë <zoe@example.com>');
  });

  it('turns cid: images into data: URLs so the sandboxed frame can show them', async () => {
    service = openService();
    const id = await createTemplate(service, { body: '<html><body><img src="cid:logo.png" alt="logo"></body></html>' });
    await call(service, 'templates:addAttachment', { templateId: id, filename: 'logo.png', contentBase64: PNG.toString('base64') });
    const p = await call(service, 'templates:preview', { id });
    expect(p.html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(p.raw).toContain('Content-ID: <logo.png>');
    expect(p.attachments).toEqual([{ filename: 'logo.png', contentType: 'image/png', size: PNG.length, inline: true }]);
  });

  it("says why a recipient's message can't be sent, and still shows it", async () => {
    service = openService();
    const dir = tempDir();
    customers(service, 'customers.csv');
    // As after `postroom import DIR/customers.csv`: files named in it are looked for in DIR.
    await call(service, 'lists:setAttachmentsFolder', { list: 'Customers', folder: dir });
    const id = await createTemplate(service, { attachField: 'invoice' });
    const p = await call(service, 'templates:preview', { id, list: 'Customers', email: 'bob@example.net' });
    expect(p.problem).toBe(`The attachment for Bob@Example.net is missing: ${path.join(dir, 'invoices', 'bob.pdf')} does not exist.`);
    expect(p.subject).toBe('Hello Bob');
    fs.mkdirSync(path.join(dir, 'invoices'));
    fs.writeFileSync(path.join(dir, 'invoices', 'bob.pdf'), 'pdf');
    const ok = await call(service, 'templates:preview', { id, list: 'Customers', email: 'bob@example.net' });
    expect(ok.problem).toBeNull();
    expect((await parse(Buffer.from(ok.raw))).attachments.map((a) => a.filename)).toEqual(['bob.pdf']);
    expect(ok.attachments).toEqual([{ filename: 'bob.pdf', contentType: 'application/pdf', size: 3, inline: false }]);
  });

  it('names the list or recipient that is not there', async () => {
    service = openService();
    customers(service);
    const id = await createTemplate(service);
    await expect(call(service, 'templates:preview', { id, list: 'Nope' })).rejects.toThrow(/NOT_FOUND: There is no list called "Nope"/);
    await expect(call(service, 'templates:preview', { id, list: 'Customers', email: 'zed@example.net' })).rejects.toThrow(/zed@example.net is not on the list "Customers"/);
  });
});
