/**
 * Files the window hands to the core (a spreadsheet to import, an attachment): streamed into the data folder's
 * uploads/ and named by path afterwards. The browser host and the desktop app's app:// protocol both accept
 * `POST ./upload?name=FILE`, so the renderer uses one way for both.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export interface SavedUpload {
  path: string;
  bytes: number;
}

export async function saveUpload(body: Readable, dataDir: string, name: string): Promise<SavedUpload> {
  // Each upload in a folder of its own, so the file keeps the name the person knows (messages and list
  // sources show it) and two uploads of one name never meet.
  const dir = path.join(dataDir, 'uploads', crypto.randomBytes(8).toString('hex'));
  fs.mkdirSync(dir, { recursive: true });
  const safeName = path.basename(name).replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'upload';
  const file = path.join(dir, safeName);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_BYTES) done(new Error('the file is larger than 2 GB'));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, count, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { path: file, bytes };
}

/** Removes uploads older than `maxAgeMs` (a spreadsheet is needed only until its import has finished). */
export function pruneUploads(dataDir: string, maxAgeMs = 24 * 3600_000, now = Date.now()): number {
  const dir = path.join(dataDir, 'uploads');
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > maxAgeMs) {
        fs.rmSync(file, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // gone already, or in use elsewhere: try again next start
    }
  }
  return removed;
}
