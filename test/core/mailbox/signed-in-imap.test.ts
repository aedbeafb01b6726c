/**
 * A mailbox that logs in with its relay's sign-in (Microsoft 365 IMAP takes only OAuth2), against a real IMAP server
 * (Dovecot) that checks every XOAUTH2 token with a real authorization server (oidc-provider) by introspection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeContext, manualClock, type TestContext } from '../relay/helpers';
import { startSignIn, getAccessToken } from '../../../electron/core/relay/oauth';
import { CLIENT_ID, signInOverHttp, startAuthServer } from '../../oauth-fixture';
import { createMailbox } from '../../../electron/core/mailbox/store';
import { checkMailbox } from '../../../electron/core/mailbox/checker';
import { createRelay } from '../../../electron/core/relay';
import { startDovecot } from './dovecot';

let ctx: TestContext | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  ctx?.cleanup();
});

async function signedIn(accessTtlSeconds = 3600) {
  const auth = await startAuthServer({ accessTtlSeconds });
  cleanups.push(() => auth.close());
  const imap = await startDovecot({ oauth: { introspectionUrl: auth.introspectionUrl } });
  cleanups.push(() => imap.stop());
  // Postroom's clock stands still: the tokens it holds never look due for renewal to it.
  ctx = makeContext({ clock: manualClock(Date.now()) });
  createRelay(ctx, { name: 'm365', host: '127.0.0.1', port: 2525, security: 'starttls', auth: 'oauth2', oauthIssuer: auth.issuer, oauthClientId: CLIENT_ID });
  const attempt = await startSignIn(ctx, 'm365', { timeoutMs: 20_000 });
  await signInOverHttp(attempt.url, { login: 'ann@example.test' });
  await attempt.done;
  const m = createMailbox(ctx, { name: 'inbox', host: imap.host, port: imap.port, security: 'none', user: 'ann@example.test', oauthFrom: 'm365' });
  return { auth, imap, m, ctx };
}

describe('a mailbox signed in through its relay', () => {
  it('logs in with XOAUTH2, and when the server refuses a token before its expiry, renews it once and carries on', async () => {
    const { auth, m, ctx } = await signedIn(6);
    await expect(checkMailbox(ctx, m)).resolves.toMatchObject({ mailbox: 'inbox', read: 0 });

    // The token ends at the provider while Postroom's clock says it has time left (a clock behind, a laptop that
    // slept): Dovecot refuses it. (The renewed token lives 6 s too: long enough for Dovecot's delay of about 2 s
    // on a login after a refused one, its auth penalty.)
    const token = await getAccessToken(ctx, 'm365');
    await new Promise((r) => setTimeout(r, 6500));
    expect(await auth.introspect(token)).toMatchObject({ active: false });
    const before = auth.refreshes;
    await expect(checkMailbox(ctx, m)).resolves.toMatchObject({ mailbox: 'inbox', read: 0 });
    expect(auth.refreshes - before).toBe(1);
    const renewed = await getAccessToken(ctx, 'm365');
    expect(renewed).not.toBe(token);
    expect(await auth.introspect(renewed)).toMatchObject({ active: true, sub: 'ann@example.test' });
  });

  it('says to sign in again (not that the password is wrong) when the provider has withdrawn the whole grant', async () => {
    const { auth, m, ctx } = await signedIn();
    const token = await getAccessToken(ctx, 'm365');
    const refresh = ctx.db.prepare(`SELECT refresh_sealed FROM relay_oauth`).pluck().get() as Buffer;
    await auth.revoke(ctx.secrets.decrypt(refresh));
    expect(await auth.introspect(token)).toMatchObject({ active: false });
    await expect(checkMailbox(ctx, m)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/sign in .* again/) });
  });
});
