import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createRelay, listRelays, testRelay } from '../../../electron/core/relay';
import { relaysHandlers } from '../../../electron/core/relay/handlers';
import type { RelayCreate } from '../../../shared/contract/relays';
import { localResolver, makeContext, selfSignedCert, startServer, type ScriptedServer, type ServerOptions, type TestContext } from './helpers';

let ctx: TestContext;
let server: ScriptedServer | undefined;
let cert: { key: Buffer; cert: Buffer };
beforeAll(() => {
  cert = selfSignedCert();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  ctx.cleanup();
});

async function relayTo(serverOptions: ServerOptions | null, fields: Partial<RelayCreate> = {}) {
  ctx = makeContext();
  if (serverOptions) server = await startServer(serverOptions);
  return createRelay(ctx, { name: 'shop', host: '127.0.0.1', port: server?.port ?? 25, security: 'none', ...fields });
}

describe('relay test', () => {
  it('says ok and what it did when every step works', async () => {
    process.env.POSTROOM_TR_PW = 'pw';
    const relay = await relayTo({ auth: { user: 'shop', pass: 'pw' } }, { user: 'shop', passwordEnv: 'POSTROOM_TR_PW' });
    const r = await testRelay(ctx, relay);
    expect(r).toMatchObject({ ok: true, passed: ['DNS', 'TCP', 'SMTP', 'authentication'] });
    expect(r.message).toContain('logged in as shop');
    // The same sentence by code, for the window to word in its language.
    expect(r.note).toMatchObject({ code: 'RELAY_TEST_OK', params: { host: '127.0.0.1', login: 'password', user: 'shop', cert: 'none', sent: 'no' } });
    expect(server!.received).toHaveLength(0);
  });

  it('names DNS when the host does not exist', async () => {
    const relay = await relayTo(null, { host: 'smtp.postroom.invalid' });
    const r = await testRelay(ctx, relay, { resolver: localResolver });
    expect(r).toMatchObject({ ok: false, step: 'dns' });
    if (!r.ok) expect(r.message).toMatch(/Couldn't find smtp\.postroom\.invalid in DNS \(no such host\)\. Check the host name/);
  });

  it('names DNS for a .invalid name with the system resolver too', async () => {
    const relay = await relayTo(null, { host: 'smtp.postroom.invalid' });
    const r = await testRelay(ctx, relay, { timeouts: { dnsMs: 5_000 } });
    expect(r).toMatchObject({ ok: false, step: 'dns' });
  });

  it('names TCP when nothing listens on the port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const relay = await relayTo(null, { port });
    const r = await testRelay(ctx, relay);
    expect(r).toMatchObject({ ok: false, step: 'tcp', passed: ['DNS'], note: { code: 'RELAY_TEST_REFUSED', params: { host: '127.0.0.1', port: String(port) } } });
  });

  it('names SMTP when the port answers but never greets', async () => {
    ctx = makeContext();
    const silent = net.createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const relay = createRelay(ctx, { name: 'mute', host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, security: 'none' });
    const r = await testRelay(ctx, relay, { timeouts: { greetingMs: 300 } });
    await new Promise<void>((res) => {
      silent.close(() => res());
      // close() waits for open sockets; the test client has closed its own.
    });
    expect(r).toMatchObject({ ok: false, step: 'smtp', passed: ['DNS', 'TCP'] });
    if (!r.ok) expect(r.message).toMatch(/didn't greet/);
  });

  it('names TLS for a self-signed certificate, and says how to accept it', async () => {
    const relay = await relayTo({ tls: { ...cert, secure: true } }, { host: 'localhost', security: 'tls' });
    const r = await testRelay(ctx, relay, { resolver: localResolver });
    expect(r).toMatchObject({ ok: false, step: 'tls', passed: ['DNS', 'TCP'] });
    if (!r.ok) expect(r.message).toMatch(/accept self-signed certificate/);
  });

  it('names TLS when STARTTLS is required and the server does not offer it', async () => {
    const relay = await relayTo({}, { security: 'starttls' });
    const r = await testRelay(ctx, relay);
    expect(r).toMatchObject({ ok: false, step: 'tls' });
  });

  it('names authentication, with the server’s reply, when the login is refused', async () => {
    const relay = await relayTo({ refuseAuth: { code: 535, text: '5.7.8 Username and Password not accepted.' } }, { user: 'shop', password: 'nope' });
    const r = await testRelay(ctx, relay);
    expect(r).toMatchObject({ ok: false, step: 'auth' });
    if (!r.ok) expect(r.message).toMatch(/Couldn't log in to 127\.0\.0\.1 as shop: the server said 535 5\.7\.8 Username and Password not accepted\./);
    expect(r.note).toMatchObject({ code: 'RELAY_TEST_LOGIN_REFUSED', params: { user: 'shop', reply: expect.stringMatching(/^535 5\.7\.8/), google: 'no' } });
  });

  it('sends a short test message with sendTo, and names the step when the relay refuses it', async () => {
    const relay = await relayTo({ script: (rcpt) => (rcpt.startsWith('no') ? { at: 'rcpt', code: 550, text: '5.1.1 No such user' } : 'accept') });
    expect(await testRelay(ctx, relay, { sendTo: 'me@example.com' })).toMatchObject({ ok: true });
    expect(server!.accepted()).toHaveLength(1);
    const refused = await testRelay(ctx, relay, { sendTo: 'nobody@example.com' });
    expect(refused).toMatchObject({ ok: false, step: 'send' });
    if (!refused.ok) expect(refused.message).toContain('550 5.1.1 No such user');
    expect(refused.note).toMatchObject({ code: 'RELAY_TEST_NOT_ACCEPTED', params: { sendTo: 'nobody@example.com' } });
  });
});

describe('relay test before saving', () => {
  it('tests a draft with its password, and saves nothing', async () => {
    ctx = makeContext();
    server = await startServer({ auth: { user: 'shop', pass: 'typed-in' } });
    const handlers = relaysHandlers(ctx, () => {});
    const draft = { host: '127.0.0.1', port: server.port, security: 'none' as const, user: 'shop', password: 'typed-in' };
    expect(await handlers['relays:test']({ draft })).toMatchObject({ ok: true });
    expect(await handlers['relays:test']({ draft: { ...draft, password: 'typo' } })).toMatchObject({ ok: false, step: 'auth' });
    expect(listRelays(ctx)).toEqual([]);
  });
});
