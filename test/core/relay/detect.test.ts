import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { defaultCandidates, detectRelaySettings, isLocalHost, splitHostPort } from '../../../electron/core/relay/detect';
import type { RelayCreate } from '../../../shared/contract/relays';
import { localResolver, makeContext, selfSignedCert, startServer, type ScriptedServer, type TestContext } from './helpers';

let ctx: TestContext;
const servers: ScriptedServer[] = [];
let cert: { key: Buffer; cert: Buffer };
beforeAll(() => {
  cert = selfSignedCert();
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  ctx?.cleanup();
});

const auth = { user: 'shop@shop.test', pass: 'pw' };
async function server(options: Parameters<typeof startServer>[0]) {
  const s = await startServer({ auth, ...options });
  servers.push(s);
  return s.port;
}
/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
const draft = (host: string, over: Partial<RelayCreate> = {}): RelayCreate => ({ name: 'Shop', host, user: auth.user, password: auth.pass, auth: 'password', acceptSelfSigned: true, ...over });

describe('finding the port and security of an SMTP server', () => {
  it('keeps the first pair that works, in order of preference (TLS, then STARTTLS, then unencrypted)', async () => {
    ctx = makeContext();
    const tls = await server({ tls: { ...cert, secure: true } });
    const starttls = await server({ tls: { ...cert, secure: false } });
    const plain = await server({});
    const all = [
      { port: tls, security: 'tls' as const },
      { port: starttls, security: 'starttls' as const },
      { port: plain, security: 'none' as const },
    ];
    const r = await detectRelaySettings(ctx, draft('localhost'), { candidates: all, resolver: localResolver, secret: auth.pass });
    expect(r).toMatchObject({ ok: true, host: 'localhost', port: tls, security: 'tls' });
    expect(r.tried.map((t) => t.ok)).toEqual([true, true, true]);

    // TLS port closed: STARTTLS is next.
    const withoutTls = [{ port: await closedPort(), security: 'tls' as const }, ...all.slice(1)];
    expect(await detectRelaySettings(ctx, draft('localhost'), { candidates: withoutTls, resolver: localResolver })).toMatchObject({ ok: true, port: starttls, security: 'starttls' });
  });

  it('tries unencrypted only for a server on this computer, or when asked', async () => {
    ctx = makeContext();
    const plain = await server({});
    const pairs = [
      { port: plain, security: 'tls' as const },
      { port: plain, security: 'starttls' as const },
      { port: plain, security: 'none' as const },
    ];
    const remote = await detectRelaySettings(ctx, draft('mail.shop.test'), { candidates: pairs, resolver: localResolver });
    expect(remote.ok).toBe(false);
    expect(remote.tried.map((t) => t.security)).toEqual(['tls', 'starttls']);
    // Asked for, unencrypted is tried; but a password never crosses the network in the clear (relay/profiles.ts).
    const asked = await detectRelaySettings(ctx, draft('mail.shop.test'), { candidates: pairs, resolver: localResolver, allowUnencrypted: true });
    expect(asked.ok).toBe(false);
    expect(asked.tried.map((t) => t.security)).toEqual(['tls', 'starttls', 'none']);
    const local = await detectRelaySettings(ctx, draft(`127.0.0.1:${plain}`), {});
    expect(local).toMatchObject({ ok: true, host: '127.0.0.1', security: 'none', port: plain });
  });

  it('says the password is wrong rather than that a port is closed', async () => {
    ctx = makeContext();
    const starttls = await server({ tls: { ...cert, secure: false } });
    const r = await detectRelaySettings(ctx, draft('localhost', { password: 'wrong' }), {
      candidates: [{ port: await closedPort(), security: 'tls' }, { port: starttls, security: 'starttls' }],
      resolver: localResolver,
    });
    expect(r).toMatchObject({ ok: false, step: 'auth' });
    expect(r.message).toMatch(/Couldn't log in to localhost as shop@shop\.test/);
  });

  it('reads "host:port", and knows which hosts are this computer', () => {
    expect(splitHostPort('mail.example.com:2525')).toEqual({ host: 'mail.example.com', port: 2525 });
    expect(splitHostPort('mail.example.com')).toEqual({ host: 'mail.example.com' });
    expect(splitHostPort('::1')).toEqual({ host: '::1' });
    expect(isLocalHost('127.0.0.1') && isLocalHost('localhost') && isLocalHost('::1')).toBe(true);
    expect(isLocalHost('smtp.example.com')).toBe(false);
    expect(defaultCandidates('smtp.example.com', undefined, false)).toEqual([
      { port: 465, security: 'tls' },
      { port: 587, security: 'starttls' },
      { port: 25, security: 'starttls' },
    ]);
  });
});
