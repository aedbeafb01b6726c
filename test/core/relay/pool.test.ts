import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { simpleParser } from 'mailparser';
import { createRelay, openRelayPool, type RelayProfile, type SmtpOutcome } from '../../../electron/core/relay';
import { dotStuffed } from '../../../electron/core/relay/dot-stuffing';
import type { RelayCreate } from '../../../shared/contract/relays';
import { localResolver, makeContext, rawMessage, selfSignedCert, startServer, type ScriptedServer, type ServerOptions, type TestContext } from './helpers';

let ctx: TestContext;
let server: ScriptedServer | undefined;
let cert: { key: Buffer; cert: Buffer };

beforeAll(() => {
  cert = selfSignedCert();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  ctx?.cleanup();
});

async function setup(serverOptions: ServerOptions = {}, relay: Partial<RelayCreate> = {}): Promise<RelayProfile> {
  ctx = makeContext();
  server = await startServer(serverOptions);
  return createRelay(ctx, { name: 'local', host: '127.0.0.1', port: server.port, security: 'none', ...relay });
}

const send = (profile: RelayProfile, to: string, opts: Parameters<typeof openRelayPool>[2] = {}) => {
  const pool = openRelayPool(ctx, profile, { resolver: localResolver, ...opts });
  return pool.send({ raw: rawMessage(to), envelope: { from: 'shop@example.com', to: [to] } }).finally(() => pool.close());
};

describe('the relay pool', () => {
  it('reports a message the relay accepted as sent, with the server’s reply', async () => {
    const relay = await setup();
    const outcome = await send(relay, 'ann@example.com');
    expect(outcome).toMatchObject({ kind: 'sent', code: 250 });
    expect(outcome.response).toContain('queued as Q1');
    const mail = await simpleParser(server!.accepted()[0]!.raw);
    expect(mail.subject).toBe('Hello');
  });

  it('delivers a large message byte for byte, its lines that start with a dot stuffed on the wire and restored', async () => {
    const relay = await setup();
    const head = rawMessage('ann@example.com').toString('latin1');
    // About 3 MB: more than a socket takes at once, so the write waits for the relay to drain it.
    const body = Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? `.line ${i} starts with a dot` : `..${'x'.repeat(60)} ${i}`)).join('\r\n');
    const raw = Buffer.from(`${head}${body}\r\n.\r\n`, 'latin1');
    const pool = openRelayPool(ctx, relay, { resolver: localResolver });
    // As it comes, and dot-stuffed already where it was composed (the compose worker does): the same on the wire.
    for (const stuffed of [undefined, dotStuffed(raw)]) {
      const outcome = await pool.send({ raw, envelope: { from: 'shop@example.com', to: ['ann@example.com'] }, stuffed });
      expect(outcome.kind).toBe('sent');
    }
    await pool.close();
    expect(server!.accepted().map((m) => m.raw.equals(raw))).toEqual([true, true]);
  });

  it('mends bare LF line ends of a message it is given into CRLF on the wire', async () => {
    const relay = await setup();
    const raw = Buffer.from(rawMessage('ann@example.com').toString('latin1').replace(/\r\n/g, '\n') + '.dot line\nlast', 'latin1');
    const pool = openRelayPool(ctx, relay, { resolver: localResolver });
    const outcome = await pool.send({ raw, envelope: { from: 'shop@example.com', to: ['ann@example.com'] } });
    await pool.close();
    expect(outcome.kind).toBe('sent');
    expect(server!.accepted()[0]!.raw.toString('latin1')).toBe(raw.toString('latin1').replace(/\n/g, '\r\n') + '\r\n');
  });

  it('sends the envelope and a big message’s body while the go-ahead is pending, and the final dot only once it comes', async () => {
    let halfway!: () => void;
    const seen = new Promise<void>((resolve) => (halfway = resolve));
    // Big enough (200 KB) to start to go before its go-ahead; a small one goes whole with its dot.
    const raw = Buffer.concat([rawMessage('ann@example.com'), Buffer.from(`${'x'.repeat(76)}\r\n`.repeat(2600))]);
    const relay = await setup({ onBytes: (n) => n > raw.length / 2 && halfway() });
    const pool = openRelayPool(ctx, relay, { resolver: localResolver });
    let go!: (ok: boolean) => void;
    const sending = pool.sendWhen({ raw, envelope: { from: 'shop@example.com', to: ['ann@example.com'] } }, undefined, new Promise<boolean>((r) => (go = r)));
    await seen;
    // The relay has most of the message, but without its final dot it can't have taken it.
    await new Promise((r) => setTimeout(r, 50));
    expect(server!.received).toHaveLength(0);
    go(true);
    const outcome = await sending;
    await pool.close();
    expect(outcome).toMatchObject({ kind: 'sent', code: 250 });
    expect(server!.accepted()).toHaveLength(1);
    expect(server!.accepted()[0]!.raw.equals(raw)).toBe(true);
  });

  it('never ends a message whose go-ahead says no: the relay drops it, the slot is freed, the next message goes on a fresh connection', async () => {
    const relay = await setup({}, { limits: { connections: 1 } });
    const pool = openRelayPool(ctx, relay, { resolver: localResolver });
    const released: string[] = [];
    const slot = { settled: false, settle: () => released.push('settled'), release: () => released.push('released') };
    const held = await pool.sendWhen({ raw: rawMessage('ann@example.com'), envelope: { from: 'shop@example.com', to: ['ann@example.com'] } }, slot, Promise.resolve(false));
    expect(held).toBeNull();
    expect(released).toEqual(['released']);
    const failedCommit = await pool.sendWhen({ raw: rawMessage('cy@example.com'), envelope: { from: 'shop@example.com', to: ['cy@example.com'] } }, undefined, Promise.reject(new Error('disk full')));
    expect(failedCommit).toBeNull();
    const next = await pool.send({ raw: rawMessage('bob@example.com'), envelope: { from: 'shop@example.com', to: ['bob@example.com'] } });
    await pool.close();
    expect(next.kind).toBe('sent');
    expect(server!.accepted().map((m) => m.to)).toEqual([['bob@example.com']]);
    expect(server!.received).toHaveLength(1);
  });

  it('defers a 450 twice and then sends on the third attempt', async () => {
    const relay = await setup({ script: (_rcpt, n) => (n <= 2 ? { at: 'rcpt', code: 450, text: '4.2.1 Mailbox busy, try later' } : 'accept') });
    const pool = openRelayPool(ctx, relay);
    const msg = { raw: rawMessage('bob@example.com'), envelope: { from: 'shop@example.com', to: ['bob@example.com'] } };
    const outcomes: SmtpOutcome[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await pool.send(msg));
    await pool.close();
    expect(outcomes.map((o) => o.kind)).toEqual(['deferred', 'deferred', 'sent']);
    expect(outcomes[0]).toMatchObject({ code: 450, enhanced: '4.2.1', maybeDelivered: false });
    expect(server!.accepted()).toHaveLength(1);
  });

  it('keeps using the same connection after a refused recipient', async () => {
    const relay = await setup({ script: (rcpt) => (rcpt.startsWith('bad') ? { at: 'rcpt', code: 550, text: '5.1.1 User unknown' } : 'accept') }, { limits: { connections: 1 } });
    const pool = openRelayPool(ctx, relay);
    const a = await pool.send({ raw: rawMessage('bad@example.com'), envelope: { from: 'shop@example.com', to: ['bad@example.com'] } });
    const b = await pool.send({ raw: rawMessage('good@example.com'), envelope: { from: 'shop@example.com', to: ['good@example.com'] } });
    await pool.close();
    expect(a.kind).toBe('failed');
    expect(b.kind).toBe('sent');
    expect(server!.maxConnections).toBe(1);
  });

  it('fails a 550 at once and keeps the server’s words', async () => {
    const relay = await setup({ script: () => ({ at: 'rcpt', code: 550, text: "5.1.1 The email account that you tried to reach does not exist." }) });
    const outcome = await send(relay, 'nobody@example.com');
    expect(outcome).toEqual({ kind: 'failed', code: 550, enhanced: '5.1.1', response: "550 5.1.1 The email account that you tried to reach does not exist." });
  });

  it('reports a 421 that closes the connection as throttling', async () => {
    const relay = await setup({ script: () => ({ at: 'data', code: 421, text: '4.7.0 Try again later, closing connection.' }) });
    const outcome = await send(relay, 'carl@example.com');
    expect(outcome).toMatchObject({ kind: 'throttled', code: 421, enhanced: '4.7.0', attempted: true });
  });

  it('defers a message whose connection dropped after the final dot, flagged as maybe delivered', async () => {
    const relay = await setup({ script: () => 'drop-after-dot' });
    const outcome = await send(relay, 'dora@example.com');
    expect(outcome).toMatchObject({ kind: 'deferred', maybeDelivered: true });
    expect(server!.received).toHaveLength(1);
  });

  it('gives up on a relay that stalls after the message, within the socket timeout', async () => {
    const relay = await setup({ script: () => 'stall' });
    const started = Date.now();
    const outcome = await send(relay, 'eve@example.com', { timeouts: { socketMs: 500 } });
    expect(outcome).toMatchObject({ kind: 'deferred', maybeDelivered: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up at the hard send deadline even when the server keeps the line busy', async () => {
    const relay = await setup({ script: () => 'stall' });
    const outcome = await send(relay, 'fay@example.com', { timeouts: { sendMs: 400, socketMs: 60_000 } });
    expect(outcome.kind).toBe('deferred');
    expect(outcome.response).toContain("didn't confirm the message in time");
  });

  it('reports a refused login (535) as an authentication problem, not an attempt', async () => {
    process.env.POSTROOM_TEST_PW = 'wrong';
    const relay = await setup({ auth: { user: 'shop', pass: 'right' } }, { user: 'shop', passwordEnv: 'POSTROOM_TEST_PW' });
    const outcome = await send(relay, 'gus@example.com');
    expect(outcome).toMatchObject({ kind: 'auth', code: 535, enhanced: '5.7.8' });
    expect(server!.received).toHaveLength(0);
  });

  it('logs in with a stored password, decrypted only when connecting', async () => {
    const relay = await setup({ auth: { user: 'shop', pass: 's3cret pass' } }, { user: 'shop', password: 's3cret pass' });
    expect((await send(relay, 'hal@example.com')).kind).toBe('sent');
    expect(server!.logins[0]).toMatchObject({ user: 'shop', secret: 's3cret pass' });
  });

  it('reads a --password-env variable when it connects, not when the relay was saved', async () => {
    delete process.env.POSTROOM_TEST_LATE;
    const relay = await setup({ auth: { user: 'shop', pass: 'late' } }, { user: 'shop', passwordEnv: 'POSTROOM_TEST_LATE' });
    const missing = await send(relay, 'ida@example.com');
    expect(missing.kind).toBe('auth');
    expect(missing.response).toContain('POSTROOM_TEST_LATE');
    process.env.POSTROOM_TEST_LATE = 'late';
    expect((await send(relay, 'ida@example.com')).kind).toBe('sent');
    delete process.env.POSTROOM_TEST_LATE;
  });

  it('asks for a sign-in, without logging in, when an OAuth2 relay was never signed in', async () => {
    const relay = await setup({}, { user: 'me@example.com', auth: 'oauth2', oauthIssuer: 'https://login.example.com' });
    expect(await send(relay, 'jo@example.com')).toMatchObject({ kind: 'auth', signIn: true, response: expect.stringMatching(/needs you to sign in/) });
    expect(server!.logins).toHaveLength(0);
    expect(server!.received).toHaveLength(0);
  });

  it('refuses a self-signed certificate unless told to trust it', async () => {
    const relay = await setup({ tls: { ...cert, secure: true } }, { host: 'localhost', security: 'tls' });
    const refused = await send(relay, 'kim@example.com');
    expect(refused).toMatchObject({ kind: 'unreachable', stage: 'tls' });
    expect(server!.received).toHaveLength(0);
    const trusted = await send(relay, 'kim@example.com', { tls: { ca: cert.cert } });
    expect(trusted.kind).toBe('sent');
  });

  it('sends over STARTTLS to a self-signed server when the relay accepts self-signed certificates', async () => {
    const relay = await setup({ tls: { ...cert, secure: false } }, { host: 'localhost', security: 'starttls', acceptSelfSigned: true });
    expect((await send(relay, 'lou@example.com')).kind).toBe('sent');
  });

  it('will not send in plain text when STARTTLS is required but not offered', async () => {
    const relay = await setup({}, { security: 'starttls' });
    const outcome = await send(relay, 'max@example.com');
    expect(outcome).toMatchObject({ kind: 'unreachable', stage: 'tls' });
    expect(server!.received).toHaveLength(0);
  });

  it('reports a refused connection as unreachable (tcp), not as an attempt', async () => {
    ctx = makeContext();
    const port = await freePort();
    const relay = createRelay(ctx, { name: 'gone', host: '127.0.0.1', port, security: 'none' });
    const outcome = await send(relay, 'ned@example.com');
    expect(outcome).toMatchObject({ kind: 'unreachable', stage: 'tcp' });
    expect(outcome.response).toContain('refused');
  });

  it('reports a host that does not exist as unreachable (dns)', async () => {
    ctx = makeContext();
    const relay = createRelay(ctx, { name: 'typo', host: 'smtp.nowhere.invalid', port: 587 });
    const outcome = await send(relay, 'oz@example.com');
    expect(outcome).toMatchObject({ kind: 'unreachable', stage: 'dns' });
    expect(outcome.response).toContain('smtp.nowhere.invalid');
  });

  it('treats a resolver that hangs as a DNS failure after the DNS timeout', async () => {
    ctx = makeContext();
    const relay = createRelay(ctx, { name: 'slow-dns', host: 'smtp.example.test', port: 587 });
    const outcome = await send(relay, 'pat@example.com', { resolver: () => new Promise(() => {}), timeouts: { dnsMs: 200 } });
    expect(outcome).toMatchObject({ kind: 'unreachable', stage: 'dns' });
  });

  it('prefers a host’s IPv4 address to its IPv6 one', async () => {
    const relay = await setup({}, { host: 'smtp.example.test' });
    const outcome = await send(relay, 'quinn@example.com', { resolver: async () => ['::1', '127.0.0.1'] });
    expect(outcome.kind).toBe('sent');
  });

  it('never opens more connections than allowed, however many sends wait', async () => {
    const relay = await setup({}, { limits: { connections: 2 } });
    const pool = openRelayPool(ctx, relay);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => pool.send({ raw: rawMessage(`r${i}@example.com`), envelope: { from: 'shop@example.com', to: [`r${i}@example.com`] } })),
    );
    await pool.close();
    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    expect(server!.maxConnections).toBeLessThanOrEqual(2);
    expect(server!.accepted()).toHaveLength(12);
  });

  it('closes extra connections when told to use fewer', async () => {
    const relay = await setup({}, { limits: { connections: 4 } });
    const pool = openRelayPool(ctx, relay);
    const burst = () => Promise.all(Array.from({ length: 8 }, (_, i) => pool.send({ raw: rawMessage(`s${i}@example.com`), envelope: { from: 'shop@example.com', to: [`s${i}@example.com`] } })));
    await burst();
    expect(pool.open).toBeGreaterThan(1);
    pool.setConnections(1);
    expect(pool.open).toBeLessThanOrEqual(1);
    await burst();
    expect(pool.open).toBeLessThanOrEqual(1);
    await pool.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('the relay pool, when the relay ends sessions', () => {
  it('opens a fresh connection after the relay closed an idle one, without counting an attempt', async () => {
    const relay = await setup({}, { limits: { connections: 1 } });
    const pool = openRelayPool(ctx, relay, { timeouts: { idleMs: 60_000 } });
    const msg = (to: string) => ({ raw: rawMessage(to), envelope: { from: 'shop@example.com', to: [to] } });
    expect((await pool.send(msg('a@example.com'))).kind).toBe('sent');
    await server!.closeConnections();
    await new Promise((r) => setTimeout(r, 100));
    expect((await pool.send(msg('b@example.com'))).kind).toBe('sent');
    await pool.close();
    expect(server!.accepted().map((m) => m.to[0])).toEqual(['a@example.com', 'b@example.com']);
  });

  it('retries on a fresh connection when the relay closes a reused one just as a message starts', async () => {
    const relay = await setup({}, { limits: { connections: 1 } });
    const pool = openRelayPool(ctx, relay, { timeouts: { idleMs: 60_000 } });
    const msg = (to: string) => ({ raw: rawMessage(to), envelope: { from: 'shop@example.com', to: [to] } });
    expect((await pool.send(msg('a@example.com'))).kind).toBe('sent');
    void server!.closeConnections();
    expect((await pool.send(msg('b@example.com'))).kind).toBe('sent');
    await pool.close();
    expect(server!.accepted()).toHaveLength(2);
  });

  it('reports a 421 greeting as throttling that was not an attempt', async () => {
    const relay = await setup({ greeting: { code: 421, text: '4.7.0 Too many connections from your IP, try again later' } });
    expect(await send(relay, 'q@example.com')).toMatchObject({ kind: 'throttled', code: 421, attempted: false });
  });

  it('reports "530 authentication required" for a relay saved without a login as an authentication problem', async () => {
    const relay = await setup({ script: () => ({ at: 'rcpt', code: 530, text: '5.7.0 Authentication required' }) });
    expect(await send(relay, 'r@example.com')).toMatchObject({ kind: 'auth', code: 530 });
  });
});

describe('dot-stuffing', () => {
  const stuff = (s: string) => dotStuffed(Buffer.from(s, 'latin1'))?.toString('latin1') ?? null;

  it('doubles a dot that starts a line, the first line included, and leaves other dots alone', () => {
    expect(stuff('.a\r\nb.c\r\n.\r\n..d\r\n')).toBe('..a\r\nb.c\r\n..\r\n...d\r\n');
    expect(stuff('plain\r\ntext\r\n')).toBe('plain\r\ntext\r\n');
  });

  it('leaves a message with bare CR or LF, or without a final line end, to SMTPConnection', () => {
    expect(stuff('a\nb\r\n')).toBeNull();
    expect(stuff('a\rb\r\n')).toBeNull();
    expect(stuff('a\r\nb')).toBeNull();
  });
});
