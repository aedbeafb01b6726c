/**
 * Signing in to a relay with OAuth 2.0, as a native app does (RFC 8252): the authorization-code flow with PKCE
 * (RFC 7636, S256), the redirect to a loopback port on 127.0.0.1 that this process listens on for one sign-in,
 * and issuer discovery (OpenID Connect Discovery, or RFC 8414's authorization-server metadata). The protocol
 * itself is openid-client's (certified, maintained); this module adds what Postroom needs around it:
 *
 * - tokens sealed with ctx.secrets like passwords, in `relay_oauth` (oauth-store.ts), never logged or returned;
 * - `getAccessToken`: a valid access token for a relay, renewed ahead of expiry, or at once when a server refused
 *   the one it had. Renewals run one at a time per relay, across processes too (a lease in the database), because
 *   providers rotate refresh tokens and revoke the whole grant when a used one is replayed; the new refresh token
 *   is stored before the new access token is handed out;
 * - a refused renewal (access revoked, password changed) marks the relay as needing a sign-in, with the reason.
 */
import crypto from 'node:crypto';
import type Http from 'node:http';
import { onFirstUse } from '../first-use';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import { codedError, type Sentences } from '../notes';
import { getRelay, type RelayProfile } from './profiles';
import { DEFAULT_SCOPES, defaultSignInApp, providerOfIssuer, providerOfPreset, type ProviderInfo } from './oauth-providers';
import { claimRenewal, forgetTokens, readOAuth, releaseRenewal, storeRenewal, storeSignIn, type OAuthRow } from './oauth-store';
import type * as OpenIdClientModule from 'openid-client';
import type { Configuration } from 'openid-client';

type OpenIdClient = typeof OpenIdClientModule;
let lib: Promise<OpenIdClient> | undefined;
/** Loaded on first use: most commands never sign in, and the command line starts faster without it. */
const openid = () => (lib ??= import('openid-client'));
// node:http only for a sign-in's loopback page, likewise.
const http = onFirstUse<typeof Http>('node:http');

/** What a relay signs in with, resolved (defaults filled in). */
export interface SignInSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  params: Record<string, string>;
  provider: ProviderInfo | null;
}

/** The words a person reads for a relay whose provider is known ("Microsoft"), or the issuer's host. */
const UNNAMED_PROVIDER = 'the sign-in provider';

function providerWords(p: ProviderInfo | null, issuer: string | null): string {
  if (p) return p.label;
  try {
    return issuer ? new URL(issuer).host : UNNAMED_PROVIDER;
  } catch {
    return UNNAMED_PROVIDER;
  }
}

/** The sign-in's sentences by code (electron/core/notes.ts). */
export const OAUTH_SENTENCES = {
  'AUTH_FAILED.needsSignIn': (p: { relay: string; provider: string }) => `Relay "${p.relay}" needs you to sign in to ${p.provider} again.`,
} satisfies Sentences;

/** Scopes as stored: '' = the provider's own (or the command line's default for other issuers). */
export function scopesOf(row: Pick<OAuthRow, 'scopes' | 'issuer'>, preset: string): string[] {
  if (row.scopes.trim()) return row.scopes.trim().split(/\s+/);
  return (providerOfIssuer(row.issuer) ?? providerOfPreset(preset))?.scopes ?? DEFAULT_SCOPES;
}

/** The issuer, client and scopes a relay signs in with. Throws when something a person must provide is missing. */
export function signInSettings(ctx: CoreContext, profile: RelayProfile, env: NodeJS.ProcessEnv = process.env): SignInSettings {
  const row = readOAuth(ctx, profile.id);
  const provider = providerOfIssuer(row?.issuer ?? null) ?? providerOfPreset(profile.preset);
  const issuer = row?.issuer ?? provider?.issuer ?? null;
  if (!issuer) {
    throw new PostroomError('INVALID_INPUT', `The relay "${profile.name}" signs in with OAuth2 but has no sign-in provider (issuer). Add the issuer's address to the relay's settings.`);
  }
  const clientId = row?.client_id ?? (provider ? defaultSignInApp(ctx, provider.provider, env).clientId : null);
  if (!clientId) {
    const who = provider?.label ?? 'this provider';
    throw new PostroomError(
      'INVALID_INPUT',
      `Postroom has no app registration (client ID) for signing in with ${who}. This copy of Postroom was built without one, and none is set. Ask whoever looks after your ${who} accounts to register an app for Postroom (a public desktop app with the redirect address http://127.0.0.1) and enter its client ID in Settings → Sign-in apps or in the relay's settings.`,
    );
  }
  const secretEnv = row?.client_secret_env ?? (row?.client_id ? null : (provider?.secretEnv ?? null));
  let clientSecret: string | null = null;
  if (secretEnv) {
    clientSecret = env[secretEnv] || null;
    if (!clientSecret && row?.client_secret_env) {
      throw new PostroomError('AUTH_FAILED', `The relay "${profile.name}" takes its client secret from the environment variable ${secretEnv}, which is not set. Set it in the shell that runs Postroom and try again.`);
    }
  }
  return { issuer, clientId, clientSecret, scopes: scopesOf(row ?? { scopes: '', issuer }, profile.preset), params: provider?.params ?? { prompt: 'consent' }, provider };
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
}

interface Discovered {
  config: Configuration;
  at: number;
}
const discovered = new Map<string, Promise<Discovered>>();
const DISCOVERY_TTL_MS = 60 * 60_000;

/**
 * The provider's metadata, found by discovery (OpenID Connect first, then RFC 8414), kept an hour per process.
 * http is allowed only for an issuer on this computer (the tests' own provider); anything else must be https.
 */
async function configure(s: SignInSettings): Promise<Configuration> {
  const key = JSON.stringify([s.issuer, s.clientId, s.clientSecret]);
  const cached = discovered.get(key);
  if (cached) {
    const d = await cached.catch(() => null);
    if (d && Date.now() - d.at < DISCOVERY_TTL_MS) return d.config;
    if (discovered.get(key) === cached) discovered.delete(key);
  }
  const p = discover(s).then((config) => ({ config, at: Date.now() }));
  discovered.set(key, p);
  p.catch(() => discovered.delete(key));
  return (await p).config;
}

async function discover(s: SignInSettings): Promise<Configuration> {
  const c = await openid();
  let url: URL;
  try {
    url = new URL(s.issuer);
  } catch {
    throw new PostroomError('INVALID_INPUT', `"${s.issuer}" is not an address; the issuer must look like https://login.example.com.`);
  }
  const insecure = url.protocol === 'http:';
  if (insecure && !isLoopback(url)) {
    throw new PostroomError('INVALID_INPUT', `The issuer ${s.issuer} uses http, which would send sign-ins unencrypted. Use its https address.`);
  }
  const auth = s.clientSecret ? c.ClientSecretPost(s.clientSecret) : c.None();
  const options = { execute: insecure ? [c.allowInsecureRequests] : [], timeout: 20 };
  let firstError: unknown;
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    try {
      return await c.discovery(url, s.clientId, undefined, auth, { ...options, algorithm });
    } catch (err) {
      firstError ??= err;
    }
  }
  throw unreachable(`Couldn't read the sign-in settings (discovery metadata) of ${s.issuer}`, firstError);
}

/**
 * A failure while talking to the provider. Not reaching it (network, timeout, a 5xx) is RELAY_UNREACHABLE: try
 * again later. An answer that breaks the protocol (wrong issuer, a token that doesn't check out) is no passing
 * hiccup: AUTH_FAILED, so a person looks at the relay's sign-in settings.
 */
function unreachable(what: string, err: unknown): PostroomError {
  if (err instanceof PostroomError) return err;
  const e = err as { name?: string; code?: string; message?: string };
  const transient =
    e?.name === 'TypeError' || e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e?.code === 'OAUTH_RESPONSE_IS_NOT_JSON';
  if (!transient) {
    return new PostroomError('AUTH_FAILED', `${what}: the provider's answer could not be accepted (${e?.message ?? String(err)}). Check the relay's sign-in settings (the provider's address and the client ID).`);
  }
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
  const why = cause === 'ECONNREFUSED' ? 'the connection was refused' : cause === 'ENOTFOUND' ? 'no such host' : (err as Error)?.message ?? String(err);
  return new PostroomError('RELAY_UNREACHABLE', `${what}: ${why}. Check your internet connection; Postroom tries again by itself.`);
}

/** Errors from the token endpoint that mean "this grant is over": a person must sign in again. */
const REFUSED = new Set(['invalid_grant', 'unauthorized_client', 'invalid_client', 'invalid_scope', 'consent_required', 'interaction_required', 'access_denied']);

function refusal(err: unknown): string | null {
  const e = err as { error?: string; error_description?: string; name?: string };
  if (e && typeof e.error === 'string' && (e.name === 'ResponseBodyError' || e.name === 'AuthorizationResponseError') && REFUSED.has(e.error)) {
    return e.error_description ? `${e.error}: ${e.error_description}` : e.error;
  }
  return null;
}

/** The address a sign-in belongs to, from the ID token (Microsoft: preferred_username when there is no email claim). */
function addressOf(claims: Record<string, unknown> | undefined): string | null {
  for (const k of ['email', 'preferred_username', 'upn']) {
    const v = claims?.[k];
    if (typeof v === 'string' && v.includes('@')) return v;
  }
  return null;
}

/** Seconds → the moment it ends; a response without expires_in is taken to last an hour (what Microsoft and Google give). */
function expiryOf(now: number, expiresIn: number | undefined): number {
  return now + (expiresIn && expiresIn > 0 ? expiresIn : 3600) * 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// Signing in

export interface SignInAttempt {
  attempt: string;
  relay: string;
  url: string;
  /** Resolves with the signed-in address; rejects with a PostroomError saying why not. */
  done: Promise<{ address: string }>;
  cancel(): void;
}

export interface SignInOptions {
  /** How long to wait for the person (default 5 minutes). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const PAGE_STYLE = 'font: 16px/1.5 system-ui, sans-serif; max-width: 36em; margin: 4em auto; padding: 0 1em; color-scheme: light dark;';
function page(title: string, text: string): string {
  const esc = (v: string) => v.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} – Postroom</title></head><body style="${PAGE_STYLE}"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}

/**
 * Starts a sign-in: listens on a free loopback port, and answers with the provider's address to open. `done`
 * settles when the browser comes back to the loopback address (or time runs out, or it is cancelled).
 */
export async function startSignIn(ctx: CoreContext, relayName: string | number, opts: SignInOptions = {}): Promise<SignInAttempt> {
  const profile = getRelay(ctx, relayName);
  if (profile.auth !== 'oauth2') {
    throw new PostroomError('INVALID_INPUT', `The relay "${profile.name}" ${profile.auth === 'none' ? "doesn't log in at all" : 'logs in with a password'}, not by signing in. Change it to sign in (OAuth2) first.`);
  }
  const s = signInSettings(ctx, profile, opts.env);
  const c = await openid();
  const config = await configure(s);
  const verifier = c.randomPKCECodeVerifier();
  const state = c.randomState();
  const wantsIdToken = s.scopes.includes('openid');
  const nonce = wantsIdToken ? c.randomNonce() : undefined;
  const attempt = crypto.randomUUID();

  const server = http().createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const params: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: s.scopes.join(' '),
    code_challenge: await c.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...s.params,
  };
  if (nonce) params.nonce = nonce;
  if (profile.user) params.login_hint = profile.user;
  const authorize = c.buildAuthorizationUrl(config, params);
  // The address goes to a browser: only a provider's https page (or one on this computer, as in the tests).
  if (!(authorize.protocol === 'https:' || (authorize.protocol === 'http:' && isLoopback(authorize)))) {
    server.close();
    throw new PostroomError('INVALID_INPUT', `The sign-in provider ${s.issuer} gave a sign-in address that is not https, so Postroom won't open it.`);
  }
  const url = authorize.href;

  let settle!: { resolve: (v: { address: string }) => void; reject: (e: PostroomError) => void };
  const done = new Promise<{ address: string }>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined); // callers await it; an unawaited rejection must not crash the process
  let finished = false;
  const finish = (err: PostroomError | null, address?: string) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    // Let the answer page reach the browser, then stop listening.
    setTimeout(() => server.close(), 200).unref();
    server.closeIdleConnections?.();
    if (err) settle.reject(err);
    else settle.resolve({ address: address! });
  };
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const timer = setTimeout(
    () => finish(new PostroomError('CANCELLED', `Nobody finished signing in to ${providerWords(s.provider, s.issuer)} within ${Math.round(timeoutMs / 1000)} seconds, so Postroom stopped waiting. Start the sign-in again when you are ready.`)),
    timeoutMs,
  );
  timer.unref?.();

  const who = providerWords(s.provider, s.issuer);
  server.on('request', (req, res) => {
    const reply = (status: number, title: string, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(page(title, text));
    };
    const here = new URL(req.url ?? '/', redirectUri);
    if (req.method !== 'GET' || here.pathname !== '/callback') return reply(404, 'Not here', 'This address only takes the answer of a sign-in.');
    if (finished) return reply(410, 'Sign-in already ended', 'This sign-in has already ended. Go back to Postroom.');
    void (async () => {
      // RFC 6749 §10.12: an answer that doesn't carry our state was not asked for by this sign-in.
      if (here.searchParams.get('state') !== state) {
        const e = new PostroomError('AUTH_FAILED', `The answer from the sign-in page did not match the sign-in Postroom started (the "state" differs), so it was refused: it may have come from another sign-in or from someone else. Start the sign-in again.`);
        reply(400, 'Sign-in refused', e.message);
        return finish(e);
      }
      const error = here.searchParams.get('error');
      if (error) {
        const described = here.searchParams.get('error_description');
        const e =
          error === 'access_denied'
            ? new PostroomError('AUTH_FAILED', `The sign-in to ${who} was declined${described ? ` (${described})` : ''}, so Postroom can't send through relay "${profile.name}". Sign in again and allow Postroom to send mail for you; if your organisation manages the account, its admin may have to allow the app.`)
            : new PostroomError('AUTH_FAILED', `${who} refused the sign-in: ${error}${described ? ` (${described})` : ''}. Check the relay's sign-in settings (client ID, scopes) and try again.`);
        reply(400, 'Not signed in', e.message);
        return finish(e);
      }
      try {
        const tokens = await c.authorizationCodeGrant(config, here, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: wantsIdToken });
        if (!tokens.refresh_token) {
          throw new PostroomError('AUTH_FAILED', `${who} signed you in but gave Postroom no way to stay signed in (no refresh token). Check that the scopes include offline access (offline_access) and try again.`);
        }
        const now = ctx.clock.now();
        const claims = tokens.claims() as Record<string, unknown> | undefined;
        let address = addressOf(claims);
        if (!address && claims?.sub && config.serverMetadata().userinfo_endpoint) {
          // Some providers keep the address out of the ID token; their userinfo has it (best effort).
          address = addressOf((await c.fetchUserInfo(config, tokens.access_token, String(claims.sub)).catch(() => undefined)) as Record<string, unknown> | undefined);
        }
        address ??= profile.user ?? 'your account';
        storeSignIn(ctx, profile.id, {
          refreshSealed: ctx.secrets.encrypt(tokens.refresh_token),
          accessSealed: ctx.secrets.encrypt(tokens.access_token),
          issuedAt: now,
          expiresAt: expiryOf(now, tokens.expiresIn()),
          address,
        });
        if (!profile.user && address.includes('@')) ctx.db.prepare(`UPDATE relays SET user = ?, updated_at = ? WHERE id = ?`).run(address, now, profile.id);
        reply(200, 'Signed in', `Postroom is signed in to ${who} as ${address}. You can close this tab and go back to Postroom.`);
        finish(null, address);
      } catch (err) {
        const why = refusal(err);
        const e =
          err instanceof PostroomError
            ? err
            : why
              ? new PostroomError('AUTH_FAILED', `${who} refused to complete the sign-in (${why}). Start the sign-in again.`)
              : unreachable(`Couldn't complete the sign-in with ${who}`, err);
        reply(400, 'Not signed in', e.message);
        finish(e);
      }
    })();
  });

  return {
    attempt,
    relay: profile.name,
    url,
    done,
    cancel: () => finish(new PostroomError('CANCELLED', 'The sign-in was cancelled.')),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Access tokens

/** A token is renewed when a quarter of its life (at most 5 minutes) is left: it never reaches a server stale. */
function fresh(row: OAuthRow, now: number): boolean {
  if (!row.access_sealed || row.access_expires_at === null) return false;
  const life = row.access_expires_at - (row.access_issued_at ?? row.access_expires_at - 3_600_000);
  const margin = Math.min(5 * 60_000, Math.max(0, life / 4));
  return now < row.access_expires_at - margin;
}

function needsSignIn(profile: RelayProfile, row: OAuthRow | null): PostroomError {
  const provider = providerOfIssuer(row?.issuer ?? null) ?? providerOfPreset(profile.preset);
  const who = providerWords(provider, row?.issuer ?? null);
  // By code (the window words it) when the provider has a name and no stored problem adds a sentence of its own.
  if (!row?.problem && who !== UNNAMED_PROVIDER) return codedError(OAUTH_SENTENCES, 'AUTH_FAILED.needsSignIn', { relay: profile.name, provider: who });
  const why = row?.problem ? ` ${row.problem}` : '';
  return new PostroomError('AUTH_FAILED', `Relay "${profile.name}" needs you to sign in to ${who} again.${why}`);
}

export interface AccessTokenOptions {
  /** The token a server just refused: renew it, unless someone already has. */
  refused?: string;
  env?: NodeJS.ProcessEnv;
}

const renewing = new Map<string, Promise<string>>();
const LEASE_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A valid access token for an `oauth2` relay, for XOAUTH2 on SMTP (and IMAP: `mailbox add --oauth-from RELAY`).
 * Renews it with the refresh token when it is about to expire, or when `refused` names the token a server just
 * refused. Throws PostroomError `AUTH_FAILED` when a person must sign in (never signed in, or the provider refused
 * the renewal: the relay is then marked as needing a sign-in), and `RELAY_UNREACHABLE` when the provider can't be
 * reached (try again later). Never logs the token.
 */
export async function getAccessToken(ctx: CoreContext, relay: string | number | RelayProfile, opts: AccessTokenOptions = {}): Promise<string> {
  const profile = typeof relay === 'object' ? relay : getRelay(ctx, relay);
  const row = readOAuth(ctx, profile.id);
  if (!row || row.needs_sign_in || !row.refresh_sealed) throw needsSignIn(profile, row);
  if (fresh(row, ctx.clock.now())) {
    const current = unseal(ctx, profile, row.access_sealed!);
    if (current !== opts.refused) return current;
  }
  const key = `${ctx.dataDir}\u0000${profile.id}`;
  const running = renewing.get(key);
  if (running) {
    const t = await running;
    if (t !== opts.refused) return t;
  }
  const p = renew(ctx, profile, row.generation, opts).finally(() => {
    if (renewing.get(key) === p) renewing.delete(key);
  });
  renewing.set(key, p);
  return p;
}

function unseal(ctx: CoreContext, profile: RelayProfile, sealed: Buffer): string {
  try {
    return ctx.secrets.decrypt(sealed);
  } catch (err) {
    if (!(err instanceof PostroomError)) throw err;
    throw new PostroomError('AUTH_FAILED', `Postroom can't read the saved sign-in of relay "${profile.name}" here (it was saved by the desktop app in the system keychain, or the key file changed). Sign in again on this computer.`);
  }
}

async function renew(ctx: CoreContext, profile: RelayProfile, seenGeneration: number, opts: AccessTokenOptions): Promise<string> {
  const giveUpAt = Date.now() + 2 * LEASE_MS;
  let mark: number | null = null;
  // One renewal at a time, across processes: wait for another one to finish and use its token.
  for (;;) {
    mark = claimRenewal(ctx, profile.id, ctx.clock.now(), LEASE_MS);
    if (mark !== null) break;
    await sleep(100);
    const row = readOAuth(ctx, profile.id);
    if (!row || row.needs_sign_in || !row.refresh_sealed) throw needsSignIn(profile, row);
    if (row.generation !== seenGeneration && fresh(row, ctx.clock.now())) {
      const t = unseal(ctx, profile, row.access_sealed!);
      if (t !== opts.refused) return t;
    }
    if (Date.now() > giveUpAt) throw new PostroomError('RELAY_UNREACHABLE', `Another Postroom is renewing the sign-in of relay "${profile.name}" and has not finished; trying again shortly.`);
  }
  try {
    const row = readOAuth(ctx, profile.id);
    if (!row || row.needs_sign_in || !row.refresh_sealed) throw needsSignIn(profile, row);
    // Renewed by someone else between our look and our lease.
    if (row.generation !== seenGeneration && fresh(row, ctx.clock.now())) {
      const t = unseal(ctx, profile, row.access_sealed!);
      if (t !== opts.refused) return t;
    }
    const s = signInSettings(ctx, profile, opts.env);
    const c = await openid();
    const config = await configure(s);
    const refreshToken = unseal(ctx, profile, row.refresh_sealed);
    let tokens: Awaited<ReturnType<OpenIdClient['refreshTokenGrant']>>;
    try {
      tokens = await c.refreshTokenGrant(config, refreshToken);
    } catch (err) {
      const why = refusal(err);
      if (why) {
        const problem = `${providerWords(s.provider, s.issuer)} refused to renew Postroom's access (${why}): access may have been withdrawn, or the password changed.`;
        forgetTokens(ctx, profile.id, problem);
        ctx.events.emit('relays:changed', { relay: profile.name });
        throw needsSignIn(profile, { ...row, problem });
      }
      throw unreachable(`Couldn't renew the sign-in of relay "${profile.name}" with ${providerWords(s.provider, s.issuer)}`, err);
    }
    const now = ctx.clock.now();
    // The rotated refresh token is stored with the access token, before the access token is used by anyone.
    storeRenewal(ctx, profile.id, {
      refreshSealed: tokens.refresh_token ? ctx.secrets.encrypt(tokens.refresh_token) : null,
      accessSealed: ctx.secrets.encrypt(tokens.access_token),
      issuedAt: now,
      expiresAt: expiryOf(now, tokens.expiresIn()),
    });
    mark = null;
    return tokens.access_token;
  } finally {
    if (mark !== null) releaseRenewal(ctx, profile.id, mark);
  }
}

/** Forgets a relay's tokens (signing out). The provider's grant stays until it expires or the person revokes it there. */
export function signOut(ctx: CoreContext, relay: string | number): RelayProfile {
  const profile = getRelay(ctx, relay);
  forgetTokens(ctx, profile.id, null);
  return profile;
}

/** How many times a relay's access token was renewed (diagnostics, tests). */
export function renewalCount(ctx: CoreContext, relayId: number): number {
  return readOAuth(ctx, relayId)?.renewals ?? 0;
}

/**
 * The token step of `relay test`: discovery, then a valid access token (renewed when due). Never throws: says
 * which step failed, in a person's words.
 */
export async function testToken(ctx: CoreContext, profile: RelayProfile, env?: NodeJS.ProcessEnv): Promise<{ ok: true; token: string; passed: string[] } | { ok: false; message: string; passed: string[] }> {
  const passed: string[] = [];
  try {
    const s = signInSettings(ctx, profile, env);
    await configure(s);
    passed.push('discovery');
    const token = await getAccessToken(ctx, profile, { env });
    passed.push('token');
    return { ok: true, token, passed };
  } catch (err) {
    return { ok: false, message: err instanceof PostroomError ? err.message : String((err as Error)?.message ?? err), passed };
  }
}
