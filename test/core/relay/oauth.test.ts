import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, getRelay, openRelayPool } from '../../../electron/core/relay';
import { getAccessToken, startSignIn } from '../../../electron/core/relay/oauth';
import { claimRenewal, readOAuth, storeRenewal } from '../../../electron/core/relay/oauth-store';
import { oauthSummary } from '../../../electron/core/relay/oauth-summary';
import type { PostroomError } from '../../../shared/result';
import { CLIENT_ID, signInOverHttp, startAuthServer, startXOAuthSmtp } from '../../oauth-fixture';
import { makeContext, type TestContext } from './helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function world(opts: { accessTtlSeconds?: number; smtp?: Parameters<typeof startXOAuthSmtp>[1] } = {}) {
  const auth = await startAuthServer({ accessTtlSeconds: opts.accessTtlSeconds ?? 3 });
  cleanups.push(() => auth.close());
  const smtp = await startXOAuthSmtp(auth, opts.smtp);
  cleanups.push(() => smtp.close());
  const ctx = makeContext();
  cleanups.push(() => ctx.cleanup());
  createRelay(ctx, {
    name: 'office',
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    auth: 'oauth2',
    oauthIssuer: auth.issuer,
    oauthClientId: CLIENT_ID,
    limits: { connections: 2 },
  });
  return { auth, smtp, ctx };
}

async function signIn(ctx: TestContext, options: Parameters<typeof signInOverHttp>[1] = {}) {
  const a = await startSignIn(ctx, 'office', { timeoutMs: 20_000 });
  const page = await signInOverHttp(a.url, options);
  const result = await a.done.then(
    (v) => ({ ok: true as const, ...v }),
    (e: PostroomError) => ({ ok: false as const, error: e }),
  );
  return { attempt: a, page, result };
}

/** Every file in the data folder, as bytes (the database, its WAL, the key file). */
function dataBytes(dir: string): Buffer {
  return Buffer.concat(fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name))));
}

function sealedRefresh(ctx: TestContext): string {
  return ctx.secrets.decrypt(readOAuth(ctx, getRelay(ctx, 'office').id)!.refresh_sealed!);
}

describe('signing in to a relay (authorization code + PKCE + loopback redirect)', () => {
  it('signs in through the provider’s login and consent pages, fills in the address, and keeps the tokens sealed', async () => {
    const { ctx, auth } = await world();
    const { attempt, page, result } = await signIn(ctx, { login: 'ann' });
    expect(result).toEqual({ ok: true, address: 'ann@example.test' });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/Signed in/);
    // PKCE S256 and a loopback redirect on 127.0.0.1, as RFC 8252 asks of a native app.
    const url = new URL(attempt.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    const relay = getRelay(ctx, 'office');
    expect(relay.user).toBe('ann@example.test');
    expect(oauthSummary(ctx, relay)).toMatchObject({ signedIn: true, oauth: { signedInAs: 'ann@example.test', clientIdSource: 'relay', problem: null } });
    const token = await getAccessToken(ctx, 'office');
    expect(await auth.introspect(token)).toMatchObject({ active: true, sub: 'ann' });
    const bytes = dataBytes(ctx.dataDir);
    expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(bytes.includes(Buffer.from(sealedRefresh(ctx)))).toBe(false);
  });

  it('refuses an answer whose state does not match, with a sentence that says so', async () => {
    const { ctx } = await world();
    const { page, result } = await signIn(ctx, { tamperState: true });
    expect(result.ok).toBe(false);
    expect(page.status).toBe(400);
    const e = (result as { error: PostroomError }).error;
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toMatch(/did not match the sign-in Postroom started/);
    expect(oauthSummary(ctx, getRelay(ctx, 'office')).signedIn).toBe(false);
  });

  it('refuses a declined consent, saying what to do', async () => {
    const { ctx } = await world();
    const { result } = await signIn(ctx, { decline: true });
    expect(result.ok).toBe(false);
    expect((result as { error: PostroomError }).error.message).toMatch(/was declined.*Sign in again/);
    expect(oauthSummary(ctx, getRelay(ctx, 'office')).signedIn).toBe(false);
  });

  it('finds a plain OAuth 2.0 server by its RFC 8414 metadata (no OpenID Connect), keeping the relay’s own user', async () => {
    const auth = await startAuthServer({ plainOAuth: true });
    cleanups.push(() => auth.close());
    expect((await fetch(`${auth.issuer}/.well-known/openid-configuration`)).status).toBe(404);
    const ctx = makeContext();
    cleanups.push(() => ctx.cleanup());
    createRelay(ctx, { name: 'plain', host: '127.0.0.1', port: 2525, security: 'none', user: 'ann@example.test', auth: 'oauth2', oauthIssuer: auth.issuer, oauthClientId: CLIENT_ID, oauthScope: 'smtp offline_access' });
    const a = await startSignIn(ctx, 'plain', { timeoutMs: 20_000 });
    await signInOverHttp(a.url, { login: 'ann' });
    await expect(a.done).resolves.toEqual({ address: 'ann@example.test' });
    expect(await auth.introspect(await getAccessToken(ctx, 'plain'))).toMatchObject({ active: true, sub: 'ann' });
  });

  it('stops waiting when nobody signs in in time', async () => {
    const { ctx } = await world();
    const a = await startSignIn(ctx, 'office', { timeoutMs: 300 });
    await expect(a.done).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/stopped waiting/) });
  });
});

describe('access tokens', () => {
  it('are renewed ahead of expiry, one renewal at a time, with the rotated refresh token stored', async () => {
    const { ctx, auth } = await world({ accessTtlSeconds: 2 });
    await signIn(ctx);
    const first = await getAccessToken(ctx, 'office');
    const refresh1 = sealedRefresh(ctx);
    await new Promise((r) => setTimeout(r, 1700)); // within the last quarter of its life
    // Twenty callers at once, and a second "process" (its own database connection) too: one renewal.
    const other = makeContext({ dir: ctx.dataDir });
    cleanups.push(() => void other.db.close());
    const tokens = await Promise.all([...Array.from({ length: 20 }, () => getAccessToken(ctx, 'office')), getAccessToken(other, 'office')]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(first);
    expect(auth.refreshes).toBe(1);
    expect(sealedRefresh(ctx)).not.toBe(refresh1); // rotated, and the new one is what is stored
    expect(await auth.introspect(tokens[0]!)).toMatchObject({ active: true });
    // The grant is still good (no replayed refresh token revoked it): the next renewal works.
    const again = await getAccessToken(ctx, 'office', { refused: tokens[0] });
    expect(again).not.toBe(tokens[0]);
    expect(auth.refreshes).toBe(2);
  });

  it('waits while another process holds the renewal lease, then uses the token it stored', async () => {
    const { ctx, auth } = await world({ accessTtlSeconds: 2 });
    await signIn(ctx);
    await new Promise((r) => setTimeout(r, 1700));
    const id = getRelay(ctx, 'office').id;
    // Another Postroom (the desktop app while `send` runs) is renewing: it holds the lease in the database.
    const mark = claimRenewal(ctx, id, Date.now(), 60_000)!;
    expect(mark).not.toBeNull();
    let got: string | undefined;
    const waiting = getAccessToken(ctx, 'office').then((t) => (got = t));
    await new Promise((r) => setTimeout(r, 400));
    expect(got).toBeUndefined();
    expect(auth.refreshes).toBe(0);
    // It finishes: its new token is stored and the lease ends. The waiting caller takes that token, renewing nothing.
    storeRenewal(ctx, id, { refreshSealed: null, accessSealed: ctx.secrets.encrypt('token-from-the-other-process'), issuedAt: Date.now(), expiresAt: Date.now() + 60_000 });
    await waiting;
    expect(got).toBe('token-from-the-other-process');
    expect(auth.refreshes).toBe(0);
  });

  it('when the provider can’t be reached, says so as a passing problem and keeps the sign-in', async () => {
    const { ctx, auth } = await world();
    await signIn(ctx);
    await auth.close();
    ctx.db.prepare(`UPDATE relay_oauth SET access_expires_at = ?`).run(Date.now() - 1000);
    await expect(getAccessToken(ctx, 'office')).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE', message: expect.stringMatching(/Couldn't renew the sign-in of relay "office"/) });
    expect(oauthSummary(ctx, getRelay(ctx, 'office'))).toMatchObject({ signedIn: true, oauth: { problem: null } });
  });

  it('after the provider refuses a renewal, the relay needs a sign-in and says why', async () => {
    const { ctx, auth } = await world();
    await signIn(ctx);
    await auth.revoke(sealedRefresh(ctx));
    const err = await getAccessToken(ctx, 'office', { refused: await getAccessToken(ctx, 'office') }).catch((e: PostroomError) => e);
    expect(err).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/needs you to sign in .* again.*refused to renew/) });
    expect(oauthSummary(ctx, getRelay(ctx, 'office'))).toMatchObject({ signedIn: false, oauth: { problem: expect.stringMatching(/invalid_grant/) } });
    await signIn(ctx);
    expect(oauthSummary(ctx, getRelay(ctx, 'office'))).toMatchObject({ signedIn: true, oauth: { problem: null } });
  });
});

describe('sending with XOAUTH2', () => {
  for (const style of ['google', 'microsoft'] as const) {
    it(`renews a refused token and logs in again without losing the message (server refusing like ${style})`, async () => {
      const { ctx, auth, smtp } = await world({ accessTtlSeconds: 2, smtp: { refuseLike: style, messagesPerSession: 1 } });
      await signIn(ctx);
      const pool = openRelayPool(ctx, getRelay(ctx, 'office'));
      cleanups.push(() => pool.close());
      const msg = (to: string) => ({ raw: Buffer.from(`Subject: hi\r\n\r\nhello\r\n`), envelope: { from: 'ann@example.test', to: [to] } });
      expect((await pool.send(msg('a@example.com'))).kind).toBe('sent');
      // The provider revokes nothing, but the stored token is now one the server will refuse: it expired
      // while the database said it was fresh (a clock that jumped, a token revoked on its own).
      const id = getRelay(ctx, 'office').id;
      ctx.db.prepare(`UPDATE relay_oauth SET access_expires_at = ? WHERE relay_id = ?`).run(Date.now() + 3_600_000, id);
      await new Promise((r) => setTimeout(r, 2300));
      const before = auth.refreshes;
      expect(await pool.send(msg('b@example.com'))).toMatchObject({ kind: 'sent' });
      expect(smtp.logins.refused).toBeGreaterThanOrEqual(1);
      expect(auth.refreshes).toBe(before + 1);
      expect(smtp.delivered).toEqual(['a@example.com', 'b@example.com']);
    });
  }

  it('a refused renewal is an auth outcome that asks for a sign-in, not a failure', async () => {
    const { ctx, auth } = await world({ smtp: { messagesPerSession: 1 } });
    await signIn(ctx);
    await auth.revoke(sealedRefresh(ctx));
    const pool = openRelayPool(ctx, getRelay(ctx, 'office'));
    cleanups.push(() => pool.close());
    const o = await pool.send({ raw: Buffer.from('Subject: x\r\n\r\ny\r\n'), envelope: { from: 'ann@example.test', to: ['c@example.com'] } });
    expect(o, JSON.stringify(o)).toMatchObject({ kind: 'auth', signIn: true, response: expect.stringMatching(/sign in .* again/) });
  });
});
