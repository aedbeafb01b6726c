/**
 * A real OAuth 2.0 / OpenID Connect authorization server (panva's oidc-provider, certified) and an SMTP server that
 * accepts only XOAUTH2 with tokens that server vouches for (by introspection, RFC 7662), for the sign-in tests.
 *
 * The provider has one public native client (no secret, PKCE required, loopback redirect on any port, RFC 8252),
 * issues rotating refresh tokens and access tokens that live a few seconds, and offers its development login and
 * consent pages (any login name, any password). The SMTP server refuses an expired or revoked token the way
 * Google does (a 334 error challenge, then 535) or the way Microsoft does (535 at once).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'postroom-test-native';

// oidc-provider announces its development defaults (in-memory storage, its own login pages: what a test wants) on
// every start; those lines, and only those, are kept out of the test output.
for (const level of ['warn', 'info'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /^\W*(\[[\d;]*m)?oidc-provider (WARNING|NOTICE): /.test(args[0])) return;
    original(...args);
  };
}
const RESOURCE = { id: 'smtp-relay', secret: 'introspection-secret-of-the-test-relay' };

export interface AuthServer {
  issuer: string;
  /** Token requests that renewed an access token with a refresh token. */
  refreshes: number;
  /** Sign-ins completed (authorization codes exchanged). */
  codes: number;
  /** Revokes a refresh token (and, as oidc-provider does, its whole grant). */
  revoke(refreshToken: string): Promise<void>;
  /** The introspection endpoint with the resource server's credentials in it (for Dovecot's oauth2 passdb). */
  introspectionUrl: string;
  /** Asks the provider about an access token: active, and whose. */
  introspect(token: string): Promise<{ active: boolean; sub?: string }>;
  close(): Promise<void>;
}

export async function startAuthServer(options: { accessTtlSeconds?: number; plainOAuth?: boolean } = {}): Promise<AuthServer> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      { client_id: RESOURCE.id, client_secret: RESOURCE.secret, redirect_uris: [], response_types: [], grant_types: [] },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true } },
    scopes: ['openid', 'email', 'offline_access', 'smtp'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, email: sub.includes('@') ? sub : `${sub}@example.test`, email_verified: true }),
    }),
    ttl: {
      AccessToken: options.accessTtlSeconds ?? 3,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Grant: 24 * 3600,
      Interaction: 600,
      Session: 3600,
    },
    cookies: { keys: ['postroom-test-cookie-key'] },
    jwks: { keys: [{ ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
    // Like Microsoft's and Google's, the ID token carries the e-mail address itself.
    conformIdTokenClaims: false,
    // The default policy warns that it is for development; the test's policy is the same, stated.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  } as ConstructorParameters<typeof Provider>[1]);
  const state = { refreshes: 0, codes: 0 };
  provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: string } } }) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') state.refreshes++;
    if (ctx.oidc.params?.grant_type === 'authorization_code') state.codes++;
  });
  // oidc-provider prints development warnings and errors of refused requests; the tests look at answers instead.
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('[oidc-provider]', err));
  const handle = provider.callback();
  server.on('request', (req, res) => {
    // A plain OAuth 2.0 server (no OpenID Connect) publishes only RFC 8414's metadata.
    if (options.plainOAuth && req.url === '/.well-known/openid-configuration') return void res.writeHead(404).end();
    if (options.plainOAuth && req.url === '/.well-known/oauth-authorization-server') req.url = '/.well-known/openid-configuration';
    handle(req, res);
  });

  const basic = 'Basic ' + Buffer.from(`${RESOURCE.id}:${RESOURCE.secret}`).toString('base64');
  return {
    issuer,
    get refreshes() {
      return state.refreshes;
    },
    get codes() {
      return state.codes;
    },
    async revoke(refreshToken) {
      const r = await fetch(`${issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: CLIENT_ID }),
      });
      if (!r.ok) throw new Error(`revocation failed: ${r.status} ${await r.text()}`);
    },
    introspectionUrl: `http://${RESOURCE.id}:${RESOURCE.secret}@${issuer.slice('http://'.length)}/token/introspection`,
    async introspect(token) {
      const r = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams({ token }),
      });
      return (await r.json()) as { active: boolean; sub?: string };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Completes a sign-in the way a person's browser would: opens the sign-in address, logs in on the provider's
 * page, gives consent (or declines), and follows the redirects to the loopback address. Returns that last answer.
 */
export async function signInOverHttp(url: string, options: { login?: string; decline?: boolean; tamperState?: boolean } = {}): Promise<{ status: number; body: string; callback: string }> {
  const cookies = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let next: { url: string; method: string; body?: URLSearchParams } = { url, method: 'GET' };
  for (let hops = 0; hops < 20; hops++) {
    const target = new URL(next.url);
    if (target.pathname === '/callback') {
      if (options.tamperState) target.searchParams.set('state', 'not-the-state-postroom-sent');
      const r = await fetch(target);
      return { status: r.status, body: await r.text(), callback: target.href };
    }
    const r = await fetch(target, {
      method: next.method,
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: next.body,
    });
    keep(r);
    if (r.status >= 300 && r.status < 400) {
      next = { url: new URL(r.headers.get('location')!, target).href, method: 'GET' };
      continue;
    }
    const html = await r.text();
    if (r.status !== 200) throw new Error(`the provider answered ${r.status}: ${html.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on the provider's page: ${html.slice(0, 500)}`);
    const submit = new URL(action.replace(/&amp;/g, '&'), target).href;
    if (/name="login"/.test(html)) {
      next = { url: submit, method: 'POST', body: new URLSearchParams({ prompt: 'login', login: options.login ?? 'ann@example.test', password: 'any' }) };
    } else if (options.decline) {
      next = { url: `${submit}/abort`, method: 'GET' };
    } else {
      next = { url: submit, method: 'POST', body: new URLSearchParams({ prompt: 'consent' }) };
    }
  }
  throw new Error('too many redirects');
}

export interface XOAuthSmtp {
  port: number;
  /** Messages accepted, by recipient. */
  delivered: string[];
  /** Logins accepted, and refused (expired or revoked token). */
  logins: { accepted: number; refused: number };
  /** Every access token presented (to check none was written anywhere in plain text). */
  tokens: Set<string>;
  close(): Promise<void>;
}

/** An SMTP server that takes only XOAUTH2, checking each token with the authorization server. */
export async function startXOAuthSmtp(auth: AuthServer, options: { refuseLike?: 'google' | 'microsoft'; messagesPerSession?: number } = {}): Promise<XOAuthSmtp> {
  const delivered: string[] = [];
  const logins = { accepted: 0, refused: 0 };
  const tokens = new Set<string>();
  const perSession = new Map<string, number>();
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['XOAUTH2'],
    onAuth(a, _session, cb) {
      if (a.method !== 'XOAUTH2' || !a.accessToken) return cb(Object.assign(new Error('5.7.0 XOAUTH2 required'), { responseCode: 535 }));
      tokens.add(a.accessToken);
      auth.introspect(a.accessToken).then(
        (r) => {
          const owner = r.sub?.includes('@') ? r.sub : `${r.sub}@example.test`;
          if (r.active && owner === a.username) {
            logins.accepted++;
            return cb(null, { user: a.username });
          }
          logins.refused++;
          if (options.refuseLike === 'microsoft') return cb(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
          // Google: an error challenge (RFC 7628 §3.2.2), then 535 once the client answers it.
          cb(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
        },
        (err: Error) => cb(Object.assign(new Error(`4.7.0 ${err.message}`), { responseCode: 454 })),
      );
    },
    onData(stream, session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) delivered.push(r.address);
        cb(null, 'Ok: queued');
        const n = (perSession.get(session.id) ?? 0) + 1;
        perSession.set(session.id, n);
        // Providers cap messages per session: the next message needs a new connection, so a new login.
        if (options.messagesPerSession && n >= options.messagesPerSession) {
          setTimeout(() => {
            for (const c of (server as unknown as { connections: Set<{ session: { id: string }; _socket: { end(): void } }> }).connections) {
              if (c.session.id === session.id) c._socket.end();
            }
          }, 10);
        }
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    delivered,
    logins,
    tokens,
    close: () =>
      new Promise<void>((r) => {
        for (const c of (server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) c._socket.destroy();
        server.close(() => r());
      }),
  };
}
