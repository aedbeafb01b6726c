/**
 * Relay profiles in the database: create, read, change, remove. Secrets are sealed with the host's SecretBox
 * (Electron's safeStorage on the desktop, a key file elsewhere) or named by an environment variable that is read
 * only when the relay is used; they never appear in plain text in the database, a profile or a log.
 */
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import type { AuthKind, RelayCreate, RelayFields, RelayLimits, RelayUpdate, RetryPolicy, Security } from '../../../shared/contract/relays';
import { presetOf, PRESETS } from './presets';
import { normaliseFingerprint } from './pinning';
import { providerOfPreset } from './oauth-providers';
import { readOAuth, saveOAuthSettings, type OAuthRow, type OAuthSettings } from './oauth-store';

export type { AuthKind, RelayLimits, RetryPolicy };
export type RelayInput = RelayCreate;
export type RelayPatch = RelayUpdate;

/** A relay profile as the engine uses it. Never carries the secret itself (see resolveSecret). */
export interface RelayProfile {
  id: number;
  name: string;
  /** The preset it was made from (`custom` when none). */
  preset: string;
  host: string;
  port: number;
  security: Security;
  user: string | null;
  auth: AuthKind;
  passwordSource: 'none' | 'stored' | 'env';
  passwordEnv: string | null;
  acceptSelfSigned: boolean;
  /** The accepted self-signed certificate's SHA-256 fingerprint (relay/pinning.ts), or null. */
  tlsFingerprint: string | null;
  limits: RelayLimits;
  retry: RetryPolicy;
  createdAt: number;
  updatedAt: number;
}

/** Command-line spec defaults: retry-min 1m, retry-max 1h, give-up 48h. */
export const DEFAULT_RETRY: RetryPolicy = { minMs: 60_000, maxMs: 3_600_000, giveUpMs: 48 * 3_600_000 };

interface RelayRow {
  id: number;
  name: string;
  preset: string;
  host: string;
  port: number;
  security: Security;
  accept_self_signed: number;
  tls_fingerprint: string | null;
  user: string | null;
  auth: AuthKind;
  has_sealed: number;
  secret_env: string | null;
  per_second: number | null;
  per_minute: number | null;
  per_hour: number | null;
  per_day: number | null;
  connections: number;
  retry_min_ms: number;
  retry_max_ms: number;
  give_up_ms: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `id, name, preset, host, port, security, accept_self_signed, tls_fingerprint, user, auth, secret_sealed IS NOT NULL AS has_sealed,
  secret_env, per_second, per_minute, per_hour, per_day, connections, retry_min_ms, retry_max_ms, give_up_ms, created_at, updated_at`;

function toProfile(r: RelayRow): RelayProfile {
  return {
    id: r.id,
    name: r.name,
    preset: r.preset,
    host: r.host,
    port: r.port,
    security: r.security,
    user: r.user,
    auth: r.auth,
    passwordSource: r.has_sealed ? 'stored' : r.secret_env ? 'env' : 'none',
    passwordEnv: r.secret_env,
    acceptSelfSigned: r.accept_self_signed === 1,
    tlsFingerprint: r.accept_self_signed === 1 ? r.tls_fingerprint : null,
    limits: { perSecond: r.per_second, perMinute: r.per_minute, perHour: r.per_hour, perDay: r.per_day, connections: r.connections },
    retry: { minMs: r.retry_min_ms, maxMs: r.retry_max_ms, giveUpMs: r.give_up_ms },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Every relay, by name. */
export function listRelays(ctx: CoreContext): RelayProfile[] {
  return (ctx.db.prepare(`SELECT ${COLUMNS} FROM relays ORDER BY name COLLATE NOCASE`).all() as RelayRow[]).map(toProfile);
}

/** One relay by id or name (case-insensitive). Throws NOT_FOUND with a sentence that says what to do. */
export function getRelay(ctx: CoreContext, idOrName: number | string): RelayProfile {
  const row =
    typeof idOrName === 'number'
      ? (ctx.db.prepare(`SELECT ${COLUMNS} FROM relays WHERE id = ?`).get(idOrName) as RelayRow | undefined)
      : (ctx.db.prepare(`SELECT ${COLUMNS} FROM relays WHERE name = ?`).get(idOrName.trim()) as RelayRow | undefined);
  if (!row) {
    const which = typeof idOrName === 'number' ? `number ${idOrName}` : `"${idOrName}"`;
    throw new PostroomError('NOT_FOUND', `There is no relay ${which}. See your relays with 'postroom relay list', or add one with 'postroom relay add'.`);
  }
  return toProfile(row);
}

/**
 * The password (or OAuth2 access token) of a relay, now: decrypted from the database, or read from its
 * environment variable at this moment. Null when the relay needs no login. Throws AUTH_FAILED when it is missing.
 */
export function resolveSecret(ctx: CoreContext, profile: RelayProfile, env: NodeJS.ProcessEnv = process.env): string | null {
  if (profile.auth === 'none') return null;
  // A relay saved before this rule existed: its secret is never handed out to travel unencrypted.
  const plain = plainLoginRefusal(profile);
  if (plain) throw new PostroomError('AUTH_FAILED', plain);
  if (profile.auth === 'oauth2') {
    throw new PostroomError('INTERNAL', `The relay "${profile.name}" signs in with OAuth2: its access token comes from getAccessToken (relay/oauth.ts), not from a saved secret.`);
  }
  const what = 'password';
  if (profile.passwordEnv) {
    const value = env[profile.passwordEnv];
    if (value === undefined || value === '') {
      throw new PostroomError(
        'AUTH_FAILED',
        `The relay "${profile.name}" takes its ${what} from the environment variable ${profile.passwordEnv}, which is not set. Set it in the shell that runs Postroom and try again.`,
      );
    }
    return value;
  }
  const row = ctx.db.prepare(`SELECT secret_sealed FROM relays WHERE id = ?`).get(profile.id) as { secret_sealed: Buffer | null } | undefined;
  if (!row?.secret_sealed) {
    throw new PostroomError('AUTH_FAILED', `The relay "${profile.name}" has no ${what} saved. Enter it in Relays → ${profile.name}.`);
  }
  try {
    return ctx.secrets.decrypt(row.secret_sealed);
  } catch (err) {
    if (!(err instanceof PostroomError)) throw err;
    // Sealed by another host's box: the desktop app keeps it in the OS keychain, which the command line can't open.
    throw new PostroomError(
      'AUTH_FAILED',
      `Postroom can't read the saved ${what} of relay "${profile.name}" here: it was saved by the desktop app in the system keychain (or the key file changed). Enter it again in Relays → ${profile.name}, or on the command line use 'postroom relay edit ${profile.name} --password-env VAR'.`,
    );
  }
}

function seal(ctx: CoreContext, secret: string): Buffer {
  if (!ctx.secrets.available()) {
    throw new PostroomError(
      'UNSUPPORTED',
      "This computer offers no safe place (keychain) for Postroom to keep a password, and Postroom never stores one in plain text. Unlock or set up the system keyring, or use the command line's --password-env to read it from an environment variable.",
    );
  }
  return ctx.secrets.encrypt(secret);
}

/** RFC 8314: 465 for implicit TLS; RFC 6409: 587 for submission with STARTTLS; 25 for a plain relay on a trusted network. */
function defaultPort(security: Security, presetPort: number | undefined): number {
  if (presetPort) return presetPort;
  return security === 'tls' ? 465 : security === 'starttls' ? 587 : 25;
}

interface Resolved {
  name: string;
  preset: string;
  host: string;
  port: number;
  security: Security;
  user: string | null;
  auth: AuthKind;
  acceptSelfSigned: boolean;
  tlsFingerprint: string | null;
  limits: RelayLimits;
  retry: RetryPolicy;
}

/** A host that is this computer itself: `localhost`, 127.0.0.0/8, ::1 (a password sent to it never crosses a network). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!v4 && Number(v4[1]) === 127 && v4.slice(2).every((n) => Number(n) <= 255);
}

/**
 * Why a relay must not log in as it is set up, or null: a password (or token) with `security: none` to a host that
 * isn't this computer would travel the network unencrypted. Decided here for adding, changing and every login.
 */
export function plainLoginRefusal(v: { name: string; host: string; security: Security; auth: AuthKind }): string | null {
  if (v.security !== 'none' || v.auth === 'none' || isLoopbackHost(v.host)) return null;
  return `The relay "${v.name}" would send its ${v.auth === 'oauth2' ? 'sign-in token' : 'password'} to ${v.host} unencrypted (security: none), where anyone on the way could read it. Choose TLS or STARTTLS for it; "none" is only for a relay on this computer (localhost) or one that needs no login.`;
}

function check(v: Resolved): void {
  const plain = plainLoginRefusal(v);
  if (plain) throw new PostroomError('INVALID_INPUT', plain);
  // An OAuth2 relay may leave the user empty: signing in fills in the account's address.
  if (v.auth === 'password' && !v.user) {
    throw new PostroomError('INVALID_INPUT', `The relay "${v.name}" logs in, so it needs a user name (--user).`);
  }
  if (v.retry.minMs > v.retry.maxMs) {
    throw new PostroomError('INVALID_INPUT', `The shortest wait between retries (retry-min) must not be longer than the longest (retry-max).`);
  }
  const l = v.limits;
  // Limits that contradict each other make the slower one the real limit; that is allowed, but a zero is not.
  for (const [k, n] of Object.entries(l)) {
    if (n !== null && (!Number.isSafeInteger(n) || n < 1)) throw new PostroomError('INVALID_INPUT', `The limit ${k} must be a whole number of at least 1.`);
  }
}

function uniqueViolation(err: unknown, name: string): never {
  if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new PostroomError('ALREADY_EXISTS', `There is already a relay called "${name}". Choose another name, or change that relay.`);
  }
  throw err;
}

/**
 * A relay's settings as they would be saved, without saving them (to test a relay before adding it).
 * The profile has id 0; pass the password to testRelay as `secret` (a draft has nothing sealed to read).
 */
export function draftRelay(ctx: CoreContext, input: RelayCreate): RelayProfile {
  const v = resolveNew(input);
  const now = ctx.clock.now();
  return {
    id: 0,
    ...v,
    passwordSource: v.auth !== 'password' ? 'none' : input.passwordEnv !== undefined ? 'env' : 'stored',
    passwordEnv: v.auth === 'password' ? (input.passwordEnv ?? null) : null,
    createdAt: now,
    updatedAt: now,
  };
}

function resolveNew(input: RelayCreate): Resolved {
  const presetName = input.preset ?? 'custom';
  const preset = PRESETS[presetName];
  const host = input.host ?? preset.host;
  if (!host) throw new PostroomError('INVALID_INPUT', `The relay "${input.name}" needs a host name (--host), e.g. smtp.example.com.`);
  const security = input.security ?? preset.security;
  const hasSecret = input.password !== undefined || input.passwordEnv !== undefined;
  if (input.password !== undefined && input.passwordEnv !== undefined) {
    throw new PostroomError('INVALID_INPUT', 'Give either a password or the environment variable that holds it, not both.');
  }
  const auth: AuthKind = input.auth ?? (hasSecret ? 'password' : 'none');
  if (auth === 'password' && !hasSecret) {
    throw new PostroomError('INVALID_INPUT', `The relay "${input.name}" logs in, so it needs a password (--password-env VAR).`);
  }
  if (auth === 'oauth2') checkOAuthInput(input.name, presetName, input, hasSecret, null);
  const v: Resolved = {
    name: input.name,
    preset: presetName,
    host,
    port: input.port ?? defaultPort(security, input.preset && security === preset.security ? preset.port : undefined),
    security,
    user: input.user ?? preset.user,
    auth,
    acceptSelfSigned: input.acceptSelfSigned ?? false,
    tlsFingerprint: input.acceptSelfSigned && input.tlsFingerprint ? normaliseFingerprint(input.tlsFingerprint) : null,
    limits: { ...preset.limits, ...input.limits },
    retry: { ...DEFAULT_RETRY, ...input.retry },
  };
  check(v);
  return v;
}

/** Adds a relay; omitted fields come from the preset, then from the command line spec's defaults. */
export function createRelay(ctx: CoreContext, input: RelayCreate): RelayProfile {
  const v = resolveNew(input);
  const auth = v.auth;
  const sealed = auth === 'password' && input.password !== undefined ? seal(ctx, input.password) : null;
  const env = auth === 'password' ? (input.passwordEnv ?? null) : null;
  const now = ctx.clock.now();
  let id: number;
  try {
    id = Number(
      ctx.db
        .prepare(
          `INSERT INTO relays (name, preset, host, port, security, accept_self_signed, tls_fingerprint, user, auth, secret_sealed, secret_env,
             per_second, per_minute, per_hour, per_day, connections, retry_min_ms, retry_max_ms, give_up_ms, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(v.name, v.preset, v.host, v.port, v.security, v.acceptSelfSigned ? 1 : 0, v.tlsFingerprint, v.user, v.auth, sealed, env,
          v.limits.perSecond, v.limits.perMinute, v.limits.perHour, v.limits.perDay, v.limits.connections,
          v.retry.minMs, v.retry.maxMs, v.retry.giveUpMs, now, now).lastInsertRowid,
    );
  } catch (err) {
    uniqueViolation(err, v.name);
  }
  if (auth === 'oauth2') saveOAuthSettings(ctx, id, oauthSettingsOf(input, null));
  return getRelay(ctx, id);
}

/** OAuth2 settings need an issuer (from the preset or given) and take no password: a pasted token is no way in. */
function checkOAuthInput(name: string, preset: string, input: RelayFields, hasSecret: boolean, current: OAuthRow | null): void {
  if (hasSecret) {
    throw new PostroomError('INVALID_INPUT', `The relay "${name}" signs in with OAuth2, so it takes no password or token: sign in to it instead (Sign in on the relay, or 'postroom relay login ${name}').`);
  }
  if (!input.oauthIssuer && !current?.issuer && !providerOfPreset(preset)) {
    throw new PostroomError('INVALID_INPUT', `The relay "${name}" signs in with OAuth2, so it needs the address of its sign-in provider (--oauth-issuer URL), e.g. https://login.example.com.`);
  }
  if (input.oauthIssuer) {
    const u = new URL(input.oauthIssuer);
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
      throw new PostroomError('INVALID_INPUT', `The sign-in provider's address must start with https:// (not "${input.oauthIssuer}").`);
    }
  }
}

function oauthSettingsOf(input: RelayFields, current: OAuthRow | null): OAuthSettings {
  return {
    issuer: input.oauthIssuer ?? current?.issuer ?? null,
    clientId: input.oauthClientId !== undefined ? input.oauthClientId : (current?.client_id ?? null),
    clientSecretEnv: input.oauthClientSecretEnv ?? current?.client_secret_env ?? null,
    scopes: input.oauthScope !== undefined ? input.oauthScope.trim().split(/\s+/).join(' ') : (current?.scopes ?? ''),
  };
}

/**
 * Counts changes of relays' limits made in this process (updateRelay, removeRelay), so that a rate gate holding a
 * relay's limits knows at once that they may have changed (rate-gate.ts, limitedRecently).
 */
let limitsChanges = 0;
export const relayLimitsChanges = (): number => limitsChanges;

/** Changes the given fields of a relay. A new password replaces the stored one (or the environment variable). */
export function updateRelay(ctx: CoreContext, input: RelayUpdate): RelayProfile {
  const current = getRelay(ctx, input.relay);
  if (input.password !== undefined && input.passwordEnv !== undefined) {
    throw new PostroomError('INVALID_INPUT', 'Give either a password or the environment variable that holds it, not both.');
  }
  const security = input.security ?? current.security;
  const v: Resolved = {
    name: input.name ?? current.name,
    preset: input.preset ?? current.preset,
    host: input.host ?? current.host,
    port: input.port ?? current.port,
    security,
    user: input.user !== undefined ? input.user : current.user,
    auth: input.auth ?? (current.auth === 'none' && (input.password !== undefined || input.passwordEnv !== undefined) ? 'password' : current.auth),
    acceptSelfSigned: input.acceptSelfSigned ?? current.acceptSelfSigned,
    tlsFingerprint: pinAfterUpdate(current, input),
    limits: { ...current.limits, ...input.limits },
    retry: { ...current.retry, ...input.retry },
  };
  check(v);
  let sealedSql = 'secret_sealed';
  let envSql = 'secret_env';
  const params: unknown[] = [];
  if (v.auth === 'none' || input.clearPassword) {
    sealedSql = 'NULL';
    envSql = 'NULL';
  }
  if (input.password !== undefined) {
    sealedSql = '?';
    params.push(seal(ctx, input.password));
    envSql = 'NULL';
  } else if (input.passwordEnv !== undefined) {
    sealedSql = 'NULL';
    envSql = '?';
    params.push(input.passwordEnv);
  }
  const willHaveSecret = input.password !== undefined || input.passwordEnv !== undefined || (!input.clearPassword && current.passwordSource !== 'none');
  if (v.auth === 'password' && !willHaveSecret) {
    throw new PostroomError('INVALID_INPUT', `The relay "${v.name}" logs in, so it needs a password.`);
  }
  const currentOAuth = readOAuth(ctx, current.id);
  if (v.auth === 'oauth2') {
    checkOAuthInput(v.name, v.preset, input, input.password !== undefined || input.passwordEnv !== undefined, currentOAuth);
    // A password it had before is no use to a relay that signs in.
    sealedSql = 'NULL';
    envSql = 'NULL';
  }
  try {
    ctx.db
      .prepare(
        `UPDATE relays SET name = ?, preset = ?, host = ?, port = ?, security = ?, accept_self_signed = ?, tls_fingerprint = ?, user = ?, auth = ?,
           secret_sealed = ${sealedSql}, secret_env = ${envSql},
           per_second = ?, per_minute = ?, per_hour = ?, per_day = ?, connections = ?,
           retry_min_ms = ?, retry_max_ms = ?, give_up_ms = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(v.name, v.preset, v.host, v.port, v.security, v.acceptSelfSigned ? 1 : 0, v.tlsFingerprint, v.user, v.auth, ...params,
        v.limits.perSecond, v.limits.perMinute, v.limits.perHour, v.limits.perDay, v.limits.connections,
        v.retry.minMs, v.retry.maxMs, v.retry.giveUpMs, ctx.clock.now(), current.id);
  } catch (err) {
    uniqueViolation(err, v.name);
  } finally {
    limitsChanges++;
  }
  if (v.auth === 'oauth2') saveOAuthSettings(ctx, current.id, oauthSettingsOf(input, currentOAuth));
  return getRelay(ctx, current.id);
}

/**
 * The pinned certificate after a change: a fingerprint given with it; none when certificates are verified again;
 * forgotten when the server changes (host or port), when the person turns acceptance on, or clears it (null), so the
 * next connection pins anew.
 */
function pinAfterUpdate(current: RelayProfile, input: RelayUpdate): string | null {
  const accept = input.acceptSelfSigned ?? current.acceptSelfSigned;
  if (!accept) return null;
  if (input.tlsFingerprint) return normaliseFingerprint(input.tlsFingerprint);
  const sameServer = (input.host ?? current.host) === current.host && (input.port ?? current.port) === current.port;
  const acceptedAgain = (!current.acceptSelfSigned && input.acceptSelfSigned === true) || input.tlsFingerprint === null;
  return sameServer && !acceptedAgain ? current.tlsFingerprint : null;
}

/** Records the certificate seen on the first connection after it was accepted (relay/pinning.ts); never replaces one. */
export function pinCertificate(ctx: CoreContext, relayId: number, fingerprint: string): void {
  ctx.db.prepare(`UPDATE relays SET tls_fingerprint = ? WHERE id = ? AND accept_self_signed = 1 AND tls_fingerprint IS NULL`).run(fingerprint, relayId);
}

/** Removes a relay and its pacing ledger. CONFLICT while a campaign still refers to it. */
export function removeRelay(ctx: CoreContext, idOrName: number | string): RelayProfile {
  const current = getRelay(ctx, idOrName);
  const users = campaignsUsing(ctx, current.id);
  if (users.length) {
    const names = users.map((n) => `"${n}"`).join(', ');
    throw new PostroomError(
      'CONFLICT',
      `The relay "${current.name}" is still used by the campaign${users.length > 1 ? 's' : ''} ${names}, so it was kept. Finish or cancel ${users.length > 1 ? 'them' : 'it'}, or give ${users.length > 1 ? 'them' : 'it'} another relay, first.`,
    );
  }
  try {
    ctx.db.prepare(`DELETE FROM relays WHERE id = ?`).run(current.id);
    limitsChanges++;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new PostroomError(
        'CONFLICT',
        `The relay "${current.name}" is still used by a campaign, so it was kept. Change or delete the campaigns that send through it first.`,
      );
    }
    throw err;
  }
  return current;
}

/**
 * Campaigns that still send (or may send) through a relay. Campaigns name their relays in `relay_ids`, a JSON
 * array in failover order (migration 005), so no foreign key guards them; finished and cancelled ones don't count.
 */
function campaignsUsing(ctx: CoreContext, relayId: number): string[] {
  try {
    return (
      ctx.db
        .prepare(
          `SELECT name FROM campaigns WHERE state NOT IN ('completed', 'cancelled')
             AND EXISTS (SELECT 1 FROM json_each(campaigns.relay_ids) WHERE value = ?) ORDER BY name`,
        )
        .all(relayId) as Array<{ name: string }>
    ).map((r) => r.name);
  } catch (err) {
    // A database without campaigns yet (the outbox's migration not applied, as in some tests).
    if (/no such (table|column)/.test((err as Error).message)) return [];
    throw err;
  }
}

export { presetOf };
