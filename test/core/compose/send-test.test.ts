import { afterEach, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import type { Service } from '../../../electron/core/service';
import { startServer, type ScriptedServer } from '../relay/helpers';
import { addList, call, createTemplate, draft, headerBlock, openService, parse } from './helpers';

let service: Service;
let server: ScriptedServer | undefined;
afterEach(async () => {
  await service?.close();
  await server?.close();
  server = undefined;
});

async function setup(auth?: { user: string; pass: string }, password = auth?.pass) {
  service = openService();
  server = await startServer(auth ? { auth } : {});
  addList(service, 'Customers', ['email', 'first_name', 'company'], [
    { email: 'ann@example.net', name: 'Ann Archer', fields: { first_name: 'Ann', company: 'Archer Ltd' } },
    { email: 'bob@example.net', name: 'Bob Stone', fields: { first_name: 'Bob', company: 'Stone & Co' } },
  ]);
  await call(service, 'relays:create', {
    name: 'local',
    host: '127.0.0.1',
    port: server.port,
    security: 'none',
    ...(auth ? { user: auth.user, auth: 'password' as const, password } : { auth: 'none' as const }),
  });
  return createTemplate(service);
}

describe('send a test to me', () => {
  it("sends the chosen recipient's merged message to the given address only, with [TEST] in the subject", async () => {
    const id = await setup();
    const r = await call(service, 'templates:sendTest', { id, list: 'Customers', email: 'bob@example.net', relay: 'local', to: 'me@example.org', unsubscribe: { url: 'https://example.com/u?e={{ email }}' } });
    expect(r.ok).toBe(true);
    expect(r.to).toBe('me@example.org');
    expect(r.response).toMatch(/^250/);
    expect(server!.accepted()).toHaveLength(1);
    const got = server!.accepted()[0]!;
    expect(got.to).toEqual(['me@example.org']);
    const mail = await parse(got.raw);
    expect(mail.subject).toBe('[TEST] Hello Bob');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual(['me@example.org']);
    expect(mail.html).toContain('Greetings to Stone &amp; Co.');
    expect(mail.messageId).toBe(r.messageId);
    expect(headerBlock(got.raw)).toMatch(/List-Unsubscribe: <https:\/\/example\.com\/u\?e=bob%40example\.net>/);
  });

  it('gives every test a fresh Message-ID', async () => {
    const id = await setup();
    const a = await call(service, 'templates:sendTest', { id, list: 'Customers', index: 0, relay: 'local', to: 'me@example.org' });
    const b = await call(service, 'templates:sendTest', { id, list: 'Customers', index: 0, relay: 'local', to: 'me@example.org' });
    expect(a.messageId).not.toBe(b.messageId);
    expect(server!.accepted()).toHaveLength(2);
  });

  it('sends an unsaved draft merged with the sample recipient when no list is given', async () => {
    await setup();
    await call(service, 'templates:sendTest', { draft: draft({ subject: 'News for {{ first_name }}' }), relay: 'local', to: 'me@example.org' });
    const mail = await parse(server!.accepted()[0]!.raw);
    expect(mail.subject).toBe('[TEST] News for Alex');
  });

  it('counts the test against the relay quota', async () => {
    const id = await setup();
    await call(service, 'templates:sendTest', { id, list: 'Customers', index: 0, relay: 'local', to: 'me@example.org' });
    const quota = await call(service, 'relays:quota', {});
    expect(quota.find((q) => q.relay === 'local')?.usedToday).toBe(1);
  });

  it('answers AUTH_FAILED, naming the host and the relay to fix, when the password is wrong', async () => {
    const id = await setup({ user: 'ann', pass: 'right' }, 'wrong');
    const err = await call(service, 'templates:sendTest', { id, list: 'Customers', index: 0, relay: 'local', to: 'me@example.org' }).then(() => ({ code: 'none', message: 'sent' }), (e: Error & { code: string }) => e);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/Couldn't log in to 127\.0\.0\.1 as ann/);
    expect(err.message).toContain('relay "local"');
    expect(server!.accepted()).toHaveLength(0);
  });

  it('refuses an address that is not one with INVALID_INPUT, before connecting', async () => {
    const id = await setup();
    const err = await call(service, 'templates:sendTest', { id, list: 'Customers', index: 0, relay: 'local', to: 'me at example' }).then(() => ({ code: 'none', message: 'sent' }), (e: Error & { code: string }) => e);
    expect(err.code).toBe('INVALID_INPUT');
    expect(server!.received).toHaveLength(0);
  });

  it('says which relay is missing when the name is wrong', async () => {
    const id = await setup();
    const err = await call(service, 'templates:sendTest', { id, relay: 'nope', to: 'me@example.org' }).then(() => ({ code: 'none', message: 'sent' }), (e: Error & { code: string }) => e);
    expect(err.code).toBe('NOT_FOUND');
  });

  it('says the relay refused the message when it answers 5xx', async () => {
    service = openService();
    server = await startServer({ script: () => ({ at: 'rcpt', code: 550, text: '5.7.1 Relaying denied' }) });
    await call(service, 'relays:create', { name: 'local', host: '127.0.0.1', port: server.port, security: 'none', auth: 'none' });
    const id = await createTemplate(service);
    const err = await call(service, 'templates:sendTest', { id, relay: 'local', to: 'me@example.org' }).then(() => ({ code: 'none', message: 'sent' }), (e: Error & { code: string }) => e);
    expect(err.code).toBe('SEND_FAILED');
    expect(err.message).toMatch(/refused the test message to me@example.org: .*Relaying denied/);
  });
  it('signs the test with the domain DKIM key, and the signature still verifies as received', async () => {
    const id = await setup();
    const key = await call(service, 'dkim:add', { domain: 'example.com', selector: 'pr1' });
    await call(service, 'templates:sendTest', { id, list: 'Customers', index: 0, relay: 'local', to: 'me@example.org' });
    const resolver = async (name: string, type: string): Promise<string[][]> => {
      if (type === 'TXT' && name.toLowerCase() === key.dnsName) return [[key.dnsValue]];
      throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
    };
    const result = await dkimVerify(server!.accepted()[0]!.raw, { resolver });
    expect(result.results.map((r) => r.status.result)).toEqual(['pass']);
  });

  it("waits for the relay's pacing gap no longer than a few seconds, and says which limit holds it back beyond", async () => {
    const id = await setup();
    await call(service, 'relays:update', { relay: 'local', limits: { perMinute: 1 } });
    await call(service, 'templates:sendTest', { id, relay: 'local', to: 'me@example.org' });
    const err = await call(service, 'templates:sendTest', { id, relay: 'local', to: 'me@example.org' }).then(
      () => ({ code: 'none', message: 'sent' }),
      (e: Error & { code: string }) => e,
    );
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/The test wasn't sent: The limit of 1 a minute is reached\. The next slot of relay "local" frees in 1m; try again then/);
    expect(server!.accepted()).toHaveLength(1);
  });
});
