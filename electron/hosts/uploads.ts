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
import { uploadsDir } from '../core/uploads';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export interface SavedUpload {
  path: string;
  bytes: number;
}

export async function saveUpload(body: Readable, dataDir: string, name: string): Promise<SavedUpload> {
  // Each upload in a folder of its own, so the file keeps the name the person knows (messages and list
  // sources show it) and two uploads of one name never meet.
  const dir = path.join(uploadsDir(dataDir), crypto.randomBytes(8).toString('hex'));
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

/** How long an upload is kept at most (imports delete theirs when they end: see core/uploads.ts). */
export const UPLOAD_MAX_AGE_MS = 24 * 3600_000;
/** How often a running host prunes uploads. */
export const PRUNE_EVERY_MS = 3600_000;

/**
 * Prunes uploads now and every hour while the host runs (a host may run for weeks). Returns the stop function.
 */
export function pruneUploadsWhileRunning(dataDir: string, every = PRUNE_EVERY_MS): () => void {
  pruneUploads(dataDir);
  const timer = setInterval(() => pruneUploads(dataDir), every);
  timer.unref();
  return () => clearInterval(timer);
}

/** Removes uploads older than `maxAgeMs` (a spreadsheet is needed only until its import has finished). */
export function pruneUploads(dataDir: string, maxAgeMs = UPLOAD_MAX_AGE_MS, now = Date.now()): number {
  const dir = uploadsDir(dataDir);
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
