import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { newMessageId, prepareComposer } from '../../../electron/core/compose';
import type { Service } from '../../../electron/core/service';
import { call, createTemplate, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

/** A DNS that knows only the record we publish: no test talks to the network. */
function stubResolver(records: Record<string, string>) {
  return async (name: string, type: string): Promise<string[][]> => {
    const value = type === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (!value) throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
    return [[value]];
  };
}

async function signedMessage() {
  service = openService();
  const key = await call(service, 'dkim:add', { domain: 'example.com', selector: 'pr1' });
  const templateId = await createTemplate(service, { replyTo: 'help@example.com' });
  const composer = prepareComposer(service.ctx, {
    templateId,
    campaignName: 'Spring',
    listName: 'Customers',
    unsubscribe: { url: 'https://example.com/u?e={{ email }}', mailto: 'leave@example.com' },
  });
  const m = await composer.compose({ email: 'bob@example.net', name: 'Bob Stone', fields: { first_name: 'Bob' } }, newMessageId('ann@example.com'));
  return { raw: m.raw, resolver: stubResolver({ [key.dnsName]: key.dnsValue }), key };
}

describe('DKIM signing', () => {
  it('signs with the domain key and a real verifier passes it', async () => {
    const { raw, resolver } = await signedMessage();
    const result = await dkimVerify(raw, { resolver });
    expect(result.results).toHaveLength(1);
    expect(result.results[0]!.status.result).toBe('pass');
    expect(result.results[0]!.signingDomain).toBe('example.com');
    expect(result.results[0]!.selector).toBe('pr1');
  });

  it('covers From, To, Subject, Date, Message-ID, List-Id, List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const { raw } = await signedMessage();
    const sig = /^DKIM-Signature:([\s\S]*?)\r\n(?![ \t])/m.exec(raw.toString('latin1'))![1]!.replace(/\s+/g, '');
    const h = /(?:^|;)h=([^;]+)/.exec(sig)![1]!.toLowerCase().split(':');
    for (const name of ['from', 'to', 'subject', 'date', 'message-id', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'reply-to']) {
      expect(h).toContain(name);
    }
  });

  it.each([
    ['Subject', /^Subject: .*$/m, 'Subject: You won a prize'],
    ['To', /^To: .*$/m, 'To: mallory@example.org'],
    ['List-Unsubscribe-Post', /^List-Unsubscribe-Post: .*$/m, 'List-Unsubscribe-Post: nothing'],
    ['Date', /^Date: .*$/m, 'Date: Mon, 02 Mar 2026 10:00:00 +0000'],
  ])('fails verification when the signed %s header is altered', async (_name, re, replacement) => {
    const { raw, resolver } = await signedMessage();
    const altered = Buffer.from(raw.toString('latin1').replace(re, replacement), 'latin1');
    expect(altered.equals(raw)).toBe(false);
    const result = await dkimVerify(altered, { resolver });
    expect(result.results[0]!.status.result).toBe('fail');
  });

  it('fails verification when the body is altered', async () => {
    const { raw, resolver } = await signedMessage();
    const altered = Buffer.from(raw.toString('latin1').replace('Unsubscribe', 'Unsubscr1be'), 'latin1');
    const result = await dkimVerify(altered, { resolver });
    expect(result.results[0]!.status.result).toBe('fail');
  });

  it('does not sign mail from a domain without a key', async () => {
    service = openService();
    await call(service, 'dkim:add', { domain: 'other.example', selector: 'pr1' });
    const templateId = await createTemplate(service);
    const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
    const m = await composer.compose({ email: 'bob@example.net', name: null, fields: {} }, newMessageId('ann@example.com'));
    expect(m.raw.toString('latin1')).not.toMatch(/^DKIM-Signature:/m);
  });

  it('keeps the private key sealed: the database never holds it in plain text', async () => {
    service = openService();
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await call(service, 'dkim:add', { domain: 'example.com', selector: 's1', privateKeyPem: pem });
    const row = service.ctx.db.prepare(`SELECT * FROM dkim_keys`).get() as Record<string, unknown>;
    const dump = JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
    const body = pem.split('\n').slice(1, -2).join('');
    expect(dump).not.toContain('PRIVATE KEY');
    expect(dump).not.toContain(body.slice(0, 40));
    expect(dump).not.toContain(Buffer.from(body, 'base64').subarray(0, 40).toString('latin1'));
  });

  it('answers the DNS record to publish, for a given key or a new one', async () => {
    service = openService();
    const made = await call(service, 'dkim:add', { domain: 'Example.com', selector: 'pr2' });
    expect(made).toMatchObject({ domain: 'example.com', selector: 'pr2', dnsName: 'pr2._domainkey.example.com' });
    expect(made.dnsValue).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect((await call(service, 'dkim:list', {})).map((k) => k.domain)).toEqual(['example.com']);
    expect(await call(service, 'dkim:remove', { domain: 'example.com' })).toEqual({ removed: true });
    expect(await call(service, 'dkim:list', {})).toEqual([]);
  });

  it('refuses a key that is not an RSA private key', async () => {
    service = openService();
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(call(service, 'dkim:add', { domain: 'example.com', selector: 's', privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })).rejects.toThrow(/RSA/);
    await expect(call(service, 'dkim:add', { domain: 'example.com', selector: 's', privateKeyPem: 'nonsense' })).rejects.toThrow(/could not be read/);
  });
});
