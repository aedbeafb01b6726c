/**
 * The data folder's uploads/: files the window handed to the core (hosts/uploads.ts saves them, each in a folder
 * of its own). A spreadsheet is needed only until its import has ended, so it is deleted then, whatever the end
 * (done, failed, cancelled); the hosts also prune what is left over, at start and while they run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PostroomError } from '../../shared/errors';

export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

/**
 * Deletes `file` with its folder when it is an upload (`uploads/<folder>/<file>`); anything else (a file the
 * command line named, a path outside uploads/) is left alone. Never throws: a file still open elsewhere is
 * pruned later.
 */
export function discardUpload(dataDir: string, file: string): boolean {
  const root = path.resolve(uploadsDir(dataDir));
  const folder = path.dirname(path.resolve(file));
  if (path.dirname(folder) !== root) return false;
  try {
    fs.rmSync(folder, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/** The name of an upload's own folder, as hosts/uploads.ts makes it: 8 random bytes in hex. */
const UPLOAD_FOLDER = /^[0-9a-f]{16}$/;

/** What `takeUpload` read: the file's name as it was saved, and its bytes. */
export interface TakenUpload {
  name: string;
  content: Buffer;
}

/**
 * Reads a file the window uploaded and deletes it: the one way a path the window names reaches the disk for a
 * file's bytes. Only `uploads/<folder>/<file>` exactly as hosts/uploads.ts saves it is read; a path anywhere else,
 * one that climbs out with `..`, a link (the file or its folder), a folder, a pipe or a device is refused without
 * being read, and no more than `maxBytes` is ever read (`tooBig` makes the error for a larger file). The page is
 * untrusted: it can name any path, so the path is checked as written and as it really is on disk.
 */
export async function takeUpload(dataDir: string, file: string, opts: { maxBytes: number; tooBig(name: string, size: number): Error }): Promise<TakenUpload> {
  const refused = () =>
    new PostroomError('INVALID_INPUT', "Postroom reads only files chosen in its window, and this isn't one of them. Choose the file again.", { reason: 'notUpload' });
  const gone = () => new PostroomError('FILE_UNREADABLE', 'The chosen file is gone from Postroom (it is kept for a day). Choose it again.', { reason: 'uploadGone' });
  if (file.includes('\0') || !path.isAbsolute(file)) throw refused();
  const root = path.resolve(uploadsDir(dataDir));
  const parts = path.relative(root, path.resolve(file)).split(path.sep);
  if (parts.length !== 2 || !UPLOAD_FOLDER.test(parts[0]!) || parts[1] === '..' || parts[1] === '' || parts[1] === '.') throw refused();
  const folder = path.join(root, parts[0]!);
  const full = path.join(folder, parts[1]!);
  // The folder itself must be a real folder in the real uploads/ (not a link put there to lead elsewhere).
  try {
    if (fs.realpathSync.native(folder) !== path.join(fs.realpathSync.native(root), parts[0]!)) throw refused();
  } catch (err) {
    if (err instanceof PostroomError) throw err;
    throw gone();
  }
  try {
    let before: fs.Stats;
    try {
      before = fs.lstatSync(full);
    } catch {
      throw gone();
    }
    if (!before.isFile()) throw refused();
    if (before.size > opts.maxBytes) throw opts.tooBig(parts[1]!, before.size);
    // Opened without following a link and without waiting on a pipe; it must still be the file just checked.
    const handle = await fs.promises.open(full, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const now = await handle.stat();
      if (!now.isFile() || now.ino !== before.ino || now.dev !== before.dev) throw refused();
      if (now.size > opts.maxBytes) throw opts.tooBig(parts[1]!, now.size);
      // Never more than the limit, even if the file grows while it is read. Room for its size and a byte more (to
      // see it grow), made bigger only if it does.
      let buf = Buffer.alloc(now.size + 1);
      let read = 0;
      for (;;) {
        if (read === buf.length) {
          const bigger = Buffer.alloc(Math.min(opts.maxBytes + 1, buf.length * 2));
          buf.copy(bigger, 0, 0, read);
          buf = bigger;
        }
        const { bytesRead } = await handle.read(buf, read, buf.length - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
        if (read > opts.maxBytes) throw opts.tooBig(parts[1]!, read);
      }
      return { name: parts[1]!, content: buf.subarray(0, read) };
    } finally {
      await handle.close();
    }
  } finally {
    // Read or refused, the upload has served its purpose.
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
