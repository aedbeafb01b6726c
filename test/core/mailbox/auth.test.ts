import { afterEach, describe, expect, it } from 'vitest';
import { makeContext, type TestContext } from '../relay/helpers';
import { mailboxAuth } from '../../../electron/core/mailbox/auth';
import { startSignIn } from '../../../electron/core/relay/oauth';
import { CLIENT_ID, signInOverHttp, startAuthServer } from '../../oauth-fixture';
import { createMailbox } from '../../../electron/core/mailbox/store';
import { createRelay } from '../../../electron/core/relay';

let ctx: TestContext | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  ctx?.cleanup();
});

describe('how a mailbox logs in', () => {
  it('reads the password from its environment variable at the time, and says which variable is missing', async () => {
    ctx = makeContext();
    const m = createMailbox(ctx, { name: 'b', host: 'imap.example.test', user: 'u@example.test', passwordEnv: 'IMAP_PW' });
    await expect(mailboxAuth(ctx, m, undefined, { IMAP_PW: 's3cret' })).resolves.toEqual({ user: 'u@example.test', pass: 's3cret' });
    await expect(mailboxAuth(ctx, m, undefined, {})).rejects.toThrow(/environment variable IMAP_PW, which is not set/);
  });

  it('unseals a stored password, and never keeps it in plain text', async () => {
    ctx = makeContext();
    const m = createMailbox(ctx, { name: 'b', host: 'imap.example.test', user: 'u@example.test', password: 'pw-in-keychain' });
    await expect(mailboxAuth(ctx, m)).resolves.toEqual({ user: 'u@example.test', pass: 'pw-in-keychain' });
    const raw = ctx.db.prepare(`SELECT secret_sealed FROM mailboxes`).pluck().get() as Buffer;
    expect(raw.toString('latin1')).not.toContain('pw-in-keychain');
  });

  it("uses the relay's sign-in as { user, accessToken }: a token the provider accepts, and AUTH_FAILED before signing in", async () => {
    const auth = await startAuthServer({ accessTtlSeconds: 60 });
    cleanups.push(() => auth.close());
    ctx = makeContext();
    createRelay(ctx, { name: 'm365', host: '127.0.0.1', port: 2525, security: 'starttls', auth: 'oauth2', oauthIssuer: auth.issuer, oauthClientId: CLIENT_ID });
    const m = createMailbox(ctx, { name: 'b', host: '127.0.0.1', user: 'ann@example.test', oauthFrom: 'm365' });
    await expect(mailboxAuth(ctx, m)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const attempt = await startSignIn(ctx, 'm365', { timeoutMs: 20_000 });
    await signInOverHttp(attempt.url, { login: 'ann' });
    await attempt.done;
    const login = await mailboxAuth(ctx, m);
    expect(login).toMatchObject({ user: 'ann@example.test' });
    expect(await auth.introspect((login as { accessToken: string }).accessToken)).toMatchObject({ active: true, sub: 'ann' });
  });
});
