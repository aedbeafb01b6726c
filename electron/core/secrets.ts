/**
 * A SecretBox for hosts without Electron's safeStorage (the command line, the browser host, tests):
 * AES-256-GCM with a random key kept in the data folder, readable only by its owner. It keeps passwords out of
 * the database and its backups in plain text; the desktop app uses the OS keychain instead (electron/main.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretBox } from './context';
import { PostroomError } from '../../shared/result';

const KEY_FILE = 'secret.key';
const VERSION = 1;
/** The first byte of a secret sealed by the desktop app with the OS keychain (electron/main.ts). */
export const KEYCHAIN_TAG = 2;

export function fileSecretBox(dataDir: string): SecretBox {
  let key: Buffer | undefined;
  const getKey = (): Buffer => {
    if (key) return key;
    const file = path.join(dataDir, KEY_FILE);
    try {
      key = fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const fresh = crypto.randomBytes(32);
      try {
        fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
        key = fresh;
      } catch (e) {
        // Another process created it first: use theirs.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        key = fs.readFileSync(file);
      }
    }
    if (key.length !== 32) {
      throw new PostroomError('DATA_CORRUPT', `The key file ${file} is damaged, so saved passwords can't be read. Enter them again in Relays.`);
    }
    return key;
  };
  return {
    available: () => true,
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (sealed[0] === KEYCHAIN_TAG) {
        throw new PostroomError(
          'AUTH_FAILED',
          "This relay's password was saved by the desktop app in your system's keychain, which only the desktop app can read. Send from the desktop app, or give the command line the password with --password-env.",
        );
      }
      if (sealed[0] !== VERSION) throw new PostroomError('DATA_CORRUPT', 'A saved password is in an unknown format. Enter it again in Relays.');
      const iv = sealed.subarray(1, 13);
      const tag = sealed.subarray(13, 29);
      const decipher = crypto.createDecipheriv('aes-256-gcm', getKey(), iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
      } catch {
        throw new PostroomError('DATA_CORRUPT', "A saved password can't be decrypted (the key file changed). Enter it again in Relays.");
      }
    },
  };
}
