import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, getRelay, listRelays, removeRelay, resolveSecret, updateRelay, PRESETS } from '../../../electron/core/relay';
import { DB_FILE } from '../../../electron/core/store/db';
import { makeContext, type TestContext } from './helpers';

let ctx: TestContext;
afterEach(() => ctx.cleanup());

describe('relay profiles', () => {
  it('fills a new relay from its preset: Gmail is smtp.gmail.com:587 STARTTLS with 500 a day', () => {
    ctx = makeContext();
    const r = createRelay(ctx, { name: 'gmail', preset: 'gmail', user: 'me@gmail.com', auth: 'oauth2' });
    expect(r).toMatchObject({ host: 'smtp.gmail.com', port: 587, security: 'starttls', auth: 'oauth2', passwordSource: 'none', limits: { perDay: 500 } });
  });

  it('takes no pasted token for a relay that signs in, and needs an issuer where the preset has none', () => {
    ctx = makeContext();
    expect(() => createRelay(ctx, { name: 'm', preset: 'm365', auth: 'oauth2', password: 'ya29.x' })).toThrow(/takes no password or token: sign in/);
    expect(() => createRelay(ctx, { name: 'c', host: 'smtp.example.com', auth: 'oauth2' })).toThrow(/--oauth-issuer/);
    expect(() => createRelay(ctx, { name: 'h', host: 'smtp.example.com', auth: 'oauth2', oauthIssuer: 'http://login.example.com' })).toThrow(/https/);
    // Microsoft 365 without a user: signing in fills it in.
    expect(createRelay(ctx, { name: 'm', preset: 'm365', auth: 'oauth2' })).toMatchObject({ user: null, auth: 'oauth2' });
  });

  it('has the providers’ known limits in its presets', () => {
    expect(PRESETS.workspace.limits.perDay).toBe(2000);
    expect(PRESETS.m365.limits).toMatchObject({ perMinute: 30, perDay: 10000, connections: 3 });
    expect(PRESETS.ses.limits).toMatchObject({ perSecond: 1, perDay: 200 });
    expect(PRESETS.sendgrid).toMatchObject({ host: 'smtp.sendgrid.net', user: 'apikey' });
    expect(PRESETS.mailgun.host).toBe('smtp.mailgun.org');
    expect(PRESETS.postmark.host).toBe('smtp.postmarkapp.com');
    expect(PRESETS.custom.limits.connections).toBe(4);
  });

  it('seals a password: the database file never holds it, and it reads back only through the secret box', () => {
    ctx = makeContext();
    const r = createRelay(ctx, { name: 'shop', host: 'smtp.example.com', user: 'shop', password: 'correct horse battery' });
    expect(r.passwordSource).toBe('stored');
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(path.join(ctx.dataDir, DB_FILE));
    expect(bytes.includes(Buffer.from('correct horse'))).toBe(false);
    expect(JSON.stringify(getRelay(ctx, 'shop'))).not.toContain('correct horse');
    expect(resolveSecret(ctx, r)).toBe('correct horse battery');
  });

  it('says how to go on when a password was sealed by another host (the desktop keychain)', () => {
    ctx = makeContext();
    const r = createRelay(ctx, { name: 'shop', host: 'smtp.example.com', user: 'shop', password: 'pw' });
    ctx.db.prepare(`UPDATE relays SET secret_sealed = x'07AABBCC'`).run();
    expect(() => resolveSecret(ctx, r)).toThrow(/saved by the desktop app in the system keychain.*relay edit shop --password-env VAR/);
  });

  it('refuses to keep a password when the computer offers no safe place for it', () => {
    ctx = makeContext();
    ctx.secrets = { available: () => false, encrypt: () => Buffer.alloc(0), decrypt: () => '' };
    expect(() => createRelay(ctx, { name: 'x', host: 'h.example.com', user: 'u', password: 'p' })).toThrow(/never stores one in plain text/);
    expect(listRelays(ctx)).toEqual([]);
  });

  it('needs a user name and a secret for a relay that logs in', () => {
    ctx = makeContext();
    expect(() => createRelay(ctx, { name: 'x', host: 'h.example.com', password: 'p' })).toThrow(/needs a user name/);
    expect(() => createRelay(ctx, { name: 'x', host: 'h.example.com', user: 'u', auth: 'password' })).toThrow(/needs a password/);
  });

  it('changes only the fields given, and swaps a stored password for an environment variable', () => {
    ctx = makeContext();
    createRelay(ctx, { name: 'shop', host: 'smtp.example.com', user: 'shop', password: 'old', limits: { perDay: 100 } });
    const r = updateRelay(ctx, { relay: 'SHOP', passwordEnv: 'SHOP_PW', limits: { perMinute: 10 } });
    expect(r).toMatchObject({ name: 'shop', host: 'smtp.example.com', passwordSource: 'env', passwordEnv: 'SHOP_PW', limits: { perDay: 100, perMinute: 10 } });
    expect((ctx.db.prepare('SELECT secret_sealed FROM relays').get() as { secret_sealed: Buffer | null }).secret_sealed).toBeNull();
    expect(() => resolveSecret(ctx, r, {})).toThrow(/SHOP_PW, which is not set/);
    expect(resolveSecret(ctx, r, { SHOP_PW: 'from-env' })).toBe('from-env');
  });

  it('finds relays by name regardless of case, and says what to do when there is none', () => {
    ctx = makeContext();
    createRelay(ctx, { name: 'Office', host: 'smtp.example.com' });
    expect(getRelay(ctx, 'office').name).toBe('Office');
    expect(() => getRelay(ctx, 'home')).toThrow(/There is no relay "home".*postroom relay add/);
  });

  it('refuses a second relay with the same name', () => {
    ctx = makeContext();
    createRelay(ctx, { name: 'Office', host: 'smtp.example.com' });
    expect(() => createRelay(ctx, { name: 'office', host: 'smtp.example.com' })).toThrow(/already a relay called "office"/);
  });

  it('keeps a relay a campaign still refers to, and says why', () => {
    ctx = makeContext();
    const r = createRelay(ctx, { name: 'busy', host: 'smtp.example.com' });
    ctx.db.exec(`CREATE TABLE uses_relay (relay_id INTEGER NOT NULL REFERENCES relays(id))`);
    ctx.db.prepare('INSERT INTO uses_relay VALUES (?)').run(r.id);
    expect(() => removeRelay(ctx, 'busy')).toThrow(/still used by a campaign/);
    expect(listRelays(ctx)).toHaveLength(1);
  });

  it('keeps a relay an unfinished campaign sends through, naming the campaign', () => {
    ctx = makeContext();
    const r = createRelay(ctx, { name: 'main', host: 'smtp.example.com' });
    const insert = ctx.db.prepare(`INSERT INTO campaigns (name, relay_ids, state, created_at, updated_at) VALUES (?, ?, ?, 1, 1)`);
    insert.run('Spring news', JSON.stringify([99, r.id]), 'paused');
    insert.run('Old news', JSON.stringify([r.id]), 'completed');
    expect(() => removeRelay(ctx, 'main')).toThrow(/still used by the campaign "Spring news"/);
    ctx.db.prepare(`UPDATE campaigns SET state = 'cancelled' WHERE name = 'Spring news'`).run();
    expect(removeRelay(ctx, 'main').name).toBe('main');
  });

  it('removes a relay together with its pacing ledger', () => {
    ctx = makeContext();
    const r = createRelay(ctx, { name: 'gone', host: 'smtp.example.com' });
    ctx.db.prepare('INSERT INTO relay_sends (relay_id, at, seen_by) VALUES (?, 1, 1)').run(r.id);
    removeRelay(ctx, 'gone');
    expect(ctx.db.prepare('SELECT count(*) AS n FROM relay_sends').get()).toEqual({ n: 0 });
  });
});
