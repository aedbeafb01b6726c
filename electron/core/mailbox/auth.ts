/**
 * Where a mailbox's login comes from: its own password (sealed in the database, or an environment variable read
 * now), or the OAuth2 sign-in of a relay (Microsoft 365 IMAP takes only OAuth2).
 */
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import type { ImapFlow } from 'imapflow';
import { connectImap, type MailboxAuth } from './imap';
import { getAccessToken } from '../relay/oauth';
import { sealedSecret, type MailboxRecord } from './store';
import { mailboxError } from './notes';

/** The login for a mailbox, now. Throws AUTH_FAILED (a missing password, or a sign-in to renew). */
export async function mailboxAuth(ctx: CoreContext, m: MailboxRecord, draftPassword?: string, env: NodeJS.ProcessEnv = process.env): Promise<MailboxAuth> {
  if (m.auth === 'oauth2') {
    // The relay's sign-in (relay/oauth.ts) renews the token when it is near its end; AUTH_FAILED when the person
    // must sign in again.
    return { user: m.user, accessToken: await getAccessToken(ctx, m.oauthRelay ?? '') };
  }
  if (draftPassword !== undefined) return { user: m.user, pass: draftPassword };
  if (m.secretEnv) {
    const pass = env[m.secretEnv];
    if (!pass) {
      throw mailboxError('AUTH_FAILED.mailboxEnvUnset', { mailbox: m.name, env: m.secretEnv });
    }
    return { user: m.user, pass };
  }
  const sealed = sealedSecret(ctx.db, m.id);
  if (!sealed) throw mailboxError('AUTH_FAILED.mailboxNoPassword', { mailbox: m.name });
  try {
    return { user: m.user, pass: ctx.secrets.decrypt(sealed) };
  } catch {
    throw mailboxError('AUTH_FAILED.mailboxPasswordUnreadable', { mailbox: m.name });
  }
}

/**
 * A logged-in connection to a mailbox. A server may refuse a signed-in mailbox's token before the expiry it was
 * issued with (revoked, or the provider rotated its keys): then the token is renewed once (relay/oauth.ts, with
 * `refused`, so a token another process renewed meanwhile is taken instead) and the login tried again, as the
 * relay does for SMTP. A second refusal, or a renewal the provider refuses, is AUTH_FAILED for a person to act on.
 */
export async function connectMailbox(
  ctx: CoreContext,
  m: MailboxRecord,
  opts: { draftPassword?: string; env?: NodeJS.ProcessEnv; auth?: MailboxAuth } = {},
): Promise<ImapFlow> {
  const auth = opts.auth ?? (await mailboxAuth(ctx, m, opts.draftPassword, opts.env));
  try {
    return await connectImap(m, auth);
  } catch (err) {
    if (opts.auth || m.auth !== 'oauth2' || !('accessToken' in auth) || !(err instanceof PostroomError) || err.code !== 'AUTH_FAILED') throw err;
    const renewed = await getAccessToken(ctx, m.oauthRelay ?? '', { refused: auth.accessToken, ...(opts.env ? { env: opts.env } : {}) });
    return connectImap(m, { user: m.user, accessToken: renewed });
  }
}
