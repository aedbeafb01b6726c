/**
 * Where the worker scripts are. scripts/build.mjs builds them (dist/import-worker.cjs, dist/compose-worker.cjs)
 * beside the bundle the app runs from. Code run from its sources or bundled elsewhere (tests, benchmarks) uses
 * them only when POSTROOM_WORKER_DIR names the folder (a built worker may be older than the sources it runs
 * beside). Nothing is compiled at run time: without the built file the work runs on the calling thread, with the
 * same result.
 */
import fs from 'node:fs';
import path from 'node:path';

export type WorkerName = 'import-worker' | 'compose-worker';

export function builtWorkerFile(name: WorkerName): string | null {
  const dirs = [__dirname, ...(process.env.POSTROOM_WORKER_DIR ? [process.env.POSTROOM_WORKER_DIR] : [])];
  for (const dir of dirs) {
    const file = path.join(dir, `${name}.cjs`);
    if (fs.existsSync(file)) return file;
  }
  return null;
}
