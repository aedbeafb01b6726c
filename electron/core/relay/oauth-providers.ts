/**
 * The sign-in providers Postroom knows (Microsoft 365, Google), what each needs, and where the client ID of the
 * app registration comes from.
 *
 * A client ID names an app registered with the provider. Postroom does not pretend to have one: a build of Postroom
 * may carry its own registration (set at build time, POSTROOM_BUILD_MICROSOFT_CLIENT_ID / _GOOGLE_...), a business
 * whose admin registered an app enters its client ID in Settings (or the relay's own settings), and the
 * environment variables below override both. Without any, signing in says so in plain words instead of failing
 * at the provider. Thunderbird works the same way: it ships its own public registrations.
 */
import { getSetting, setSetting } from '../store/settings';
import type { CoreContext } from '../context';
import type { OAuthProvider, SignInApp } from '../../../shared/contract/relays';

declare const __POSTROOM_MICROSOFT_CLIENT_ID__: string | undefined;
declare const __POSTROOM_GOOGLE_CLIENT_ID__: string | undefined;

export interface ProviderInfo {
  provider: OAuthProvider;
  label: string;
  /**
   * The issuer. Microsoft's multi-tenant `common` issuer publishes `https://login.microsoftonline.com/{tenantid}/v2.0`
   * as its issuer (a template, not its own address); openid-client accepts that when given the bare issuer (not
   * the /.well-known address) and checks each ID token against its own tenant (`tid`).
   */
  issuer: string;
  scopes: string[];
  /** Extra authorization request parameters: Google hands out a refresh token only for offline access with consent. */
  params: Record<string, string>;
  /** Environment variable that overrides the default client ID. */
  env: string;
  /** Google's desktop registrations come with a (not secret) client secret its token endpoint wants. */
  secretEnv: string | null;
  builtIn: string | undefined;
}

export const PROVIDERS: Record<OAuthProvider, ProviderInfo> = {
  microsoft: {
    provider: 'microsoft',
    label: 'Microsoft',
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    scopes: ['https://outlook.office.com/SMTP.Send', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access', 'openid', 'email'],
    params: {},
    env: 'POSTROOM_MICROSOFT_CLIENT_ID',
    secretEnv: null,
    builtIn: typeof __POSTROOM_MICROSOFT_CLIENT_ID__ === 'string' && __POSTROOM_MICROSOFT_CLIENT_ID__ ? __POSTROOM_MICROSOFT_CLIENT_ID__ : undefined,
  },
  google: {
    provider: 'google',
    label: 'Google',
    issuer: 'https://accounts.google.com',
    scopes: ['https://mail.google.com/', 'openid', 'email'],
    params: { access_type: 'offline', prompt: 'consent' },
    env: 'POSTROOM_GOOGLE_CLIENT_ID',
    secretEnv: 'POSTROOM_GOOGLE_CLIENT_SECRET',
    builtIn: typeof __POSTROOM_GOOGLE_CLIENT_ID__ === 'string' && __POSTROOM_GOOGLE_CLIENT_ID__ ? __POSTROOM_GOOGLE_CLIENT_ID__ : undefined,
  },
};

/** Scopes for an issuer Postroom doesn't know (command line spec). */
export const DEFAULT_SCOPES = ['openid', 'email', 'offline_access'];

/** The provider a relay preset signs in with. */
export function providerOfPreset(preset: string): ProviderInfo | null {
  if (preset === 'm365') return PROVIDERS.microsoft;
  if (preset === 'gmail' || preset === 'workspace') return PROVIDERS.google;
  return null;
}

/** The provider an issuer belongs to (so a relay made with --oauth-issuer of Microsoft still gets its button). */
export function providerOfIssuer(issuer: string | null): ProviderInfo | null {
  if (!issuer) return null;
  let host: string;
  try {
    host = new URL(issuer).hostname;
  } catch {
    return null;
  }
  if (host === 'login.microsoftonline.com') return PROVIDERS.microsoft;
  if (host === 'accounts.google.com') return PROVIDERS.google;
  return null;
}

const settingKey = (p: OAuthProvider) => `oauth.${p}.clientId`;

/** The default client ID of a provider: environment, then Settings, then the one this build carries. */
export function defaultSignInApp(ctx: CoreContext, provider: OAuthProvider, env: NodeJS.ProcessEnv = process.env): SignInApp {
  const info = PROVIDERS[provider];
  const base = { provider, label: info.label, env: info.env };
  const fromEnv = env[info.env]?.trim();
  if (fromEnv) return { ...base, clientId: fromEnv, source: 'environment' };
  const saved = getSetting<string>(ctx.db, settingKey(provider));
  if (typeof saved === 'string' && saved) return { ...base, clientId: saved, source: 'settings' };
  if (info.builtIn) return { ...base, clientId: info.builtIn, source: 'built-in' };
  return { ...base, clientId: null, source: 'none' };
}

export function signInApps(ctx: CoreContext, env: NodeJS.ProcessEnv = process.env): SignInApp[] {
  return (['microsoft', 'google'] as const).map((p) => defaultSignInApp(ctx, p, env));
}

/** Saves (or with null clears) the client ID a business registered, in Settings. */
export function setSignInApp(ctx: CoreContext, provider: OAuthProvider, clientId: string | null): void {
  if (clientId === null) ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(settingKey(provider));
  else setSetting(ctx.db, settingKey(provider), clientId, ctx.clock.now());
}
