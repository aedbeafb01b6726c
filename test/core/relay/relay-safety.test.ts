/**
 * Relay settings that would give a password away: `security: none` with a login to a host that isn't this
 * computer is refused; "accept a self-signed certificate" pins the certificate that was accepted (SHA-256), and a
 * different certificate later is refused before any password or message goes (real TLS smtp-servers).
 */
import crypto from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, getRelay, openRelayPool, resolveSecret, updateRelay, type RelayProfile } from '../../../electron/core/relay';
import { testRelay } from '../../../electron/core/relay/test-relay';
import { localResolver, makeContext, rawMessage, selfSignedCert, startServer, type ScriptedServer, type TestContext } from './helpers';

let ctx: TestContext;
const servers: ScriptedServer[] = [];
let certA: { key: Buffer; cert: Buffer };
let certB: { key: Buffer; cert: Buffer };

beforeAll(() => {
  certA = selfSignedCert();
  certB = selfSignedCert();
});

afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  ctx?.cleanup();
});

const fingerprint = (pem: Buffer) => new crypto.X509Certificate(pem).fingerprint256;

async function server(cert: { key: Buffer; cert: Buffer }): Promise<ScriptedServer> {
  const s = await startServer({ tls: { ...cert, secure: true }, auth: { user: 'ann', pass: 'the-password' } });
  servers.push(s);
  return s;
}

const send = (profile: RelayProfile, to = 'kim@example.com') => {
  const pool = openRelayPool(ctx, profile, { resolver: localResolver });
  return pool.send({ raw: rawMessage(to), envelope: { from: 'shop@example.com', to: [to] } }).finally(() => pool.close());
};

describe('a password never travels unencrypted', () => {
  it('refuses a relay with a password and security none to a host that is not this computer', () => {
    ctx = makeContext();
    for (const input of [
      { name: 'a', host: 'mail.example.com', port: 25, security: 'none' as const, user: 'ann', password: 'pw' },
      { name: 'b', host: '192.168.1.10', port: 25, security: 'none' as const, user: 'ann', passwordEnv: 'PW' },
    ]) {
      expect(() => createRelay(ctx, input)).toThrow(/would send its password to .* unencrypted \(security: none\).*Choose TLS or STARTTLS/);
    }
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(createRelay(ctx, { name: `local ${host}`, host, port: 25, security: 'none', user: 'ann', password: 'pw' }).security).toBe('none');
    }
    // No login, nothing to give away: allowed anywhere (a relay on a trusted network).
    expect(createRelay(ctx, { name: 'open', host: 'relay.lan.example', port: 25, security: 'none' }).auth).toBe('none');
    const tls = createRelay(ctx, { name: 'shop', host: 'mail.example.com', port: 465, security: 'tls', user: 'ann', password: 'pw' });
    expect(() => updateRelay(ctx, { relay: tls.name, security: 'none' })).toThrow(/unencrypted/);
    expect(getRelay(ctx, 'shop').security).toBe('tls');
  });

  it('never hands out the password of a relay saved that way before the rule, and the server sees no login', async () => {
    ctx = makeContext();
    const s = await startServer({ auth: { user: 'ann', pass: 'the-password' } });
    servers.push(s);
    createRelay(ctx, { name: 'old', host: 'localhost', port: s.port, security: 'none', user: 'ann', password: 'the-password' });
    // As an older Postroom could have saved it: a name that isn't loopback by its spelling.
    ctx.db.prepare(`UPDATE relays SET host = 'mail.test'`).run();
    const profile = getRelay(ctx, 'old');
    expect(() => resolveSecret(ctx, profile)).toThrow(/unencrypted/);
    expect(await send(profile)).toMatchObject({ kind: 'auth', response: expect.stringMatching(/unencrypted/) });
    expect(s.logins).toEqual([]);
    expect(s.received).toEqual([]);
  });
});

describe('accepting a self-signed certificate pins it', () => {
  it('shows the fingerprint in the test, pins it, sends with it, and refuses a different certificate before logging in', async () => {
    ctx = makeContext();
    const a = await server(certA);
    createRelay(ctx, { name: 'own', host: 'localhost', port: a.port, security: 'tls', user: 'ann', password: 'the-password', acceptSelfSigned: true });
    expect(getRelay(ctx, 'own').tlsFingerprint).toBeNull();
    const tested = await testRelay(ctx, getRelay(ctx, 'own'), { resolver: localResolver });
    expect(tested).toMatchObject({ ok: true, certificate: { fingerprint: fingerprint(certA.cert), trusted: false } });
    expect(tested.message).toContain(`self-signed, SHA-256 ${fingerprint(certA.cert)}`);
    expect(getRelay(ctx, 'own').tlsFingerprint).toBe(fingerprint(certA.cert));
    expect((await send(getRelay(ctx, 'own'))).kind).toBe('sent');

    // Same relay, another certificate (an impostor, or a new certificate nobody accepted).
    const b = await server(certB);
    updateRelay(ctx, { relay: 'own', port: b.port, tlsFingerprint: fingerprint(certA.cert) });
    const refused = await send(getRelay(ctx, 'own'));
    expect(refused).toMatchObject({ kind: 'unreachable', stage: 'tls' });
    expect(refused.response).toContain(`accepted SHA-256 ${fingerprint(certA.cert)}, now ${fingerprint(certB.cert)}`);
    expect(b.logins).toEqual([]);
    expect(b.received).toEqual([]);
    const test = await testRelay(ctx, getRelay(ctx, 'own'), { resolver: localResolver });
    expect(test).toMatchObject({ ok: false, step: 'tls', message: expect.stringMatching(/not the one accepted/) });
    // Nothing was re-pinned behind the person's back.
    expect(getRelay(ctx, 'own').tlsFingerprint).toBe(fingerprint(certA.cert));

    // The person accepts the new certificate (the fingerprint they were shown): it goes through again.
    updateRelay(ctx, { relay: 'own', tlsFingerprint: fingerprint(certB.cert) });
    expect((await send(getRelay(ctx, 'own'))).kind).toBe('sent');
    expect(b.logins).toHaveLength(1);
  });

  it('forgets the pin when certificates are verified again, and refuses the self-signed one then', async () => {
    ctx = makeContext();
    const a = await server(certA);
    createRelay(ctx, { name: 'own', host: 'localhost', port: a.port, security: 'tls', user: 'ann', password: 'the-password', acceptSelfSigned: true, tlsFingerprint: fingerprint(certA.cert) });
    expect((await send(getRelay(ctx, 'own'))).kind).toBe('sent');
    updateRelay(ctx, { relay: 'own', acceptSelfSigned: false });
    expect(getRelay(ctx, 'own').tlsFingerprint).toBeNull();
    expect(await send(getRelay(ctx, 'own'))).toMatchObject({ kind: 'unreachable', stage: 'tls' });
  });
});
