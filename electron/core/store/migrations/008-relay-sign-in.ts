import type { Migration } from './index';

/**
 * Signing in to a relay with OAuth 2.0 (issue 12): what each `oauth2` relay signs in with, and the tokens it got.
 *
 * - `issuer` is any authorization server that publishes discovery metadata; `client_id` null means the default
 *   registration for that provider (environment, Settings, or the one built in), looked up when signing in.
 * - The refresh token and the current access token are sealed with the host's SecretBox, like passwords; the
 *   database never holds either in plain text. `generation` goes up with every new access token, so a caller that
 *   saw a token refused can tell whether someone already renewed it.
 * - `renewing_until` is a lease: renewals happen one at a time across processes, because providers rotate refresh
 *   tokens and revoke the whole grant when a used one is replayed.
 * - `needs_sign_in` (with `problem`) is set when the provider refused a renewal: the person must sign in again.
 *
 * Relays that used `auth = 'oauth2'` before this version took a pasted access token (an hour's worth at most);
 * that is no longer a way in, so their token source is cleared and they wait for a sign-in.
 */
export const m008RelaySignIn: Migration = {
  version: 8,
  name: 'relay-sign-in',
  up(db) {
    db.exec(`
      CREATE TABLE relay_oauth (
        relay_id          INTEGER PRIMARY KEY REFERENCES relays(id) ON DELETE CASCADE,
        issuer            TEXT,
        client_id         TEXT,
        client_secret_env TEXT,
        scopes            TEXT NOT NULL DEFAULT '',
        refresh_sealed    BLOB,
        access_sealed     BLOB,
        access_issued_at  INTEGER,
        access_expires_at INTEGER,
        generation        INTEGER NOT NULL DEFAULT 0,
        renewals          INTEGER NOT NULL DEFAULT 0,
        renewing_until    INTEGER,
        signed_in_as      TEXT,
        signed_in_at      INTEGER,
        needs_sign_in     INTEGER NOT NULL DEFAULT 1 CHECK (needs_sign_in IN (0, 1)),
        problem           TEXT
      ) STRICT;
      INSERT INTO relay_oauth (relay_id, issuer, scopes)
        SELECT id,
               CASE preset WHEN 'm365' THEN 'https://login.microsoftonline.com/common/v2.0'
                           WHEN 'gmail' THEN 'https://accounts.google.com'
                           WHEN 'workspace' THEN 'https://accounts.google.com' END,
               ''
          FROM relays WHERE auth = 'oauth2';
      UPDATE relays SET secret_sealed = NULL, secret_env = NULL WHERE auth = 'oauth2';
    `);
  },
};
