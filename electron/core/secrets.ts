/**
 * SecretBoxes: passwords, tokens and DKIM keys are sealed with AES-256-GCM under one random key (the sealing key).
 * Where that key lives is the whole difference:
 * - `keychainSecretBox`: sealed by the OS keychain (Electron's safeStorage on the desktop, injected as a Keystore so
 *   that this logic runs and is tested under plain Node) in `secret.key.sealed`. A copy of the data folder then
 *   holds no key that opens it.
 * - `fileSecretBox`: in `secret.key` beside the database, readable only by its owner: for the command line, the
 *   browser host, and a desktop without a keychain. A backup of the data folder then holds the key too; Settings
 *   and the README say so (`protection()`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretBox } from './context';
import { PostroomError } from '../../shared/errors';

const KEY_FILE = 'secret.key';
/** The sealing key, itself sealed by the OS keychain. */
export const SEALED_KEY_FILE = 'secret.key.sealed';
const VERSION = 1;
/** The first byte of a secret an older desktop app sealed directly with the OS keychain (still read). */
export const KEYCHAIN_TAG = 2;

/** The OS keychain as Postroom uses it (Electron's safeStorage on the desktop); injected so the logic runs under Node. */
export interface Keystore {
  /** Whether it really protects what it seals (safeStorage on a Linux without a keyring only obfuscates). */
  available(): boolean;
  seal(plain: string): Buffer;
  unseal(sealed: Buffer): string;
}

/** Where the sealing key is kept, for Settings: in the system keychain, or in a key file in the data folder. */
export type SecretProtection = 'keychain' | 'key-file';

function damaged(file: string): PostroomError {
  return new PostroomError('DATA_CORRUPT', `The key file ${file} is damaged, so saved passwords can't be read. Enter them again in Relays.`);
}

function keyInKeychain(): PostroomError {
  return new PostroomError(
    'AUTH_FAILED',
    "Saved passwords here are sealed with a key the desktop app keeps in your system's keychain, which only the desktop app can open. Use the desktop app for this, or let Postroom read the password from an environment variable instead of saving it.",
  );
}

/** AES-256-GCM under the key `getKey` gives; `legacy` opens what an older desktop app sealed with the keychain. */
function aesBox(getKey: () => Buffer, legacy: (sealed: Buffer) => string, protection: SecretProtection): SecretBox & { protection(): SecretProtection } {
  return {
    available: () => true,
    protection: () => protection,
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (sealed[0] === KEYCHAIN_TAG) return legacy(sealed.subarray(1));
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

/** Writes a file only if it isn't there, 0600, on disk before it counts; false when another process was first. */
function writeNew(file: string, content: Buffer): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readIfThere(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The key file box (see the top of this file). Refuses to make a second key when the keychain holds the first. */
export function fileSecretBox(dataDir: string): SecretBox & { protection(): SecretProtection } {
  let key: Buffer | undefined;
  const file = path.join(dataDir, KEY_FILE);
  const getKey = (): Buffer => {
    if (key) return key;
    let found = readIfThere(file);
    if (!found) {
      if (fs.existsSync(path.join(dataDir, SEALED_KEY_FILE))) throw keyInKeychain();
      const fresh = crypto.randomBytes(32);
      // Another process created it first: use theirs.
      found = writeNew(file, fresh) ? fresh : fs.readFileSync(file);
    }
    if (found.length !== 32) throw damaged(file);
    key = found;
    return key;
  };
  return aesBox(getKey, () => {
    throw keyInKeychain();
  }, 'key-file');
}

/**
 * The keychain box (see the top of this file). A `secret.key` an earlier version (or the command line) left is
 * moved into the keychain: sealed, written and synced, then the plain file is removed, so passwords saved with it
 * still open. Without a working keystore it is the key file box.
 */
export function keychainSecretBox(dataDir: string, keystore: Keystore): SecretBox & { protection(): SecretProtection } {
  if (!keystore.available()) return fileSecretBox(dataDir);
  const plainFile = path.join(dataDir, KEY_FILE);
  const sealedFile = path.join(dataDir, SEALED_KEY_FILE);
  let key: Buffer | undefined;
  const getKey = (): Buffer => {
    if (key) return key;
    let sealed = readIfThere(sealedFile);
    if (!sealed) {
      const plain = readIfThere(plainFile);
      if (plain && plain.length !== 32) throw damaged(plainFile);
      const fresh = plain ?? crypto.randomBytes(32);
      if (writeNew(sealedFile, keystore.seal(fresh.toString('base64')))) {
        if (plain) fs.rmSync(plainFile, { force: true });
        key = fresh;
        return key;
      }
      sealed = fs.readFileSync(sealedFile);
    }
    let unsealed: Buffer;
    try {
      unsealed = Buffer.from(keystore.unseal(sealed), 'base64');
    } catch {
      throw new PostroomError('DATA_CORRUPT', `The system keychain couldn't open the key in ${sealedFile} (it was sealed for another user or computer), so saved passwords can't be read. Enter them again in Relays.`);
    }
    if (unsealed.length !== 32) throw damaged(sealedFile);
    key = unsealed;
    return key;
  };
  return aesBox(getKey, (legacy) => keystore.unseal(legacy), 'keychain');
}

/** Where a box keeps its key, for Settings (a box without `protection` is taken to be the key file's). */
export function protectionOf(box: SecretBox): SecretProtection {
  return (box as Partial<{ protection(): SecretProtection }>).protection?.() ?? 'key-file';
}
