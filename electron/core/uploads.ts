/**
 * The data folder's uploads/: files the window handed to the core (hosts/uploads.ts saves them, each in a folder
 * of its own). A spreadsheet is needed only until its import has ended, so it is deleted then, whatever the end
 * (done, failed, cancelled); the hosts also prune what is left over, at start and while they run.
 */
import fs from 'node:fs';
import path from 'node:path';

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
