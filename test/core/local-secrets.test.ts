/**
 * Local secrets: the data folder is the owner's alone (0700), the database files too (0600); the key that seals
 * passwords lives in the OS keychain where there is one (a Keystore; Electron's safeStorage in the desktop app),
 * not in `secret.key` beside the database; and Settings learns which (app:info `secrets`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/store/db';
import { createService } from '../../electron/core/service';
import { fileSecretBox, keychainSecretBox, SEALED_KEY_FILE, type Keystore } from '../../electron/core/secrets';
import { createRelay, getRelay, resolveSecret } from '../../electron/core/relay';
import { dispatch } from '../../shared/router';
import { tempDir } from '../helpers';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

/**
 * A keychain for the test: it seals with its own key, which lives only in this object (as the OS keeps the
 * keychain's key outside the data folder). Two instances with the same `secret` are the same user's keychain.
 */
function testKeystore(secret = crypto.randomBytes(32), available = true): Keystore & { sealed: number } {
  const ks = {
    sealed: 0,
    available: () => available,
    seal(plain: string) {
      ks.sealed++;
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unseal(sealed: Buffer) {
      const d = crypto.createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
  return ks;
}

describe.runIf(posix)('file modes', () => {
  it('creates the data folder 0700 and the database files 0600', () => {
    const data = path.join(tempDir(), 'nested', 'Postroom');
    const db = openDatabase(data);
    db.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES ('a', '[]', 1, 1)`).run();
    expect(mode(data)).toBe(0o700);
    for (const f of ['postroom.db', 'postroom.db-wal', 'postroom.db-shm']) expect(mode(path.join(data, f)), f).toBe(0o600);
    db.close();
  });

  it('takes group and other access away from a data folder and database an older version left open', () => {
    const data = tempDir();
    openDatabase(data).close();
    fs.chmodSync(data, 0o755);
    fs.chmodSync(path.join(data, 'postroom.db'), 0o644);
    const db = openDatabase(data);
    expect(mode(data)).toBe(0o700);
    expect(mode(path.join(data, 'postroom.db'))).toBe(0o600);
    db.close();
  });

  it('leaves alone an existing folder that is not a Postroom data folder yet', () => {
    const data = tempDir();
    fs.chmodSync(data, 0o755);
    openDatabase(data).close();
    expect(mode(data)).toBe(0o755);
    expect(mode(path.join(data, 'postroom.db'))).toBe(0o600);
  });
});

describe('the sealing key', () => {
  it('lives in the keychain, sealed, not in secret.key: the data folder alone opens no password', async () => {
    const data = tempDir();
    const keychain = testKeystore();
    const service = createService({ dataDir: data, host: 'test', secrets: keychainSecretBox(data, keychain) });
    createRelay(service.ctx, { name: 'shop', host: 'mail.example.com', port: 587, user: 'ann', password: 'hunter2-long-password' });
    expect(resolveSecret(service.ctx, getRelay(service.ctx, 'shop'))).toBe('hunter2-long-password');
    const info = await dispatch(service.handlers, 'app:info', {});
    expect(info).toMatchObject({ ok: true, value: { secrets: 'keychain' } });
    await service.close();

    expect(fs.existsSync(path.join(data, 'secret.key'))).toBe(false);
    expect(fs.existsSync(path.join(data, SEALED_KEY_FILE))).toBe(true);
    const files = fs.readdirSync(data).map((f) => fs.readFileSync(path.join(data, f)));
    expect(files.some((b) => b.includes(Buffer.from('hunter2-long-password')))).toBe(false);

    // The same user's keychain opens it again; the command line (key file box) says where the key is instead of making another.
    const again = createService({ dataDir: data, host: 'test', secrets: keychainSecretBox(data, testKeystore(undefined)) });
    expect(() => resolveSecret(again.ctx, getRelay(again.ctx, 'shop'))).toThrow(/can't read the saved password/);
    await again.close();
    const cli = createService({ dataDir: data, host: 'cli', secrets: fileSecretBox(data) });
    expect(() => cli.ctx.secrets.encrypt('x')).toThrow(/keeps in your system's keychain.*environment variable/);
    expect(() => resolveSecret(cli.ctx, getRelay(cli.ctx, 'shop'))).toThrow(/system keychain/);
    expect(fs.existsSync(path.join(data, 'secret.key'))).toBe(false);
    await cli.close();
  });

  it("moves an older secret.key into the keychain, and the passwords it sealed still open", async () => {
    const data = tempDir();
    const before = createService({ dataDir: data, host: 'cli' });
    createRelay(before.ctx, { name: 'shop', host: 'mail.example.com', port: 587, user: 'ann', password: 'old-password' });
    await before.close();
    expect(mode(path.join(data, 'secret.key')) & 0o077).toBe(0);

    const keychain = testKeystore();
    const desktop = createService({ dataDir: data, host: 'desktop', secrets: keychainSecretBox(data, keychain) });
    expect(resolveSecret(desktop.ctx, getRelay(desktop.ctx, 'shop'))).toBe('old-password');
    expect(fs.existsSync(path.join(data, 'secret.key'))).toBe(false);
    expect(keychain.sealed).toBe(1);
    await desktop.close();
  });

  it('falls back to the key file where there is no keychain, and app:info says so', async () => {
    const data = tempDir();
    const service = createService({ dataDir: data, host: 'desktop', secrets: keychainSecretBox(data, testKeystore(undefined, false)) });
    createRelay(service.ctx, { name: 'shop', host: 'mail.example.com', port: 587, user: 'ann', password: 'pw' });
    expect(fs.existsSync(path.join(data, 'secret.key'))).toBe(true);
    expect(await dispatch(service.handlers, 'app:info', {})).toMatchObject({ ok: true, value: { secrets: 'key-file' } });
    await service.close();
  });
});
