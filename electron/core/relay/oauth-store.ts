/**
 * The `relay_oauth` table (migration 008): what an `oauth2` relay signs in with and the tokens it holds, sealed.
 * The only module that writes SQL for it. Tokens go in and come out sealed; unsealing is oauth.ts's business.
 */
import type { CoreContext } from '../context';

export interface OAuthRow {
  relay_id: number;
  issuer: string | null;
  client_id: string | null;
  client_secret_env: string | null;
  scopes: string;
  refresh_sealed: Buffer | null;
  access_sealed: Buffer | null;
  access_issued_at: number | null;
  access_expires_at: number | null;
  generation: number;
  renewals: number;
  renewing_until: number | null;
  signed_in_as: string | null;
  signed_in_at: number | null;
  needs_sign_in: number;
  problem: string | null;
}

export interface OAuthSettings {
  issuer: string | null;
  clientId: string | null;
  clientSecretEnv: string | null;
  /** Space-separated; '' means the provider's defaults. */
  scopes: string;
}

export function readOAuth(ctx: CoreContext, relayId: number): OAuthRow | null {
  return (ctx.db.prepare(`SELECT * FROM relay_oauth WHERE relay_id = ?`).get(relayId) as OAuthRow | undefined) ?? null;
}

/** Saves what the relay signs in with. A change of issuer, client or scopes forgets the tokens (they were for the old one). */
export function saveOAuthSettings(ctx: CoreContext, relayId: number, s: OAuthSettings): void {
  const old = readOAuth(ctx, relayId);
  if (!old) {
    ctx.db
      .prepare(`INSERT INTO relay_oauth (relay_id, issuer, client_id, client_secret_env, scopes) VALUES (?, ?, ?, ?, ?)`)
      .run(relayId, s.issuer, s.clientId, s.clientSecretEnv, s.scopes);
    return;
  }
  const changed = old.issuer !== s.issuer || old.client_id !== s.clientId || old.scopes !== s.scopes;
  ctx.db
    .prepare(`UPDATE relay_oauth SET issuer = ?, client_id = ?, client_secret_env = ?, scopes = ? WHERE relay_id = ?`)
    .run(s.issuer, s.clientId, s.clientSecretEnv, s.scopes, relayId);
  if (changed) forgetTokens(ctx, relayId, null);
}

/** A finished sign-in: new tokens, the address, and no problem. */
export function storeSignIn(
  ctx: CoreContext,
  relayId: number,
  t: { refreshSealed: Buffer; accessSealed: Buffer; issuedAt: number; expiresAt: number; address: string | null },
): void {
  ctx.db
    .prepare(
      `UPDATE relay_oauth SET refresh_sealed = ?, access_sealed = ?, access_issued_at = ?, access_expires_at = ?,
         generation = generation + 1, signed_in_as = ?, signed_in_at = ?, needs_sign_in = 0, problem = NULL, renewing_until = NULL
       WHERE relay_id = ?`,
    )
    .run(t.refreshSealed, t.accessSealed, t.issuedAt, t.expiresAt, t.address, t.issuedAt, relayId);
}

/**
 * A renewal's result, written in one statement: the new refresh token (when the provider rotated it) is stored
 * together with the access token, before anyone uses that access token. Ends the renewal lease.
 */
export function storeRenewal(
  ctx: CoreContext,
  relayId: number,
  t: { refreshSealed: Buffer | null; accessSealed: Buffer; issuedAt: number; expiresAt: number },
): void {
  ctx.db
    .prepare(
      `UPDATE relay_oauth SET refresh_sealed = coalesce(?, refresh_sealed), access_sealed = ?, access_issued_at = ?,
         access_expires_at = ?, generation = generation + 1, renewals = renewals + 1, renewing_until = NULL
       WHERE relay_id = ?`,
    )
    .run(t.refreshSealed, t.accessSealed, t.issuedAt, t.expiresAt, relayId);
}

/** Forgets the tokens. With a problem, the relay shows "Sign in again" with that reason; without, it was a sign-out. */
export function forgetTokens(ctx: CoreContext, relayId: number, problem: string | null): void {
  ctx.db
    .prepare(
      `UPDATE relay_oauth SET refresh_sealed = NULL, access_sealed = NULL, access_issued_at = NULL, access_expires_at = NULL,
         generation = generation + 1, needs_sign_in = 1, problem = ?, renewing_until = NULL
       WHERE relay_id = ?`,
    )
    .run(problem, relayId);
}

/**
 * Takes the renewal lease when no other process (or call) holds one. Returns the lease's mark, to release it
 * with, or null when someone else is renewing.
 */
export function claimRenewal(ctx: CoreContext, relayId: number, now: number, leaseMs: number): number | null {
  const until = now + leaseMs + Math.floor(Math.random() * 1000); // a mark that is ours alone in practice
  const r = ctx.db
    .prepare(`UPDATE relay_oauth SET renewing_until = ? WHERE relay_id = ? AND (renewing_until IS NULL OR renewing_until <= ?)`)
    .run(until, relayId, now);
  return r.changes === 1 ? until : null;
}

export function releaseRenewal(ctx: CoreContext, relayId: number, mark: number): void {
  ctx.db.prepare(`UPDATE relay_oauth SET renewing_until = NULL WHERE relay_id = ? AND renewing_until = ?`).run(relayId, mark);
}
