import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { migrationsUpTo, tempDir } from '../../helpers';

describe('migration 008 (relay sign-in)', () => {
  it('gives OAuth2 relays of version 6 a sign-in row and drops the access tokens they were pasted, leaving other relays alone', () => {
    const dir = tempDir('postroom-m008-');
    const old = openDatabase(dir, { migrations: migrationsUpTo(6) });
    const add = old.prepare(
      `INSERT INTO relays (name, preset, host, port, security, user, auth, secret_sealed, secret_env, created_at, updated_at) VALUES (?, ?, 'h', 587, 'starttls', 'me@example.com', ?, ?, ?, 1, 1)`,
    );
    add.run('office', 'm365', 'oauth2', null, 'M365_TOKEN');
    add.run('gmail', 'gmail', 'oauth2', Buffer.from([1, 2, 3]), null);
    add.run('own', 'custom', 'oauth2', null, 'TOKEN');
    add.run('shop', 'custom', 'password', Buffer.from([1, 9, 9]), null);
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(8) });
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare(`SELECT r.name, o.issuer, o.needs_sign_in, r.secret_sealed, r.secret_env FROM relay_oauth o JOIN relays r ON r.id = o.relay_id ORDER BY r.name`).all()).toEqual([
      { name: 'gmail', issuer: 'https://accounts.google.com', needs_sign_in: 1, secret_sealed: null, secret_env: null },
      { name: 'office', issuer: 'https://login.microsoftonline.com/common/v2.0', needs_sign_in: 1, secret_sealed: null, secret_env: null },
      { name: 'own', issuer: null, needs_sign_in: 1, secret_sealed: null, secret_env: null },
    ]);
    expect(db.prepare(`SELECT secret_sealed FROM relays WHERE name = 'shop'`).get()).toEqual({ secret_sealed: Buffer.from([1, 9, 9]) });
    db.prepare(`DELETE FROM relays WHERE name = 'office'`).run();
    expect(db.prepare(`SELECT count(*) AS n FROM relay_oauth`).get()).toEqual({ n: 2 });
    db.close();
  });
});
